"""The layout's rules hold in the code: no import cycle between the modules of one app, and
the import contracts of pyproject.toml (which app may read which, README "Architecture").

The graph is grimp's (import-linter builds on it); it sees every import, also those inside a
function, so a cycle cannot hide in a late import.
"""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
PACKAGES = CONFIG["root_packages"]


def _graph() -> grimp.ImportGraph:
    sys.path.insert(0, str(ROOT))
    try:
        return grimp.build_graph(*PACKAGES, cache_dir=None)
    finally:
        sys.path.remove(str(ROOT))


def cycles_inside(graph: grimp.ImportGraph, package: str) -> list[list[str]]:
    """The groups of modules of `package` that import each other in a circle (Tarjan's
    strongly connected components over the imports inside the package), each sorted."""
    modules = sorted(m for m in graph.modules if m == package or m.startswith(package + "."))
    inside = set(modules)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module) & inside):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in modules:
        if module not in index:
            visit(module)
    return found


@pytest.fixture(scope="module")
def graph():
    return _graph()


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycle_between_the_modules_of_one_app(graph, package):
    cycles = cycles_inside(graph, package)
    details = [
        [
            f"{importer} -> {imported} (line {detail['line_number']})"
            for importer in group
            for imported in sorted(graph.find_modules_directly_imported_by(importer) & set(group))
            for detail in graph.get_import_details(importer=importer, imported=imported)[:1]
        ]
        for group in cycles
    ]
    assert cycles == [], f"modules of {package} import each other in a circle: {details}"


def test_the_cycle_check_finds_a_cycle_and_leaves_a_chain_alone():
    graph = grimp.ImportGraph()
    for module in ("shop", "shop.outbox", "shop.tasks", "shop.mails", "shop.models"):
        graph.add_module(module)
    graph.add_import(importer="shop.tasks", imported="shop.outbox")
    graph.add_import(importer="shop.mails", imported="shop.models")
    graph.add_import(importer="shop.outbox", imported="shop.models")
    assert cycles_inside(graph, "shop") == []
    graph.add_import(importer="shop.outbox", imported="shop.tasks")
    assert cycles_inside(graph, "shop") == [["shop.outbox", "shop.tasks"]]


def test_every_app_is_in_the_contracts():
    """A new top-level package must be placed in the layers, or its imports go unchecked."""
    packages = {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if (path.parent / "apps.py").exists() or path.parent.name in ("config", "infra")
    }
    layers = next(c for c in CONFIG["contracts"] if c["type"] == "layers")["layers"]
    layered = {name.strip() for layer in layers for name in layer.split("|")}
    assert packages == set(PACKAGES) == layered


def test_the_import_contracts_hold():
    """Which app may read which: import-linter's contracts from pyproject.toml."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_tasks_queued_by_name_are_registered():
    """Services queue some tasks by name so that they need not import tasks.py (which imports
    them): each name must be a task a worker knows."""
    from celery import current_app

    from dataprotection.subject_requests import SEND_LINK_TASK
    from notifications.announcements import START_TASK
    from notifications.outbox import DELIVER_TASK

    for name in (DELIVER_TASK, START_TASK, SEND_LINK_TASK):
        assert name in current_app.tasks, name


APP_SETTING = re.compile(r"settings\.([A-Z]+)_[A-Z0-9_]+")


def foreign_settings(package: str) -> list[str]:
    """`file: settings.X` for every setting of another app read in `package`: an app's own
    settings carry its label as their prefix (TICKETING_…, FAIRS_…), and only it reads them."""
    prefixes = {name.upper() for name in PACKAGES} - {package.upper()}
    found = []
    for path in sorted((ROOT / package).rglob("*")):
        if path.suffix not in (".py", ".html") or "migrations" in path.parts:
            continue
        for match in APP_SETTING.finditer(path.read_text()):
            if match.group(1) in prefixes:
                found.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    return found


@pytest.mark.parametrize("package", [name for name in PACKAGES if name != "config"])
def test_no_app_reads_another_apps_settings(package):
    """An app's settings are its own: another app asks it through a registry or its public
    functions (the privacy notice gets each app's retention periods from its privacy.py)."""
    assert foreign_settings(package) == []


def test_the_settings_check_finds_a_foreign_setting(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    (tmp_path / "dataprotection").mkdir()
    (tmp_path / "dataprotection" / "views.py").write_text(
        "days = settings.TICKETING_MEDICAL_NOTES_RETENTION_DAYS\n"
        "limit = settings.DATAPROTECTION_LIMIT\nkey = settings.SECRET_KEY\n"
    )
    assert foreign_settings("dataprotection") == [
        "dataprotection/views.py: settings.TICKETING_MEDICAL_NOTES_RETENTION_DAYS"
    ]
