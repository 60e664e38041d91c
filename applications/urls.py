from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("stelle/<int:pk>/<slug:slug>/", views.apply, name="apply"),
    path("b/<str:token>/", views.mine, name="mine"),
    path("b/<str:token>/datei/<str:kind>/", views.mine_file, name="mine-file"),
    path("b/<str:token>/zurueckziehen/", views.mine_withdraw, name="mine-withdraw"),
    path("firma/", views.company_offers, name="company-offers"),
    path("firma/stelle/<int:pk>/", views.company_list, name="company-list"),
    path("firma/<int:pk>/", views.company_detail, name="company-detail"),
    path("firma/<int:pk>/datei/<str:kind>/", views.company_file, name="company-file"),
    path("veranstalter/", views.organiser_counts, name="organiser-counts"),
]
