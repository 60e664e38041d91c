"""Only the core API, so its schema can be checked apart from the other apps' endpoints."""

from django.urls import include, path

urlpatterns = [path("api/", include("events_platform.api_urls"))]
