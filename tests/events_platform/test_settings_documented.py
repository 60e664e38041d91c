"""Every environment variable the settings read is documented in .env.example."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Set by pytest itself (and pytest-xdist per worker) to give each run its own database,
# queue, cache prefix and Redis database.
NOT_SETTINGS = {"PYTEST_VERSION", "PYTEST_XDIST_WORKER"}


def test_every_setting_is_in_env_example():
    source = (ROOT / "config" / "settings.py").read_text()
    names = set(re.findall(r'os\.environ(?:\.get)?[\[(]"([A-Z0-9_]+)"', source))
    names |= set(re.findall(r'env_(?:bool|list)\("([A-Z0-9_]+)"', source))
    documented = set(re.findall(r"^#?\s*([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert names - NOT_SETTINGS, "no settings found: the pattern is broken"
    assert sorted(names - NOT_SETTINGS - documented) == []
