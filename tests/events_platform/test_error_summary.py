"""Every form that can come back with errors shows one error summary at the top: each error a
link to its field, focus moved to the summary (events_platform/_error_summary.html)."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import EventFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
# Every app with templates, the new ones included.
APPS = sorted(
    path.parent.name for path in ROOT.glob("*/templates") if path.parent.name != "frontend"
)
SUMMARY = "events_platform/_error_summary.html"

# Templates with a POST form whose errors are shown another way, and why.
NO_SUMMARY = {
    # Per-row decision forms without a Django form: the one error of a row is shown at its
    # field, which then has the focus.
    "fairs/organiser_fair.html",
    # One field and no Django form: a failed pairing is explained in an alert above it.
    "checkin/pair.html",
    # One optional reason that cannot be wrong: the server keeps its first 1,000 characters.
    "workspace/event_cancel.html",
}

POST_FORM = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", re.S | re.I)
# What makes a form one with fields a person fills in: a visible input, a select or a
# textarea, or fields rendered from a Django form.
FIELD = re.compile(
    r"<input\b(?![^>]*type=\"hidden\")(?![^>]*\bhidden\b)|<select\b|<textarea\b"
    r"|as_field_group|_field\.html|_form_fields\.html|\{\{\s*\w*form\.\w+\s*\}\}"
    r"|\{%\s*for field in \w*form",
    re.I,
)
INCLUDE = re.compile(r"\{%\s*include\s+\"([^\"]+)\"")


def _templates():
    for app in APPS:
        for path in sorted(ROOT.glob(f"{app}/**/templates/**/*.html")):
            name = str(path).split("/templates/", 1)[1]
            if name.startswith("admin/") or "/mail/" in name:
                continue  # Django admin pages have their own error style; mails have no forms
            yield name, path


def _template_text(name: str) -> str:
    for app in APPS:
        for path in ROOT.glob(f"{app}/**/templates/{name}"):
            return path.read_text()
    return ""


def _includes_summary(text: str, depth: int = 2) -> bool:
    if SUMMARY in text:
        return True
    if depth == 0:
        return False
    return any(_includes_summary(_template_text(name), depth - 1) for name in INCLUDE.findall(text))


def test_the_scan_finds_forms_with_fields_and_leaves_button_forms_alone():
    with_fields = '<form method="post">{% csrf_token %}<input name="q" type="text"></form>'
    button_only = (
        '<form method="post"><input type="hidden" name="next" value="/">'
        '<button type="submit">Go</button></form>'
    )
    assert FIELD.search(POST_FORM.search(with_fields).group(1))
    assert not FIELD.search(POST_FORM.search(button_only).group(1))
    assert _includes_summary('{% include "fairs/_errors.html" %}')
    assert not _includes_summary('{% include "events_platform/_field.html" %}')


POST_FORM_TAG = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>", re.I)


def test_every_post_form_with_fields_leaves_checking_to_the_server():
    """`novalidate` on each: otherwise the browser's own bubble (in the browser's language,
    gone after a moment, not read by every screen reader) stops the form before the
    translated errors next to the fields and in the summary can appear."""
    missing = []
    checked = 0
    for name, path in _templates():
        text = path.read_text()
        for match in POST_FORM.finditer(text):
            if not FIELD.search(match.group(1)):
                continue
            checked += 1
            tag = POST_FORM_TAG.match(text, match.start()).group(0)
            if "novalidate" not in tag:
                missing.append(f"{name}: {tag[:80]}")
    assert checked >= 20, f"the scan found only {checked} forms: is the pattern broken?"
    assert not missing, "POST forms checked by the browser:\n" + "\n".join(missing)


def test_every_post_form_with_fields_includes_the_error_summary():
    missing = []
    checked = 0
    for name, path in _templates():
        text = path.read_text()
        forms = [body for body in POST_FORM.findall(text) if FIELD.search(body)]
        if not forms or name in NO_SUMMARY:
            continue
        checked += 1
        if not _includes_summary(text):
            missing.append(name)
    assert checked >= 15, f"the scan found only {checked} form templates: is the pattern broken?"
    assert not missing, "POST forms without the error summary: " + ", ".join(missing)


class _Page(HTMLParser):
    """The ids on a page and the links and focus target of its error summary."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.summaries: list[dict] = []
        self.links: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if "data-error-summary" in attrs:
            self.summaries.append(attrs)
            self._depth = 1
        elif self._depth and tag not in ("br", "img", "input", "hr"):
            self._depth += 1
        if self._depth and tag == "a":
            self.links.append(attrs.get("href", ""))

    def handle_endtag(self, tag):
        if self._depth and tag not in ("br", "img", "input", "hr"):
            self._depth -= 1


def _summary_of(response) -> _Page:
    page = _Page()
    page.feed(response.content.decode())
    assert len(page.summaries) == 1, "expected one error summary"
    summary = page.summaries[0]
    assert summary.get("tabindex") == "-1" and "autofocus" in summary, "focus moves to it"
    for href in page.links:
        assert href.startswith("#") and href[1:] in page.ids, f"{href} leads to no field"
    return page


@pytest.mark.django_db
def test_summary_links_each_error_to_its_field_on_the_visitor_registration():
    event = EventFactory()
    response = Client().post(f"/tickets/anmelden/{event.slug}/", {"name": "", "email": "kein"})
    assert response.status_code == 400  # the form comes back, with what was typed
    page = _summary_of(response)
    assert "#id_name" in page.links and "#id_email" in page.links
    assert "#id_privacy_consent" in page.links


@pytest.mark.django_db
def test_summary_on_the_company_sign_up_and_the_data_request():
    response = Client().post("/fairs/firma/registrieren/", {"name": ""})
    page = _summary_of(response)
    assert len(page.links) >= 3
    # Fields rendered by as_field_group are KERN's: label, hint and error named for the input.
    html = response.content.decode()
    assert '<label class="kern-label" for="id_email">' in html
    assert 'class="kern-form-input__input" aria-invalid="true"' in html
    assert 'aria-describedby="id_email_helptext id_email_error"' in html
    page = _summary_of(Client().post("/ihre-daten/", {"email": ""}))
    assert page.links == ["#id_email"]


@pytest.mark.django_db
def test_failed_sign_in_shows_the_summary_and_keeps_the_user_name():
    UserFactory(username="hr-person")
    response = Client().post("/login/", {"username": "hr-person", "password": "falsch"})
    _summary_of(response)
    assert 'value="hr-person"' in response.content.decode()


def test_a_label_that_ends_in_a_full_stop_is_not_followed_by_a_colon_as_well():
    from django import forms
    from django.template.loader import render_to_string

    class Consent(forms.Form):
        agreed = forms.BooleanField(label="Die Person stimmt der Datenschutzerklärung zu.")
        name = forms.CharField(label="Name:")

    html = render_to_string(SUMMARY, {"form": Consent({})})
    assert "Datenschutzerklärung zu: Bitte kreuzen Sie dieses Feld an." in html
    assert "Name: Bitte füllen" in html
    assert ".:" not in html and "::" not in html


@pytest.mark.parametrize(
    ("language", "one", "several", "tick"),
    [
        (
            "de",
            "Bitte wählen Sie eine der Möglichkeiten aus.",
            "Bitte wählen Sie mindestens eine Möglichkeit aus.",
            "Bitte kreuzen Sie dieses Feld an.",
        ),
        (
            "en",
            "Please choose one of the options.",
            "Please choose at least one option.",
            "Please tick this box.",
        ),
    ],
)
def test_an_empty_choice_asks_to_choose_not_to_fill_in(language, one, several, tick):
    from django import forms
    from django.utils import translation

    from events_platform.models import Event

    class Choices(forms.Form):
        slot = forms.ChoiceField(choices=[("9", "9 Uhr")], widget=forms.RadioSelect)
        topics = forms.MultipleChoiceField(
            choices=[("a", "A")], widget=forms.CheckboxSelectMultiple
        )
        events = forms.ModelMultipleChoiceField(queryset=Event.objects.none())
        agreed = forms.BooleanField()
        name = forms.CharField()
        own = forms.ChoiceField(choices=[("x", "X")], error_messages={"required": "Eigene."})

    with translation.override(language):
        errors = {name: list(messages) for name, messages in Choices({}).errors.items()}

    assert errors["slot"] == [one]
    assert errors["topics"] == errors["events"] == [several]
    assert errors["agreed"] == [tick]
    assert errors["name"] == [
        {"de": "Bitte füllen Sie dieses Feld aus.", "en": "This field is required."}[language]
    ]
    assert errors["own"] == ["Eigene."]
