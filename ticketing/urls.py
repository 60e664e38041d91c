from django.urls import path

from .views import links, organiser, visitor

app_name = "ticketing"

urlpatterns = [
    path("anmelden/<slug:slug>/", visitor.register, name="register"),
    path("ticket/<token:token>/", visitor.ticket, name="ticket"),
    path("ticket/<token:token>/ticket.pdf", visitor.ticket_pdf, name="ticket-pdf"),
    path("ticket/<token:token>/aendern/", visitor.ticket_edit, name="ticket-edit"),
    path("ticket/<token:token>/umbuchen/", visitor.ticket_change, name="ticket-change"),
    path("ticket/<token:token>/stornieren/", visitor.ticket_cancel, name="ticket-cancel"),
    path("ticket/<token:token>/annehmen/", visitor.offer_accept, name="offer-accept"),
    path("ticket/<token:token>/ablehnen/", visitor.offer_decline, name="offer-decline"),
    path("ticket/<token:token>/neuer-link/", links.renew_link, name="ticket-renew-link"),
    path("ticket/<token:token>/neuer-kalender/", links.renew_feed, name="feed-renew"),
    path("kalender/<token:token>.ics", visitor.personal_feed, name="personal-feed"),
    path("einverstaendnis/<token:token>/", visitor.guardian_confirm, name="guardian-confirm"),
    path("organiser/", organiser.overview, name="organiser-overview"),
    path("organiser/<int:event_id>/", organiser.registration_list, name="organiser-list"),
    path("organiser/<int:event_id>/neu/", organiser.registration_add, name="organiser-add"),
    path(
        "organiser/<int:event_id>/export.<str:fmt>",
        organiser.registration_export,
        name="organiser-export",
    ),
    path(
        "organiser/anmeldung/<int:pk>/",
        organiser.registration_detail,
        name="organiser-detail",
    ),
    path(
        "organiser/anmeldung/<int:pk>/neuer-link/",
        links.organiser_renew_link,
        name="organiser-renew-link",
    ),
    path(
        "organiser/anmeldung/<int:pk>/stornieren/",
        organiser.registration_cancel,
        name="organiser-cancel",
    ),
]
