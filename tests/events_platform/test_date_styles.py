"""One date and time style everywhere: no page formats a date and time people read with
Django's raw formats ("28.12.2026 07:30", "7. Dezember 2026 21:15"); they use the
`event_dates` tags (`moment`, `time_range`, `clock`, ...), which read "Mo., 28. Dezember
2026, 7:30 Uhr" in German and "Monday 28 December 2026, 07:30" in English.
"""

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

BERLIN = ZoneInfo("Europe/Berlin")
ROOT = Path(settings.BASE_DIR)
RAW_DATE_TIME = re.compile(
    r"""\|date:\s*["'](?:SHORT_DATETIME_FORMAT|DATETIME_FORMAT|TIME_FORMAT|(?![A-Z_]+["'])[^"']*[HGi][^"']*)["']"""
)
# Raw formats that are right where they are, with the reason (machine formats are not read).
ALLOWED: dict[str, str] = {}


def _templates():
    for path in sorted(ROOT.glob("*/**/templates/**/*.html")):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        yield path


def test_no_template_formats_a_date_and_time_with_a_raw_django_format():
    found = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), start=1):
            for match in RAW_DATE_TIME.finditer(line):
                where = f"{path.relative_to(ROOT)}:{number}"
                if where not in ALLOWED:
                    found.append(f"{where}: {match.group(0)}")
    assert found == [], "Use {% moment %}, {% time_range %} or {% clock %} instead:\n" + "\n".join(
        found
    )


def test_the_scan_sees_the_templates_and_catches_a_raw_format():
    assert sum(1 for _ in _templates()) > 50
    assert RAW_DATE_TIME.search('{{ x|date:"SHORT_DATETIME_FORMAT" }}')
    assert RAW_DATE_TIME.search("{{ x|date:'d.m.Y H:i' }}")
    assert not RAW_DATE_TIME.search("{{ x|date:'c' }}")
    assert not RAW_DATE_TIME.search("{{ x|date:'Y-m-d' }}")
    assert not RAW_DATE_TIME.search('{{ x|date:"SHORT_DATE_FORMAT" }}')


def test_moment_reads_the_same_in_blocktranslate_and_leaves_a_missing_time_empty():
    template = Template(
        "{% load i18n event_dates %}{% moment when as deadline_text %}"
        "{% blocktranslate with deadline=deadline_text %}until {{ deadline }}"
        "{% endblocktranslate %}"
        "|{% moment missing %}|"
    )
    when = datetime(2026, 12, 28, 7, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    with translation.override("de"):
        german = template.render(Context({"when": when, "missing": None}))
    with translation.override("en"):
        english = template.render(Context({"when": when, "missing": None}))
    assert german.endswith(" Mo., 28.\u00a0Dezember 2026, 7:30\u00a0Uhr||")
    assert english == "until Monday 28\u00a0December 2026, 07:30||"


@pytest.mark.django_db
def test_workshop_choices_read_their_hours_in_the_site_style(client):
    from events_platform.models import Event
    from tests.factories import EventFactory, SessionFactory

    start = (timezone.now() + timedelta(days=20)).astimezone(BERLIN)
    start = start.replace(hour=10, minute=0, second=0, microsecond=0)
    conference = EventFactory(
        kind=Event.Kind.CONFERENCE, starts_at=start, ends_at=start + timedelta(hours=8)
    )
    SessionFactory(
        event=conference, title_de="Pflege im Wandel", ends_at=start + timedelta(hours=2)
    )
    url = reverse("ticketing:register", args=[conference.slug])
    german = client.get(url).content.decode()
    assert "Pflege im Wandel, 10–12\u00a0Uhr" in german
    with translation.override("en"):
        english_url = reverse("ticketing:register", args=[conference.slug])
    assert "10:00–12:00" in client.get(english_url).content.decode()
