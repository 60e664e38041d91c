"""The stable error codes: each is defined once, in its app's errors.py (infra/errors.py for
the ones every app may answer with), used by name wherever it is raised or answered, and
listed in the API schema.

A code written as a free string (`DomainError(message, "stand_taken")`) could drift from its
twin in another file without anyone noticing; these tests make it fail instead.
"""

import ast
import re
import tomllib
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from config.openapi import error_code_definitions, error_codes

ROOT = Path(__file__).resolve().parent.parent
# Every package of the project, new apps included (the import contracts' list).
PACKAGES = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
    "root_packages"
]


def _sources() -> dict[str, ast.Module]:
    """The parsed source of every project module (migrations and the catalogues left out)."""
    trees = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if "/migrations/" in rel:
                continue
            trees[rel] = ast.parse(path.read_text(), filename=rel)
    return trees


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _error_classes(trees: dict[str, ast.Module]) -> set[str]:
    """DomainError and every class that derives from it, by name."""
    family = {"DomainError"}
    grown = True
    while grown:
        grown = False
        for tree in trees.values():
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.ClassDef)
                    and node.name not in family
                    and any(_name(base) in family for base in node.bases)
                ):
                    family.add(node.name)
                    grown = True
    return family


def literal_codes(trees: dict[str, ast.Module]) -> list[str]:
    """`file:line "code"` for every error raised with a string literal as its code."""
    family = _error_classes(trees)
    found = []
    for rel, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            is_super_init = (
                isinstance(func, ast.Attribute)
                and func.attr == "__init__"
                and isinstance(func.value, ast.Call)
                and _name(func.value.func) == "super"
            )
            if _name(func) not in family and not is_super_init:
                continue
            code = node.args[1] if len(node.args) > 1 else None
            code = next((kw.value for kw in node.keywords if kw.arg == "code"), code)
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                found.append(f"{rel}:{node.lineno} {code.value!r}")
    return found


def _literals(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [value for element in node.elts for value in _literals(element)]
    return []


def compared_codes(trees: dict[str, ast.Module]) -> list[str]:
    """`file:line "code"` for every `error.code == "…"` (or `in (…)`) with a string literal."""
    found = []
    for rel, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Compare):
                continue
            sides = [node.left, *node.comparators]
            if not any(isinstance(side, ast.Attribute) and side.attr == "code" for side in sides):
                continue
            for side in sides:
                found += [f"{rel}:{node.lineno} {value!r}" for value in _literals(side)]
    return found


def test_no_error_is_raised_with_a_code_written_as_a_free_string():
    assert literal_codes(_sources()) == []


def test_no_code_is_compared_as_a_free_string():
    assert compared_codes(_sources()) == []


def test_the_scan_finds_a_free_string_code():
    # The negative control of the two scans above: code as it was written before.
    tree = ast.parse(
        "class StandError(InvalidInput):\n"
        "    def __init__(self):\n"
        "        super().__init__('x', 'stand_invalid')\n"
        "def book():\n"
        "    raise DomainError(_('Taken.'), 'stand_taken')\n"
        "    raise StandError(message='x', code='stand_gone')\n"
        "if error.code in ('stand_taken', 'stand_gone'):\n"
        "    pass\n"
    )
    trees = {**_sources(), "fairs/services/example.py": tree}
    assert sorted(found for found in literal_codes(trees) if "example" in found) == [
        "fairs/services/example.py:3 'stand_invalid'",
        "fairs/services/example.py:5 'stand_taken'",
        "fairs/services/example.py:6 'stand_gone'",
    ]
    assert sorted(found for found in compared_codes(trees) if "example" in found) == [
        "fairs/services/example.py:7 'stand_gone'",
        "fairs/services/example.py:7 'stand_taken'",
    ]


def test_every_code_is_defined_once_and_reads_as_snake_case():
    definitions = error_code_definitions()
    seen: dict[str, str] = {}
    twice = []
    for code, module in definitions:
        if code in seen:
            twice.append(f"{code}: {seen[code]} and {module}")
        seen[code] = module
    assert twice == []
    assert [code for code in seen if not re.fullmatch(r"[a-z]+(_[a-z]+)*", code)] == []
    # Every app that refuses use cases has its catalogue.
    assert {module for _code, module in definitions} >= {
        "infra.errors",
        "events_platform.errors",
        "ticketing.errors",
        "fairs.errors",
        "checkin.errors",
    }


@pytest.mark.django_db
def test_the_api_schema_lists_every_code_and_a_conflict_names_one():
    schema = APIClient().get("/api/schema/?format=json").json()
    assert schema["components"]["schemas"]["ErrorCode"]["enum"] == error_codes()
    assert {"stand_taken", "event_full", "already_checked_in", "not_found"} <= set(error_codes())
    conflict = schema["components"]["schemas"]["Conflict"]
    assert conflict["properties"]["code"] == {"$ref": "#/components/schemas/ErrorCode"}
    conflicts = [
        operation["responses"]["409"]["content"]["application/json"]["schema"]
        for item in schema["paths"].values()
        for method, operation in item.items()
        if method == "post" and "409" in operation.get("responses", {})
    ]
    assert {"$ref": "#/components/schemas/Conflict"} in conflicts
