from django.urls import path, register_converter

from . import api
from .converters import YearConverter

register_converter(YearConverter, "year")

urlpatterns = [
    path(
        "figures/series/<int:pk>/<year:year>/",
        api.EditionFiguresView.as_view(),
        name="figures-api-edition",
    ),
    path(
        "open-data/series/<slug:slug>/<year:year>/",
        api.OpenEditionFiguresView.as_view(),
        name="figures-api-open-data",
    ),
]
