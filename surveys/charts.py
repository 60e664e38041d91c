"""Horizontal bar charts as inline SVG, drawn on the server (no script): each bar carries
its label and its number as text, and the page puts the same numbers in a table beside it."""

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 400
ROW = 44
BAR = 18
FONT = 15


def bar_chart(pairs: list[tuple[str, int]], *, title: str, described_by: str = "") -> SafeString:
    top = max([value for _label, value in pairs] + [1])
    room = WIDTH - 70
    rows = []
    for index, (text, value) in enumerate(pairs):
        y = index * ROW
        length = round(room * value / top) if value else 0
        rows.append(
            (
                y + FONT,
                text,
                y + FONT + 6,
                max(length, 1),
                BAR,
                length + 6,
                y + FONT + 6 + BAR - 4,
                number_format(value, force_grouping=True),
            )
        )
    body = format_html_join(
        "",
        '<text x="0" y="{}" font-size="15">{}</text>'
        '<rect x="0" y="{}" width="{}" height="{}" fill="#1d4f91"/>'
        '<text x="{}" y="{}" font-size="15" font-weight="bold">{}</text>',
        rows,
    )
    return format_html(
        '<svg class="surveys-chart" viewBox="0 0 {} {}" role="img" aria-label="{}"{}'
        ' xmlns="http://www.w3.org/2000/svg">{}</svg>',
        WIDTH,
        ROW * len(pairs) + 4,
        title,
        format_html(' aria-describedby="{}"', described_by) if described_by else "",
        body,
    )
