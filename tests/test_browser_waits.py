"""The browser tests wait for what they check: a busy machine must not turn them red."""

import ast
from pathlib import Path

# Playwright's is_visible()/is_hidden() answer at once, without waiting: asserted right after a
# click or a navigation they fail whenever the page is a little slow (seen under load in CI).
NON_WAITING = {"is_visible", "is_hidden"}


def _non_waiting_asserts(source: str) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assert):
            for inner in ast.walk(node.test):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Attribute)
                    and inner.func.attr in NON_WAITING
                ):
                    lines.append(node.lineno)
    return lines


def test_the_scan_finds_a_non_waiting_assert():
    assert _non_waiting_asserts("assert page.get_by_text('x').is_visible()\n") == [1]
    assert _non_waiting_asserts("expect(page.get_by_text('x')).to_be_visible()\n") == []


def test_no_browser_test_asserts_visibility_without_waiting():
    offenders = []
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        for line in _non_waiting_asserts(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(Path(__file__).parent)}:{line}")
    assert offenders == [], "use expect(locator).to_be_visible() instead: " + ", ".join(offenders)
