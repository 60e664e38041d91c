"""The project's URLs plus `/bench/empty`, an empty Django view: the ceiling of one request
through the same middleware on the same server. Only benchmarks/checkin.py mounts this."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def empty(request):
    return HttpResponse(b"", content_type="text/plain")


urlpatterns = [path("bench/empty", empty), *project_urlpatterns]
