"""The figures over the API: an edition's figures for its organisers (token or session),
and the open data of a published series without sign-in (aggregates only, small counts
suppressed). Both read figures/definitions.py through figures/tables.py, as the page does."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from events_platform import access
from events_platform.api import LanguageMixin
from events_platform.models import Event, EventSeries

from . import definitions, tables

# Persons counted in the open data; a count from 1 to 4 is shown as null (SUPPRESS_BELOW).
OPEN_PERSON_FIGURES = (
    "visitors",
    "registered",
    "checked_in",
    "walk_ins",
    "no_shows",
    "registered_pupils",
    "young_people",
)
# Companies and offers are public on the event pages already: never suppressed.
OPEN_OTHER_FIGURES = (
    "registered_classes",
    "exhibitors",
    "offers_total",
    "job_offers",
    "apprenticeships",
)
SUPPRESS_BELOW = 5

_TABLE = inline_serializer(
    "FiguresTable",
    {
        "caption": serializers.CharField(),
        "header": serializers.ListField(child=serializers.CharField()),
        "rows": serializers.ListField(child=serializers.ListField()),
        "summary": serializers.CharField(),
    },
)
_EDITION = inline_serializer(
    "EditionFigures",
    {
        "series": serializers.CharField(help_text="the series' short name (slug)"),
        "year": serializers.IntegerField(),
        "total": serializers.DictField(help_text="every figure of figures/definitions.py"),
        "sites": serializers.ListField(
            child=serializers.DictField(), help_text="each site: event, town, figures"
        ),
        "tables": serializers.DictField(child=_TABLE),
    },
)
_OPEN = inline_serializer(
    "OpenEditionFigures",
    {
        "series": serializers.CharField(),
        "year": serializers.IntegerField(),
        "total": serializers.DictField(
            child=serializers.IntegerField(allow_null=True),
            help_text="null: a count from 1 to 4, suppressed",
        ),
        "suppressed": serializers.ListField(child=serializers.CharField()),
        "sites": serializers.ListField(child=serializers.DictField()),
    },
)


def _table(table: tables.Table) -> dict:
    return {
        "caption": table.caption,
        "header": table.header,
        "rows": table.rows,
        "summary": table.summary,
    }


class IsOrganiser(BasePermission):
    def has_permission(self, request, view) -> bool:
        return access.is_organiser(request.user)


class EditionFiguresView(LanguageMixin, APIView):
    permission_classes = [IsOrganiser]

    @extend_schema(
        tags=["figures"],
        summary="An edition's figures (your series)",
        description=(
            "Every figure of a series in one year, in total and per site, and the page's "
            "tables. Organisers of the series' organisation only; others get 404."
        ),
        responses={200: _EDITION},
    )
    def get(self, request, pk: int, year: int):
        series = get_object_or_404(access.organiser_series(request.user), pk=pk)
        edition = tables.edition(series, year)
        return Response(
            {
                "series": series.slug,
                "year": year,
                "total": edition.total.as_dict(),
                "sites": [
                    {
                        "event": event.slug,
                        "site": tables.site_name(event),
                        "figures": figures.as_dict(),
                    }
                    for event, figures in edition.sites
                ],
                "tables": {name: _table(table) for name, table in edition.tables.items()},
            }
        )


def _suppressed(figures, names: list[str]) -> dict:
    out = {}
    for name in OPEN_PERSON_FIGURES:
        value = getattr(figures, name)
        if 0 < value < SUPPRESS_BELOW:
            out[name] = None
            names.append(name)
        else:
            out[name] = value
    for name in OPEN_OTHER_FIGURES:
        out[name] = getattr(figures, name)
    return out


class OpenEditionFiguresView(LanguageMixin, APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        tags=["open data"],
        summary="Open data: a published series' figures in one year",
        description=(
            "Aggregates only, without sign-in: persons counted in total and per site; a "
            "count of persons from 1 to 4 is null and named in `suppressed`, so that no "
            "person can be singled out. Companies and offers are not suppressed."
        ),
        responses={200: _OPEN, 404: OpenApiTypes.OBJECT},
    )
    def get(self, request, slug: str, year: int):
        series = get_object_or_404(EventSeries, slug=slug)
        events = definitions.series_events(series, year)
        if not events.filter(status=Event.Status.PUBLISHED).exists():
            raise Http404
        total, per_site = definitions.edition_figures(series, year)
        suppressed: list[str] = []
        body_total = _suppressed(total, suppressed)
        sites = []
        for event, figures in per_site:
            site_suppressed: list[str] = []
            sites.append(
                {
                    "event": event.slug,
                    "site": tables.site_name(event),
                    "figures": _suppressed(figures, site_suppressed),
                    "suppressed": site_suppressed,
                }
            )
        return Response(
            {
                "series": series.slug,
                "year": year,
                "total": body_total,
                "suppressed": suppressed,
                "sites": sites,
            }
        )
