"""The report PDF of an edition for funders: a title page with the organisation and the
funders, the key figures, the charts (reportlab graphics), the per-site table and the
organiser's text. Readable in black and white: every bar carries its label and number.

A pure function: it takes the laid-out edition (figures/tables.py) and texts, returns bytes.
"""

import io
from dataclasses import dataclass

from django.utils.formats import number_format
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from .tables import SITE_COLUMNS, Edition
from .tables import Table as FigureTable

WIDTH = A4[0] - 40 * mm


@dataclass(frozen=True)
class ReportTexts:
    """The words around the numbers, already translated."""

    title: str
    subtitle: str
    organisation: str
    funders_heading: str
    funders: list[str]
    text_heading: str
    text: str
    footer: str


def _n(value) -> str:
    return number_format(value, force_grouping=True) if isinstance(value, int) else str(value)


def bar_drawing(pairs: list[tuple[str, int]]) -> Flowable:
    """Horizontal bars, the label above each and the number after it, in grey and black."""
    row = 11 * mm
    height = row * max(len(pairs), 1)
    drawing = Drawing(WIDTH, height)
    top = max([value for _label, value in pairs] + [1])
    room = WIDTH - 25 * mm
    for index, (label, value) in enumerate(pairs):
        y = height - (index + 1) * row
        length = max(room * value / top, 0.5)
        drawing.add(String(0, y + 6.5 * mm, label[:80], fontName="Helvetica", fontSize=9))
        drawing.add(
            Rect(
                0,
                y + 1 * mm,
                length,
                4.5 * mm,
                fillColor=colors.Color(0.35, 0.35, 0.35),
                strokeColor=colors.black,
                strokeWidth=0.5,
            )
        )
        drawing.add(
            String(length + 2 * mm, y + 2 * mm, _n(value), fontName="Helvetica-Bold", fontSize=9)
        )
    return drawing


PADDING = 3  # points left and right of a cell's text


def _column_widths(data: list[list[str]], size: float) -> list[float] | None:
    """Widths that fit every column's longest word at this font size (so no word is broken
    inside), the room left shared out by each column's whole text; None when they do not
    fit on the page."""
    least = [
        max(
            stringWidth(word, "Helvetica", size)
            for row in data
            for word in (str(row[column]).split() or [""])
        )
        + 2 * PADDING
        + 1
        for column in range(len(data[0]))
    ]
    room = WIDTH - sum(least)
    if room < 0:
        return None
    wanted = [
        max(stringWidth(str(row[column]), "Helvetica", size) for row in data) + 2 * PADDING
        for column in range(len(data[0]))
    ]
    extra = [max(want - low, 0) for want, low in zip(wanted, least, strict=True)]
    if sum(extra) <= room:
        return [low + more for low, more in zip(least, extra, strict=True)]
    return [low + room * more / sum(extra) for low, more in zip(least, extra, strict=True)]


def _table(table: FigureTable) -> Table:
    data = [table.header] + [[_n(cell) for cell in row] for row in table.rows]
    styles = getSampleStyleSheet()
    # The largest type (8 to 6 points) at which no word has to be broken inside.
    size, widths = 8.0, _column_widths(data, 8.0)
    while widths is None and size > 6:
        size -= 0.5
        widths = _column_widths(data, size)
    small = styles["BodyText"].clone("small", fontSize=size, leading=size + 2)
    data = [[Paragraph(_escape(cell), small) for cell in row] for row in data]
    result = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    result.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.85, 0.85, 0.85)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
            ]
        )
    )
    return result


def report_pdf(edition: Edition, texts: ReportTexts) -> bytes:
    """The funders' report of one edition as an A4 PDF."""
    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    body, h1, h2 = styles["BodyText"], styles["Title"], styles["Heading2"]
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        title=texts.title,
        author=texts.organisation,
        invariant=1,
    )

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(20 * mm, 10 * mm, f"{texts.footer} · {document.page}")
        canvas.restoreState()

    story = [
        Spacer(1, 40 * mm),
        Paragraph(_escape(texts.title), h1),
        Paragraph(_escape(texts.subtitle), styles["Heading3"]),
        Spacer(1, 10 * mm),
        Paragraph(_escape(texts.organisation), styles["Heading2"]),
    ]
    if texts.funders:
        story += [Spacer(1, 8 * mm), Paragraph(_escape(texts.funders_heading), body)]
        story += [Paragraph(_escape(name), styles["Heading3"]) for name in texts.funders]
    story.append(PageBreak())
    tables = edition.tables
    key = tables["key"]
    story += [Paragraph(_escape(key.caption), h2), Paragraph(_escape(key.summary), body)]
    story += [Spacer(1, 3 * mm), _table(key)]
    sites = tables["sites"]
    visitors = 1 + SITE_COLUMNS.index("visitors")
    story += [
        Paragraph(_escape(sites.caption), h2),
        Paragraph(_escape(sites.summary), body),
        bar_drawing([(row[0], row[visitors]) for row in sites.rows]),
        Spacer(1, 3 * mm),
        _table(sites),
    ]
    arrivals = tables["arrivals"]
    block = [Paragraph(_escape(arrivals.caption), h2), Paragraph(_escape(arrivals.summary), body)]
    for column, site in enumerate(arrivals.header[1:], start=1):
        block += [
            Paragraph(f"<b>{_escape(site)}</b>", body),
            bar_drawing([(row[0], row[column]) for row in arrivals.rows]),
        ]
    story += [KeepTogether(block), Spacer(1, 3 * mm), _table(arrivals)]
    history = tables["history"]
    story += [
        Paragraph(_escape(history.caption), h2),
        Paragraph(_escape(history.summary), body),
        bar_drawing([(row[0], row[1]) for row in history.rows]),
        Spacer(1, 3 * mm),
        _table(history),
    ]
    for name in ("areas", "contacts"):
        table = tables[name]
        story += [Paragraph(_escape(table.caption), h2), Paragraph(_escape(table.summary), body)]
        if table.rows:
            story += [Spacer(1, 3 * mm), _table(table)]
    if texts.text:
        story += [Paragraph(_escape(texts.text_heading), h2)]
        story += [Paragraph(_escape(part), body) for part in texts.text.split("\n") if part]
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
