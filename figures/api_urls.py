from django.urls import path

from . import api

urlpatterns = [
    path(
        "figures/series/<int:pk>/<int:year>/",
        api.EditionFiguresView.as_view(),
        name="figures-api-edition",
    ),
    path(
        "open-data/series/<slug:slug>/<int:year>/",
        api.OpenEditionFiguresView.as_view(),
        name="figures-api-open-data",
    ),
]
