"""Check-in pages, mounted at /einlass/ (German) and /en/einlass/ (English)."""

from django.urls import path

from . import views, views_organiser

app_name = "checkin"

urlpatterns = [
    path("", views.home, name="home"),
    path("past/", views.past, name="past"),
    path("scanner/", views.scanner, name="scanner"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("pair/<token:token>/", views.pair, name="pair"),
    path("events/<int:pk>/use-this-device/", views.use_this_device, name="use-device"),
    path("events/<int:pk>/door/", views.door_register, name="door-register"),
    path("series/<int:pk>/", views_organiser.series_overview, name="series"),
    path("events/<int:pk>/", views_organiser.event_overview, name="event"),
    path("events/<int:pk>/figures/", views_organiser.event_figures, name="event-figures"),
    path("events/<int:pk>/attendance.csv", views_organiser.attendance_csv, name="attendance-csv"),
    path("events/<int:pk>/pairing/", views_organiser.pairing, name="pairing"),
    path("events/<int:pk>/entrances/", views_organiser.add_entrance, name="entrance-add"),
    path("events/<int:pk>/staff/", views_organiser.assign_staff, name="staff-assign"),
    path(
        "events/<int:pk>/devices/<int:device_pk>/revoke/",
        views_organiser.revoke_device,
        name="device-revoke",
    ),
]
