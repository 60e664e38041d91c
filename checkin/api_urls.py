"""Check-in API routes, mounted under /api/."""

from django.urls import path

from . import api

urlpatterns = [
    # First: the resolver tries routes in order, and the door rush calls this one most.
    path("checkin/redeem/", api.RedeemView.as_view(), name="api-checkin-redeem"),
    path("checkin/pair/", api.PairView.as_view(), name="api-checkin-pair"),
    path("checkin/device/", api.DeviceInfoView.as_view(), name="api-checkin-device"),
    path("checkin/upload/", api.UploadView.as_view(), name="api-checkin-upload"),
    path("checkin/tickets/", api.OfflineListView.as_view(), name="api-checkin-tickets"),
    path("checkin/search/", api.SearchView.as_view(), name="api-checkin-search"),
    path("checkin/counters/", api.CountersView.as_view(), name="api-checkin-counters"),
    path("checkin/walk-ins/", api.WalkInView.as_view(), name="api-checkin-walk-ins"),
]
