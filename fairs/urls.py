from django.urls import path

from .views import bookings, company, jobs, organiser, public

app_name = "fairs"

urlpatterns = [
    # Companies
    path("firma/registrieren/", company.signup, name="company-signup"),
    path("firma/bestaetigen/<token:token>/", company.confirm_email, name="company-confirm"),
    path("firma/bestaetigen-erneut/", company.resend_confirmation, name="company-resend"),
    path("firma/", company.dashboard, name="company-home"),
    path("firma/profil/", company.profile, name="company-profile"),
    path("firma/kollegen/", company.members, name="company-members"),
    path("firma/kollegen/<int:pk>/entfernen/", company.remove_member, name="company-member-remove"),
    path("firma/einladung/<token:token>/", company.accept_invitation, name="invite-accept"),
    path("logo/<slug:slug>/", company.logo, name="company-logo"),
    # Bookings
    path("messen/", bookings.fair_list, name="fair-list"),
    path("messen/<slug:slug>/buchen/", bookings.book_stands, name="stand-book"),
    path("messen/<slug:slug>/warteliste/", bookings.join_waitlist, name="waitlist-join"),
    path("reihen/<slug:slug>/buchen/", bookings.book_series, name="series-book"),
    path("firma/warteliste/<int:pk>/", bookings.respond_to_offer, name="offer-respond"),
    # The bookings are listed on the company's home page (mails link here).
    path("firma/buchungen/", company.dashboard, name="company-bookings"),
    path("firma/buchungen/<int:pk>/", bookings.booking_detail, name="booking-detail"),
    path("firma/buchungen/<int:pk>/zurueckziehen/", bookings.withdraw, name="booking-withdraw"),
    path("firma/buchungen/<int:pk>/bestaetigung.pdf", bookings.booking_pdf, name="booking-pdf"),
    path("firma/buchungen/<int:pk>/aufbau.ics", bookings.booking_ics, name="booking-ics"),
    path("firma/buchungen/<int:pk>/ausweise/", bookings.issue_pass, name="staff-pass-create"),
    path("firma/ausweise/<int:pk>/qr.png", bookings.pass_qr, name="staff-pass-qr"),
    path("firma/ausweise/<int:pk>/widerrufen/", bookings.revoke_pass, name="staff-pass-revoke"),
    # Job offers
    path("firma/angebote/", jobs.offer_list, name="job-offer-list"),
    path("firma/angebote/neu/", jobs.offer_edit, name="job-offer-create"),
    path("firma/angebote/<int:pk>/", jobs.offer_edit, name="job-offer-edit"),
    path("firma/angebote/<int:pk>/loeschen/", jobs.offer_delete, name="job-offer-delete"),
    # Public directory and job wall
    path("aussteller/<slug:slug>/", public.exhibitors, name="exhibitors-event"),
    path(
        "reihen/<slug:slug>/aussteller/",
        public.exhibitors,
        {"scope": "series"},
        name="exhibitors-series",
    ),
    path("hallen/<int:pk>/hintergrund.png", public.hall_background, name="hall-background"),
    path("stellen/<slug:slug>/", public.job_wall, name="jobs-event"),
    path("reihen/<slug:slug>/stellen/", public.job_wall, {"scope": "series"}, name="jobs-series"),
    # Organisers
    path("veranstalter/", organiser.fair_overview, name="organiser-fairs"),
    path("veranstalter/messen/<slug:slug>/", organiser.fair_bookings, name="organiser-fair"),
    path("veranstalter/buchungen/<int:pk>/", organiser.decide, name="organiser-decide"),
    path("veranstalter/warteliste/<int:pk>/anbieten/", organiser.offer, name="organiser-offer"),
    path("veranstalter/firmen/<int:pk>/verifizieren/", organiser.verify, name="organiser-verify"),
]
