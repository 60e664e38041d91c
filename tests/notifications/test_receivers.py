"""The receivers of the domain signals are wired by name: a wrong name stops the start-up."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from notifications import receivers
from ticketing import signals as ticketing_signals


def test_every_named_receiver_is_connected_to_its_signal():
    connected = receivers.connect()
    assert len(connected) == len(receivers.RECEIVERS)
    assert ticketing_signals.registration_confirmed.has_listeners()
    assert "ticketing.signals.registration_confirmed" in connected


def test_a_receiver_for_an_unknown_signal_fails_the_start_up(monkeypatch):
    monkeypatch.setattr(
        receivers,
        "RECEIVERS",
        [
            *receivers.RECEIVERS,
            (ticketing_signals, "registration_confirmd", receivers.on_registration_confirmed),
        ],
    )
    with pytest.raises(ImproperlyConfigured, match="registration_confirmd"):
        apps.get_app_config("notifications").ready()


def test_a_name_that_is_not_a_signal_is_refused(monkeypatch):
    # ticketing.signals imports Signal itself: that name exists but is no signal to listen to.
    monkeypatch.setattr(
        receivers,
        "RECEIVERS",
        [(ticketing_signals, "Signal", receivers.on_registration_confirmed)],
    )
    with pytest.raises(ImproperlyConfigured, match="'Signal'"):
        receivers.connect()
