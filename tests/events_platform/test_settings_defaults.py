"""Settings defaults live in config/settings.py only: code reads plain `settings.X`, so a
default cannot drift between the settings module and the place that reads it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "checkin", "config", "dataprotection", "events_platform", "fairs", "infra"]
APPS += ["notifications", "ticketing", "workspace"]
# getattr(settings, ...) with a fallback, or a read that falls back with `or` / `.get(`.
FALLBACK = re.compile(r"getattr\(\s*(?:django_)?settings\s*,|settings\.[A-Z][A-Z0-9_]*\s+or\s")


def test_no_settings_default_outside_the_settings_module():
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if path == ROOT / "config" / "settings.py" or "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if FALLBACK.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []
