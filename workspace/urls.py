"""The workspace's routes: each view module keeps its own `urlpatterns`, joined here."""

from .views import editions, events, home, organisation, plans

app_name = "workspace"

urlpatterns = [
    *home.urlpatterns,
    *events.urlpatterns,
    *editions.urlpatterns,
    *plans.urlpatterns,
    *organisation.urlpatterns,
]
