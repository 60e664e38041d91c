from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView

from accounts.views import LoginView, PasswordResetConfirmView, PasswordResetView
from events_platform import api, views
from infra import metrics

api_patterns = [
    # The resolver tries routes in order: check-in first (scans come in fastest), then
    # registration (a rush: each route tried before it cost some 5 microseconds).
    path("", include("checkin.api_urls")),
    path("", include("ticketing.api_urls")),
    path("", include("events_platform.api_urls")),
    path("", include("fairs.api_urls")),
    path("", include("notifications.api_urls")),
    path("", include("figures.api_urls")),
    path("", include("surveys.api_urls")),
    path("", include("programmes.api_urls")),
    path("", include("leads.api_urls")),
    path("", include("applications.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI and Redoc from local files with no inline script or style (the CSP).
    path("docs/", api.SwaggerDocsView.as_view(url_name="schema"), name="api-docs"),
    path("redoc/", api.RedocDocsView.as_view(url_name="schema"), name="api-redoc"),
]

urlpatterns = [
    path("api/", include(api_patterns)),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("metrics", metrics.metrics, name="metrics"),
    # The language switch in every page's header. Without a CSRF check: pages behind a
    # secret link (a ticket, a guardian's confirmation) send `Referrer-Policy: no-referrer`,
    # so the browser posts this form with `Origin: null`, which the check refuses (a bare
    # 403 where the visitor pressed "English"). A forged post can only change the language
    # of the next page.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("", include("events_platform.feed_urls")),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("fairs/", include("fairs.urls")),
    path("tickets/", include("ticketing.urls")),
    path("einlass/", include("checkin.urls")),
    path("messages/", include("notifications.urls")),
    path("veranstalter/", include("workspace.urls")),
    path("zahlen/", include("figures.urls")),
    path("umfragen/", include("surveys.urls")),
    path("programme/", include("programmes.urls")),
    path("stand/", include("leads.urls")),
    path("bewerbungen/", include("applications.urls")),
    path("", include("dataprotection.urls")),
    path("", include("events_platform.public_urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "events_platform.api.bad_request"
handler404 = "events_platform.api.not_found"
handler500 = "events_platform.api.server_error"
