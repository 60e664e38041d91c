from django.urls import path

from . import subject_request_views, views

app_name = "events_platform"

urlpatterns = [
    path("", views.home, name="home"),
    path("veranstaltungen/", views.event_list, name="event-list"),
    path("veranstaltungen/<slug:slug>/", views.event_detail, name="event-detail"),
    path("reihen/<slug:slug>/", views.series_detail, name="series-detail"),
    # Data-subject requests: a link by e-mail, then the person's data, copy and erasure.
    path("datenschutz/", subject_request_views.privacy_notice, name="privacy-notice"),
    path("ihre-daten/", subject_request_views.data_request, name="data-request"),
    path("ihre-daten/<token:token>/", subject_request_views.data_overview, name="data-overview"),
    path(
        "ihre-daten/<token:token>/daten.json",
        subject_request_views.data_download,
        name="data-download",
    ),
    path(
        "ihre-daten/<token:token>/loeschen/",
        subject_request_views.data_erase,
        name="data-erase",
    ),
]
