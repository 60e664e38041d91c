"""The two lock files agree: `make test` installs requirements-dev.lock, the image and
`make run` install requirements.lock, so a package pinned in one and missing from the
other (hiredis was, once) or pinned at another version would make the tests run on other
code than production."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _pins(name: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            package, _, version = line.partition("==")
            pins[package.lower().replace("_", "-")] = version
    return pins


def test_every_production_pin_is_in_the_test_lock_at_the_same_version():
    production, tests = _pins("requirements.lock"), _pins("requirements-dev.lock")
    assert production and all(production.values())
    assert {name: (version, tests.get(name)) for name, version in production.items()} == {
        name: (version, version) for name, version in production.items()
    }
