"""Data-subject requests: a link by e-mail, then the person's data, copy and erasure."""

from django.urls import path

from . import views

app_name = "dataprotection"

urlpatterns = [
    path("datenschutz/", views.privacy_notice, name="privacy-notice"),
    path("ihre-daten/", views.data_request, name="data-request"),
    path("ihre-daten/<token:token>/", views.data_overview, name="data-overview"),
    path("ihre-daten/<token:token>/daten.json", views.data_download, name="data-download"),
    path("ihre-daten/<token:token>/loeschen/", views.data_erase, name="data-erase"),
]
