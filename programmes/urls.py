from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("", views.programme_list, name="list"),
    # Organisers (before the programme pages: "veranstalter" is no programme's short name).
    path("veranstalter/", views.organiser_list, name="organiser-list"),
    path("veranstalter/neu/", views.organiser_edit, name="organiser-new"),
    path("veranstalter/<slug:slug>/", views.organiser_edit, name="organiser-edit"),
    path(
        "veranstalter/<slug:slug>/termine/", views.organiser_event_add, name="organiser-event-add"
    ),
    path(
        "veranstalter/<slug:slug>/termine/<int:pk>/entfernen/",
        views.organiser_event_remove,
        name="organiser-event-remove",
    ),
    path(
        "veranstalter/<slug:slug>/teilnehmende/",
        views.organiser_participants,
        name="organiser-participants",
    ),
    path(
        "veranstalter/<slug:slug>/paare/<int:pk>/loesen/",
        views.organiser_unpair,
        name="organiser-unpair",
    ),
    path(
        "veranstalter/<slug:slug>/nachrichten/",
        views.organiser_messages,
        name="organiser-messages",
    ),
    path(
        "veranstalter/<slug:slug>/nachrichten/<int:pk>/",
        views.organiser_message,
        name="organiser-message",
    ),
    # The public page, in plain language, and the company's part.
    path("<slug:slug>/", views.programme_detail, name="detail"),
    path("<slug:slug>/einfache-sprache/", views.programme_plain, name="plain"),
    path("<slug:slug>/anmelden/", views.signup, name="signup"),
    path("<slug:slug>/firma/", views.company_page, name="company"),
    path("<slug:slug>/firma/zurueckziehen/", views.withdraw, name="withdraw"),
    path(
        "<slug:slug>/firma/personen/<int:pk>/entfernen/",
        views.participant_remove,
        name="participant-remove",
    ),
]
