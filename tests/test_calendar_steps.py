"""A day some years or months away goes through infra.dates: `replace(year=…)` raises on
29 February in a common year (a test factory and a calendar download failed so, one day in
four years), and the month's last day differs from month to month."""

import ast
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from infra.dates import months_after, years_after

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", "var", ".git", "frontend"}


def _year_replacements(source: str) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "replace"
        and {"year"} <= {keyword.arg for keyword in node.keywords}
        # One that sets the day as well chose it (1 January, the month's last day).
        and "day" not in {keyword.arg for keyword in node.keywords}
    ]


def test_the_scan_finds_a_year_replaced():
    assert _year_replacements("born = today.replace(year=today.year - 12)\n") == [1]
    assert _year_replacements("name = text.replace('a', 'b')\n") == []
    assert _year_replacements("start = now.replace(year=2030, month=1, day=1)\n") == []


def test_no_code_replaces_a_year_by_hand():
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if SKIP & set(relative.parts):
            continue
        for line in _year_replacements(path.read_text(encoding="utf-8")):
            offenders.append(f"{relative}:{line}")
    assert offenders == [], "use infra.dates.years_after or months_after: " + ", ".join(offenders)


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (date(2028, 2, 29), -12, date(2016, 2, 29)),
        (date(2028, 2, 29), -13, date(2015, 2, 28)),
        (date(2028, 2, 29), 1, date(2029, 2, 28)),
        (date(2027, 12, 27), -1, date(2026, 12, 27)),
    ],
)
def test_years_after(day, years, expected):
    assert years_after(day, years) == expected


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2027, 3, 31), -1, date(2027, 2, 28)),
        (date(2027, 1, 15), -13, date(2025, 12, 15)),
        (date(2027, 7, 9), 0, date(2027, 7, 9)),
    ],
)
def test_months_after(day, months, expected):
    assert months_after(day, months) == expected


def test_a_moment_keeps_its_time_and_zone():
    berlin = ZoneInfo("Europe/Berlin")
    moment = datetime(2028, 2, 29, 18, 30, tzinfo=berlin)
    assert years_after(moment, 1) == datetime(2029, 2, 28, 18, 30, tzinfo=berlin)
