"""Every string marked for translation has its German entry, so no German page shows English.

The strings are found the way Django finds them: `manage.py makemessages` (xgettext) runs
over a copy of the source in a temporary folder (the folders and patterns `make messages`
leaves out, scripts/makemessages.py, are left out here too), for the `django` domain and
for `djangojs`. The committed message files are never touched. Each app's extracted
template (`<app>/locale/<domain>.pot`) is then compared with the committed
`<app>/locale/<language>/LC_MESSAGES/<domain>.po` of every language the project ships:

- German (and any language but English): the entry (same context, same plural) is there,
  not fuzzy, and every msgstr is filled. A missing, empty or fuzzy entry is left out of
  the .mo file, and the German page shows the English msgid.
- English: the msgids are English, and Django gives English no fallback to German, so an
  empty msgstr means "as written in the code" (the project's convention: only corrections
  are filled in). The entry must be there and not fuzzy, so the file stays complete.

A finding names the source file and line of each string, and the .po file it belongs in.
"""

import fnmatch
import importlib.util
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
DOMAINS = ("django", "djangojs")
# The files makemessages reads (its default extensions for the two domains).
SOURCE_SUFFIXES = {".py", ".html", ".txt", ".js"}
# Never copied: not source, or large (the front-end's packages and build, local data).
NOT_COPIED = {"node_modules", "media", "__pycache__", "staticfiles"}


def _make_messages_ignore() -> list[str]:
    """The --ignore patterns of `make messages`, read from its script so both stay alike."""
    path = ROOT / "scripts" / "makemessages.py"
    spec = importlib.util.spec_from_file_location("_makemessages_script", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.IGNORE)


IGNORE = _make_messages_ignore()


# --- reading .po and .pot files ---------------------------------------------------------------


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstrs: list[str] = field(default_factory=list)
    fuzzy: bool = False
    references: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str]:
        return self.msgctxt, self.msgid

    def describe(self) -> str:
        text = f"msgid {self.msgid!r}"
        if self.msgid_plural is not None:
            text += f" / msgid_plural {self.msgid_plural!r}"
        if self.msgctxt is not None:
            text = f"msgctxt {self.msgctxt!r} " + text
        return text


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b"}
_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"\s*$')


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


def parse_po(text: str) -> dict[tuple[str | None, str], Entry]:
    """The entries of a .po or .pot text by (msgctxt, msgid); the header and obsolete
    (#~) entries are left out."""
    entries: dict[tuple[str | None, str], Entry] = {}
    fields: dict[str, str] = {}
    comments: list[str] = []
    current = None

    def close():
        nonlocal fields, comments, current
        if "msgid" in fields and fields["msgid"]:
            flags = {
                flag.strip()
                for line in comments
                if line.startswith("#,")
                for flag in line[2:].split(",")
            }
            references = [
                reference
                for line in comments
                if line.startswith("#:")
                for reference in line[2:].split()
            ]
            strs = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
            entry = Entry(
                msgid=fields["msgid"],
                msgctxt=fields.get("msgctxt"),
                msgid_plural=fields.get("msgid_plural"),
                msgstrs=strs,
                fuzzy="fuzzy" in flags,
                references=references,
            )
            entries[entry.key] = entry
        fields, comments, current = {}, [], None

    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#~"):
            continue
        if stripped.startswith("#"):
            if current is not None:  # a comment starts the next entry
                close()
            comments.append(stripped)
            continue
        if not stripped:
            close()
            continue
        match = _LINE.match(stripped)
        if match:
            name = match.group(1)
            if name in ("msgctxt", "msgid") and current is not None and current != "msgctxt":
                close()  # entries without a blank line between them
            current = name
            fields[name] = _unquote(match.group(2))
        elif current is not None and stripped.startswith('"') and stripped.endswith('"'):
            fields[current] += _unquote(stripped[1:-1])
        else:
            raise ValueError(f"unreadable .po line: {line!r}")
    close()
    return entries


# --- the comparison ---------------------------------------------------------------------------


def needs_its_msgstr(language: str) -> bool:
    """English is the language of the msgids: an empty msgstr shows them as written."""
    return not language.startswith("en")


def problems(extracted: dict, committed: dict, language: str) -> list[tuple[Entry, str]]:
    """(extracted entry, what is wrong) for each string the committed file lacks."""
    found = []
    for key, entry in extracted.items():
        have = committed.get(key)
        if have is None:
            found.append((entry, "no entry"))
        elif have.msgid_plural != entry.msgid_plural:
            plurals = f".po has {have.msgid_plural!r}, code {entry.msgid_plural!r}"
            found.append((entry, f"plural differs ({plurals})"))
        elif have.fuzzy:
            found.append((entry, "fuzzy (not compiled)"))
        elif needs_its_msgstr(language) and not all(have.msgstrs):
            found.append((entry, "empty msgstr"))
    return found


def report(po_path: str, found: list[tuple[Entry, str]]) -> list[str]:
    lines = [f"{po_path}: {len(found)} string(s) to add or fix"]
    for entry, what in found:
        where = ", ".join(entry.references) or "(no reference)"
        lines.append(f"  {where}: {entry.describe()} -- {what}")
    return lines


# --- extraction -------------------------------------------------------------------------------


def _ignored(name: str) -> bool:
    return (
        name.startswith(".")
        or name in NOT_COPIED
        or any(fnmatch.fnmatchcase(name, pattern) for pattern in IGNORE)
    )


def _copy_ignore(directory: str, names: list[str]) -> set[str]:
    """Leaves out ignored folders and every file makemessages does not read (so also the
    committed .po and .mo files: the `locale` folders are copied empty, which is enough for
    makemessages to send each app's strings to its own folder)."""
    skipped = set()
    for name in names:
        path = Path(directory) / name
        if _ignored(name) or (path.is_file() and path.suffix not in SOURCE_SUFFIXES):
            skipped.add(name)
    return skipped


def extract(into: Path) -> Path:
    """Copies the source to `into` and runs makemessages there; returns the copy's root."""
    source = into / "source"
    source.mkdir()
    for item in sorted(ROOT.iterdir()):
        if item.is_dir() and not _ignored(item.name):
            shutil.copytree(item, source / item.name, ignore=_copy_ignore)
    shutil.copy2(ROOT / "manage.py", source / "manage.py")
    # The default folder for strings outside an app with a locale folder must exist.
    for path in settings.LOCALE_PATHS:
        (source / Path(path).relative_to(ROOT)).mkdir(parents=True, exist_ok=True)

    base = [sys.executable, "manage.py", "makemessages", "-l", "de", "--keep-pot", "-v", "0"]
    for pattern in IGNORE:
        base += ["--ignore", pattern]
    runs = [
        subprocess.Popen(
            [*base, "-d", domain],
            cwd=source,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for domain in DOMAINS
    ]
    for domain, run in zip(DOMAINS, runs, strict=True):
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, f"makemessages -d {domain} failed:\n{out}\n{err}"
    return source


def shipped_languages() -> list[str]:
    """The languages that have a committed message file in some app."""
    return sorted(
        {
            path.parts[-3]
            for top in ROOT.iterdir()
            if top.is_dir() and not _ignored(top.name)
            for domain in DOMAINS
            for path in top.glob(f"**/locale/*/LC_MESSAGES/{domain}.po")
            if not any(_ignored(part) for part in path.relative_to(ROOT).parts[:-1])
        }
    )


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[Path, dict]:
    """Each extracted template's entries, by its path relative to the project
    (`<app>/locale/<domain>.pot`)."""
    source = extract(tmp_path_factory.mktemp("makemessages"))
    templates = {
        path.relative_to(source): parse_po(path.read_text(encoding="utf-8"))
        for path in source.glob("**/locale/*.pot")
    }
    assert templates, "makemessages found no string at all"
    return templates


def test_the_message_files_are_found():
    assert "de" in shipped_languages()


@pytest.mark.parametrize("language", shipped_languages())
def test_every_translatable_string_has_its_entry(extracted, language):
    findings: list[str] = []
    count = 0
    for pot, entries in sorted(extracted.items()):
        po_path = pot.parent / language / "LC_MESSAGES" / pot.with_suffix(".po").name
        committed_file = ROOT / po_path
        committed = (
            parse_po(committed_file.read_text(encoding="utf-8")) if committed_file.exists() else {}
        )
        found = problems(entries, committed, language)
        if found:
            count += len(found)
            name = str(po_path) + ("" if committed_file.exists() else " (file missing)")
            findings += report(name, found)
    assert not findings, (
        f"{count} translatable string(s) have no usable {language} entry "
        "(add them by hand, then compilemessages):\n" + "\n".join(findings)
    )


# --- the check itself -------------------------------------------------------------------------

POT = r"""
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

#: fairs/views.py:10
msgid "Stand"
msgstr ""

#: fairs/views.py:11
msgctxt "seat"
msgid "Row"
msgstr ""

#: fairs/templates/fairs/plan.html:3
msgid "one table"
msgid_plural "%(count)s tables"
msgstr[0] ""
msgstr[1] ""

#: fairs/views.py:12
msgid ""
"Say \"hello\"\n"
"twice"
msgstr ""
"""


def test_the_check_finds_each_kind_of_gap():
    extracted = parse_po(POT)
    assert extracted[(None, 'Say "hello"\ntwice')].references == ["fairs/views.py:12"]
    complete = r"""
msgid "Stand"
msgstr "Stand"

msgctxt "seat"
msgid "Row"
msgstr "Reihe"

msgid "one table"
msgid_plural "%(count)s tables"
msgstr[0] "ein Tisch"
msgstr[1] "%(count)s Tische"

msgid ""
"Say \"hello\"\n"
"twice"
msgstr "Sagen Sie zweimal „Hallo“"
"""
    assert problems(extracted, parse_po(complete), "de") == []

    gaps = r"""
#, fuzzy
msgid "Stand"
msgstr "Stand"

msgid "Row"
msgstr "Reihe"

msgid "one table"
msgid_plural "%(count)s tables"
msgstr[0] "ein Tisch"
msgstr[1] ""

#~ msgid "Say \"hello\"\ntwice"
#~ msgstr "Sagen Sie zweimal „Hallo“"
"""
    found = {entry.msgid: what for entry, what in problems(extracted, parse_po(gaps), "de")}
    assert found == {
        "Stand": "fuzzy (not compiled)",
        "Row": "no entry",  # the context differs
        "one table": "empty msgstr",
        'Say "hello"\ntwice': "no entry",  # obsolete
    }
    lines = report("fairs/de.po", problems(extracted, parse_po(gaps), "de"))
    assert "  fairs/views.py:11: msgctxt 'seat' msgid 'Row' -- no entry" in lines

    # English keeps empty msgstrs (the msgid is shown), but not gaps or fuzzy entries.
    found = {entry.msgid for entry, _ in problems(extracted, parse_po(gaps), "en")}
    assert found == {"Stand", "Row", 'Say "hello"\ntwice'}

    singular_only = 'msgid "one table"\nmsgstr "ein Tisch"\n'
    (entry, what), *_ = problems(
        {k: v for k, v in extracted.items() if v.msgid == "one table"},
        parse_po(singular_only),
        "de",
    )
    assert what.startswith("plural differs")
