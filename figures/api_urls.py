from django.urls import path

from . import (
    api,
    converters,  # noqa: F401  (the <year:…> converter)
)

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
