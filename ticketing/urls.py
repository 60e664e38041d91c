from django.urls import path

from . import views

app_name = "ticketing"

urlpatterns = [
    path("guardian/<str:token>/", views.guardian_confirm, name="guardian-confirm"),
]
