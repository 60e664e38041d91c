from django.urls import path

from . import api

urlpatterns = [
    path(
        "tickets/events/<slug:slug>/register/",
        api.RegisterView.as_view(),
        name="tickets-api-register",
    ),
    path(
        "tickets/organiser/events/<int:event_id>/registrations/",
        api.OrganiserRegistrationListView.as_view(),
        name="tickets-api-organiser-list",
    ),
    path(
        "tickets/organiser/events/<int:event_id>/registrations/export/",
        api.OrganiserExportView.as_view(),
        name="tickets-api-organiser-export",
    ),
    path("tickets/<token:token>/", api.TicketView.as_view(), name="tickets-api-ticket"),
    path(
        "tickets/<token:token>/cancel/", api.TicketCancelView.as_view(), name="tickets-api-cancel"
    ),
    path("tickets/<token:token>/accept/", api.OfferAcceptView.as_view(), name="tickets-api-accept"),
    path(
        "tickets/<token:token>/change/", api.TicketChangeView.as_view(), name="tickets-api-change"
    ),
    path(
        "tickets/<token:token>/decline/", api.OfferDeclineView.as_view(), name="tickets-api-decline"
    ),
]
