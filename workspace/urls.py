"""The workspace's routes: each view module keeps its own `urlpatterns`, joined here."""

from .views import events, home

app_name = "workspace"

urlpatterns = [*home.urlpatterns, *events.urlpatterns]
