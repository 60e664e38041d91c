from django.urls import path

from . import api

urlpatterns = [
    path("fairs/company/", api.CompanyProfileView.as_view(), name="fairs-api-company"),
    path("fairs/halls/<int:pk>/stands/", api.HallStandsView.as_view(), name="fairs-api-stands"),
    path("fairs/events/<slug:slug>/plan/", api.EventPlanView.as_view(), name="fairs-api-plan"),
    path("fairs/bookings/", api.BookingListView.as_view(), name="fairs-api-bookings"),
    path(
        "fairs/bookings/<int:pk>/withdraw/",
        api.BookingWithdrawView.as_view(),
        name="fairs-api-booking-withdraw",
    ),
    path(
        "fairs/organiser/bookings/",
        api.OrganiserBookingListView.as_view(),
        name="fairs-api-organiser-bookings",
    ),
    path(
        "fairs/organiser/bookings/<int:pk>/approve/",
        api.OrganiserDecisionView.as_view(decision="approve"),
        name="fairs-api-booking-approve",
    ),
    path(
        "fairs/organiser/bookings/<int:pk>/reject/",
        api.OrganiserDecisionView.as_view(decision="reject"),
        name="fairs-api-booking-reject",
    ),
    path(
        "fairs/organiser/bookings/<int:pk>/cancel/",
        api.OrganiserDecisionView.as_view(decision="cancel"),
        name="fairs-api-booking-cancel",
    ),
    path(
        "fairs/organiser/companies/",
        api.OrganiserCompanyListView.as_view(),
        name="fairs-api-organiser-companies",
    ),
    path(
        "fairs/organiser/companies/<int:pk>/verify/",
        api.OrganiserCompanyVerifyView.as_view(),
        name="fairs-api-company-verify",
    ),
    path("fairs/job-offers/", api.JobOfferListView.as_view(), name="fairs-api-job-offers"),
    path(
        "fairs/job-offers/<int:pk>/",
        api.JobOfferDetailView.as_view(),
        name="fairs-api-job-offer",
    ),
    path(
        "fairs/events/<slug:slug>/job-offers/",
        api.PublicJobWallView.as_view(scope="event"),
        name="fairs-api-event-jobs",
    ),
    path(
        "fairs/series/<slug:slug>/job-offers/",
        api.PublicJobWallView.as_view(scope="series"),
        name="fairs-api-series-jobs",
    ),
]
