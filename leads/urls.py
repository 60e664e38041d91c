from django.urls import path

from . import views

app_name = "leads"

urlpatterns = [
    path("", views.company_contacts, name="company-contacts"),
    path("kontakte.<str:fmt>", views.company_export, name="company-contacts-export"),
    path("standschild/<int:pk>/", views.stand_sign, name="stand-sign"),
    path("ausweise/<int:pk>/", views.staff_passes, name="staff-passes"),
    path("koppeln/", views.pair, name="pair"),
    path("koppeln/<str:token>/", views.pair_link, name="pair-link"),
    path("scanner/", views.scanner, name="scanner"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("geraet/", views.device_info, name="device-info"),
    path("geraet/hochladen/", views.device_upload, name="device-upload"),
    path("teilen/<str:code>/", views.share, name="share"),
    path("ticket/<str:token>/zurueckziehen/<int:pk>/", views.withdraw, name="withdraw"),
    path(
        "ihre-daten/<token:token>/kontakt/<int:pk>/",
        views.data_withdraw,
        name="data-withdraw",
    ),
    path("veranstalter/", views.organiser_fairs_view, name="organiser-fairs"),
    path("veranstaltung/<int:pk>/", views.organiser_counts, name="organiser-counts"),
]
