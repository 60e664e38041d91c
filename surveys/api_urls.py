from django.urls import path

from . import api

urlpatterns = [
    path(
        "surveys/<int:pk>/results/",
        api.SurveyResultsView.as_view(),
        name="surveys-api-results",
    ),
]
