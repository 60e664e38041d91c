"""Calendar files and feeds, mounted at the root without a language prefix."""

from django.urls import path

from . import feeds

urlpatterns = [
    path("kalender/alle.ics", feeds.all_feed, name="ical-all"),
    path("kalender/veranstaltung/<slug:slug>.ics", feeds.event_ics, name="ical-event"),
    path("kalender/reihe/<slug:slug>.ics", feeds.series_feed, name="ical-series"),
    path("kalender/ort/<str:town>.ics", feeds.town_feed, name="ical-town"),
    path("kalender/art/<str:kind>.ics", feeds.kind_feed, name="ical-kind"),
]
