from django.urls import path

from . import views, views_alerts

app_name = "notifications"

urlpatterns = [
    path("organiser/", views.message_list, name="message-list"),
    path("organiser/<int:pk>/", views.message_detail, name="message-detail"),
    path(
        "organiser/<int:pk>/attachment/<int:index>/",
        views.message_attachment,
        name="message-attachment",
    ),
    path("organiser/announcements/", views.announcement_list, name="announcement-list"),
    path("organiser/announcements/new/", views.announcement_create, name="announcement-create"),
    path(
        "organiser/announcements/<int:pk>/",
        views.announcement_detail,
        name="announcement-detail",
    ),
    path(
        "organiser/announcements/<int:pk>/test/",
        views.announcement_test,
        name="announcement-test",
    ),
    path(
        "organiser/announcements/<int:pk>/send/",
        views.announcement_send,
        name="announcement-send",
    ),
    path(
        "organiser/announcements/<int:pk>/progress/",
        views.announcement_progress,
        name="announcement-progress",
    ),
    path("unsubscribe/<token:token>/", views.unsubscribe, name="unsubscribe"),
    path("organiser/e-mails/", views_alerts.alert_settings, name="alert-settings"),
]
