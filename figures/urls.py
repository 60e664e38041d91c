from django.urls import path

from . import (
    converters,  # noqa: F401  (the <year:…> converter)
    views,
)

app_name = "figures"

urlpatterns = [
    path("", views.index, name="index"),
    path("reihen/<int:pk>/", views.series_latest, name="series-latest"),
    path("reihen/<int:pk>/<year:year>/", views.series_figures, name="series"),
    path("reihen/<int:pk>/<year:year>/bericht/", views.report_edit, name="report-edit"),
    path("reihen/<int:pk>/<year:year>/bericht.pdf", views.report_download, name="report"),
    path(
        "reihen/<int:pk>/<year:year>/<slug:table>.<slug:fmt>",
        views.table_export,
        name="table-export",
    ),
]
