from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("organiser/", views.message_list, name="message-list"),
    path("organiser/<int:pk>/", views.message_detail, name="message-detail"),
    path(
        "organiser/<int:pk>/attachment/<int:index>/",
        views.message_attachment,
        name="message-attachment",
    ),
]
