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
    path("tickets/<str:token>/", api.TicketView.as_view(), name="tickets-api-ticket"),
    path("tickets/<str:token>/cancel/", api.TicketCancelView.as_view(), name="tickets-api-cancel"),
    path("tickets/<str:token>/accept/", api.OfferAcceptView.as_view(), name="tickets-api-accept"),
    path("tickets/<str:token>/change/", api.TicketChangeView.as_view(), name="tickets-api-change"),
    path(
        "tickets/<str:token>/decline/", api.OfferDeclineView.as_view(), name="tickets-api-decline"
    ),
]
