"""Every environment variable the settings read is documented in .env.example."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Set by pytest itself to give each run its own database, queue and cache prefix.
NOT_SETTINGS = {"PYTEST_VERSION"}


def test_every_setting_is_in_env_example():
    source = (ROOT / "events_platform" / "settings.py").read_text()
    names = set(re.findall(r'os\.environ(?:\.get)?[\[(]"([A-Z0-9_]+)"', source))
    names |= set(re.findall(r'env_(?:bool|list)\("([A-Z0-9_]+)"', source))
    documented = set(re.findall(r"^#?\s*([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert names - NOT_SETTINGS, "no settings found: the pattern is broken"
    assert sorted(names - NOT_SETTINGS - documented) == []
