"""Every ticketing page shows ticketing's own translation of its words.

Django merges the message catalogues of all apps into one: the project's LOCALE_PATHS and the
apps listed before ticketing win. A msgid that another catalogue also has (its "Yes, cancel" is
"Ja, absagen", an event's cancellation) then shows that catalogue's words on a ticketing page
("Ja, absagen" under "Anmeldung stornieren"). Such a string needs a context of its own
(`pgettext`, `{% translate "…" context "…" %}`).
"""

from pathlib import Path

import pytest
from django.utils import translation

from tests.test_translations_complete import parse_po

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("language", ["de", "en"])
def test_no_other_catalogue_overrides_a_ticketing_translation(language):
    path = ROOT / "ticketing" / "locale" / language / "LC_MESSAGES" / "django.po"
    entries = parse_po(path.read_text(encoding="utf-8"))
    assert len(entries) > 100
    wrong = []
    with translation.override(language):
        for (context, msgid), entry in entries.items():
            if entry.fuzzy:
                continue
            if entry.msgid_plural is None:
                # English: an empty msgstr means the msgid as written.
                expected = entry.msgstrs[0] or msgid
                shown = (
                    translation.pgettext(context, msgid) if context else translation.gettext(msgid)
                )
            else:
                expected = entry.msgstrs[1] or entry.msgid_plural
                shown = (
                    translation.npgettext(context, msgid, entry.msgid_plural, 5)
                    if context
                    else translation.ngettext(msgid, entry.msgid_plural, 5)
                )
            if shown != expected:
                where = ", ".join(entry.references)
                wrong.append(f"{where}: {msgid!r} shows {shown!r}, not {expected!r}")
    assert not wrong, "give these strings a context of their own:\n" + "\n".join(wrong)
