from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("verwalten/", views.survey_list, name="list"),
    path("verwalten/<int:pk>/", views.survey_edit, name="edit"),
    path("verwalten/<int:pk>/abschnitte/", views.section_add, name="section-add"),
    path(
        "verwalten/<int:pk>/abschnitte/<int:section_pk>/", views.section_edit, name="section-edit"
    ),
    path(
        "verwalten/<int:pk>/abschnitte/<int:section_pk>/fragen/neu/",
        views.question_edit,
        name="question-add",
    ),
    path(
        "verwalten/<int:pk>/abschnitte/<int:section_pk>/fragen/<int:question_pk>/",
        views.question_edit,
        name="question-edit",
    ),
    path("verwalten/<int:pk>/vorschau/", views.preview, name="preview"),
    path("verwalten/<int:pk>/status/", views.change_state, name="state"),
    path("verwalten/<int:pk>/einladungen/", views.invitations, name="invitations"),
    path("verwalten/<int:pk>/ergebnisse/", views.results, name="results"),
    path(
        "verwalten/<int:pk>/ergebnisse/<str:fmt>/",
        views.export,
        name="export",
    ),
    path("s/<str:token>/", views.public, name="public"),
    path("a/<str:token>/", views.answer, name="answer"),
]
