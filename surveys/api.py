"""A survey's results over the API, read-only, for the organisers of its organisation (token
or session): the same numbers as the results page, small groups of an anonymous survey
hidden in the same way (a hidden count is null)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from events_platform import access
from events_platform.api import LanguageMixin

from . import queries

_RESULTS = inline_serializer(
    "SurveyResults",
    {
        "id": serializers.IntegerField(),
        "title": serializers.CharField(),
        "state": serializers.CharField(help_text="draft, open or closed"),
        "anonymous": serializers.BooleanField(),
        "responses": serializers.IntegerField(help_text="answers sent (after the filters)"),
        "suppressed": serializers.BooleanField(
            help_text="true while an anonymous survey has fewer than 5 answers: no results"
        ),
        "questions": serializers.ListField(
            child=serializers.DictField(),
            help_text="each question: id, text, kind, answered, suppressed, rows (label and "
            "count, null when hidden), mean, median, texts",
        ),
    },
)


class IsOrganiser(BasePermission):
    def has_permission(self, request, view) -> bool:
        return access.is_organiser(request.user)


class SurveyResultsView(LanguageMixin, APIView):
    permission_classes = [IsOrganiser]

    @extend_schema(
        tags=["surveys"],
        summary="A survey's results (your organisation)",
        description=(
            "Counts per question and answer, means of numbers, free texts. A named survey "
            "may be filtered by `sector` and `size`. Groups of fewer than 5 answers of an "
            "anonymous survey are null. Organisers of the survey's organisation only; others "
            "get 404."
        ),
        responses={200: _RESULTS},
    )
    def get(self, request, pk: int):
        survey = get_object_or_404(queries.surveys_for(request.user), pk=pk)
        sectors, sizes = queries.filter_choices()
        sector = request.query_params.get("sector", "")
        size = request.query_params.get("size", "")
        data = queries.results(
            survey,
            sector=sector if sector in dict(sectors) else "",
            size=size if size in dict(sizes) else "",
        )
        return Response(
            {
                "id": survey.pk,
                "title": survey.title,
                "state": survey.state,
                "anonymous": survey.anonymous,
                "responses": data.total,
                "suppressed": data.suppressed,
                "questions": [
                    {
                        "id": item.question.pk,
                        "text": item.question.text,
                        "kind": item.question.kind,
                        "answered": item.answered,
                        "suppressed": item.suppressed,
                        "rows": [
                            {"label": row.label, "count": row.count if row.shown else None}
                            for row in item.rows
                        ],
                        "mean": item.mean,
                        "median": item.median,
                        "texts": [text for _company, text in item.texts],
                    }
                    for item in data.questions
                ],
            }
        )
