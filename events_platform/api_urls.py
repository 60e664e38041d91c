"""Core API routes, mounted under /api/."""

from django.urls import path

from . import api

urlpatterns = [
    path("events/", api.EventListView.as_view(), name="api-event-list"),
    path("events/<slug:slug>/", api.EventDetailView.as_view(), name="api-event-detail"),
    path("series/", api.SeriesListView.as_view(), name="api-series-list"),
    path("series/<slug:slug>/", api.SeriesDetailView.as_view(), name="api-series-detail"),
    path("venues/", api.VenueListView.as_view(), name="api-venue-list"),
    path("target-groups/", api.TargetGroupListView.as_view(), name="api-target-group-list"),
    path("auth/token/", api.TokenObtainView.as_view(), name="api-token"),
    path("me/", api.MeView.as_view(), name="api-me"),
]
