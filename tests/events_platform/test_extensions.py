"""Apps add panels to the core's event and series pages without the core importing them."""

import pytest
from django.urls import reverse

from events_platform.extensions import event_panels, series_panels
from tests.factories import EventFactory, EventSeriesFactory


@pytest.fixture
def panels():
    event_panels.register("test-late", lambda request, event: "<p>Zweites Panel</p>", order=90)
    event_panels.register(
        "test-early", lambda request, event: f"<p>Panel für {event.title}</p>", order=1
    )
    event_panels.register("test-empty", lambda request, event: None, order=50)
    series_panels.register("test", lambda request, series: f"<p>Reihe {series.title}</p>")
    yield
    for registry, names in (
        (event_panels, ["test-late", "test-early", "test-empty"]),
        (series_panels, ["test"]),
    ):
        for name in names:
            registry._panels.pop(name)


@pytest.mark.django_db
def test_event_page_renders_registered_panels_in_order(client, panels):
    event = EventFactory(title_de="Messe Torgau")
    html = client.get(reverse("events_platform:event-detail", args=[event.slug])).text
    assert "<p>Panel für Messe Torgau</p>" in html
    assert html.index("Panel für Messe Torgau") < html.index("Zweites Panel")


@pytest.mark.django_db
def test_series_page_renders_registered_panels(client, panels):
    series = EventSeriesFactory(title_de="Rückkehrertag")
    EventFactory(series=series, organisation=series.organisation)
    html = client.get(reverse("events_platform:series-detail", args=[series.slug])).text
    assert "<p>Reihe Rückkehrertag</p>" in html


@pytest.mark.django_db
def test_navigation_shows_links_other_apps_register(client):
    from events_platform.extensions import nav_links

    nav_links.register("test", lambda request: [("Testbereich", "/test-bereich/")], order=99)
    try:
        html = client.get(reverse("events_platform:home")).text
    finally:
        nav_links._providers.pop("test")
    assert '<a href="/test-bereich/">Testbereich</a>' in html
    # The exhibitors' link is registered by fairs and shown on the core's pages too.
    assert f'href="{reverse("fairs:fair-list")}"' in html


def _registration_section(html: str) -> str:
    return html[html.index('id="registration-title"') : html.index('id="details-title"')]


@pytest.mark.django_db
def test_registration_actions_other_apps_register_sit_in_the_registration_section(client):
    from events_platform.extensions import event_actions

    event = EventFactory(title_de="Fachtag Torgau")
    event_actions.register("test", lambda request, event: f"<p>Aktion für {event.title}</p>")
    try:
        html = client.get(reverse("events_platform:event-detail", args=[event.slug])).text
    finally:
        event_actions.unregister("test")
    assert "<p>Aktion für Fachtag Torgau</p>" in _registration_section(html)
    assert html.count("Aktion für Fachtag Torgau") == 1


@pytest.mark.django_db
def test_the_register_button_ticketing_adds_shows_once_in_the_registration_section(client):
    event = EventFactory(registration_required=True, capacity=40)
    html = client.get(reverse("events_platform:event-detail", args=[event.slug])).text
    register_url = reverse("ticketing:register", args=[event.slug])
    assert f'href="{register_url}"' in _registration_section(html)
    assert html.count(f'href="{register_url}"') == 1
    assert "Noch 40 Plätze frei." in _registration_section(html)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "notice", "data"),
    [("/", "Datenschutzerklärung", "Ihre Daten"), ("/en/", "Privacy notice", "Your data")],
)
def test_the_footer_links_data_protection_registers_show_on_every_page(client, path, notice, data):
    from django.utils import translation

    html = client.get(path).text
    with translation.override(path.strip("/") or "de"):
        notice_url = reverse("dataprotection:privacy-notice")
        data_url = reverse("dataprotection:data-request")
    footer = html[html.index("<footer") :]
    assert f'<a class="kern-link" href="{notice_url}">{notice}</a>' in footer
    assert f'<a class="kern-link" href="{data_url}">{data}</a>' in footer
    # The page Django renders without a request (a NUL byte in the address) has them too.
    bad = client.get(path + "?q=%00")
    assert bad.status_code == 400
    assert f'href="{notice_url}"' in bad.text[bad.text.index("<footer") :]
