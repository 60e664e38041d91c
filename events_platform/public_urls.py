from django.urls import path

from . import views

app_name = "events_platform"

urlpatterns = [
    path("", views.home, name="home"),
    path("veranstaltungen/", views.event_list, name="event-list"),
    path("veranstaltungen/<slug:slug>/", views.event_detail, name="event-detail"),
    path("reihen/<slug:slug>/", views.series_detail, name="series-detail"),
]
