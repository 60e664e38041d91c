"""The organiser's figures pages: an edition's figures with charts and tables, and every
table as CSV or XLSX. Organisers of the series' organisation only; anyone else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from events_platform import access
from infra import exports as file_exports

from . import charts, definitions, report, tables
from .forms import EditionReportForm
from .models import EditionReport

FORMATS = ("csv", "xlsx")


def menu_items(request) -> list[tuple[str, str]]:
    """The figures in the organiser's menu."""
    from django.urls import reverse

    user = request.user
    if user.is_authenticated and access.is_organiser(user):
        return [(_("Figures"), reverse("figures:index"))]
    return []


def _series(request, pk: int):
    return get_object_or_404(access.organiser_series(request.user), pk=pk)


@login_required
@require_GET
def index(request):
    """The organiser's series, each with the years it has figures for."""
    organisations = access.organisations_for(request.user)
    if not organisations.exists():
        raise Http404
    rows = [
        (series, definitions.years_of_series(series))
        for series in access.organiser_series(request.user).order_by("title_de")
    ]
    return render(request, "figures/index.html", {"rows": rows})


@login_required
@require_GET
def series_latest(request, pk: int):
    """A series' figures of its latest year."""
    series = _series(request, pk)
    years = definitions.years_of_series(series)
    if not years:
        raise Http404
    return redirect("figures:series", pk=series.pk, year=years[-1])


def _charts(edition: tables.Edition) -> dict:
    sites = edition.tables["sites"]
    history = edition.tables["history"]
    arrivals = edition.tables["arrivals"]
    visitors = sites.header.index(tables.label("visitors"))
    per_site = []
    for column, site in enumerate(arrivals.header[1:], start=1):
        pairs = [(row[0], row[column]) for row in arrivals.rows]
        per_site.append(
            (
                site,
                charts.bar_chart(
                    pairs,
                    title=_("Arrivals per hour at %(site)s") % {"site": site},
                    described_by="arrivals-summary",
                ),
            )
        )
    return {
        "arrivals": per_site,
        "sites": charts.bar_chart(
            [(row[0], row[visitors]) for row in sites.rows],
            title=_("Visitors per site"),
            described_by="sites-summary",
        ),
        "history": charts.bar_chart(
            [(row[0], row[1]) for row in history.rows],
            title=_("Visitors per edition"),
            described_by="history-summary",
        ),
    }


@login_required
@require_GET
def series_figures(request, pk: int, year: int):
    """One edition's figures: key figures, sites side by side, arrivals over the day, this
    year against earlier editions; each chart with its table and summary."""
    series = _series(request, pk)
    return _page(request, series, year, EditionReportForm(instance=_report(series, year)))


def _report(series, year: int) -> EditionReport:
    return EditionReport.objects.filter(series=series, year=year).first() or EditionReport(
        series=series, year=year
    )


def _page(request, series, year: int, form, status: int = 200):
    edition = tables.edition(series, year)
    return render(
        request,
        "figures/series.html",
        {
            "form": form,
            "series": series,
            "year": year,
            "years": definitions.years_of_series(series),
            "edition": edition,
            "tables": edition.tables,
            "charts": _charts(edition),
        },
        status=status,
    )


@login_required
@require_POST
def report_edit(request, pk: int, year: int):
    """Save the funders and the text of the edition's report."""
    series = _series(request, pk)
    form = EditionReportForm(request.POST, instance=_report(series, year))
    if not form.is_valid():
        return _page(request, series, year, form, status=400)
    form.save()
    messages.success(request, _("The report's funders and text have been saved."))
    return redirect("figures:series", pk=series.pk, year=year)


@login_required
@require_GET
def report_download(request, pk: int, year: int):
    """The funders' report of the edition as a PDF."""
    series = _series(request, pk)
    saved = _report(series, year)
    texts = report.ReportTexts(
        title=_("Figures: %(title)s %(year)s") % {"title": series.title, "year": year},
        subtitle=_("Report for funders"),
        organisation=series.organisation.name,
        funders_heading=_("Funded by"),
        funders=saved.funder_names(),
        text_heading=_("From the organiser"),
        text=saved.text,
        footer=f"{series.organisation.name} · {series.title} {year}",
    )
    body = report.report_pdf(tables.edition(series, year), texts)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bericht-{series.slug}-{year}.pdf"'
    return response


@login_required
@require_GET
def table_export(request, pk: int, year: int, table: str, fmt: str):
    """One table of an edition as CSV or XLSX."""
    if fmt not in FORMATS or table not in tables.TABLE_NAMES:
        raise Http404
    series = _series(request, pk)
    data = tables.edition(series, year).tables[table]
    name = f"zahlen-{series.slug}-{year}-{table}"
    if fmt == "csv":
        body = file_exports.csv_bytes(data.header, data.rows)
        content_type = file_exports.CSV_CONTENT_TYPE
    else:
        body = file_exports.xlsx_bytes(data.header, data.rows, title=data.caption)
        content_type = file_exports.XLSX_CONTENT_TYPE
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
