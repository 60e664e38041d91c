from collections import defaultdict

import pytest

from fairs import signals


@pytest.fixture
def sent():
    """Records every fairs domain signal: `sent["booking_approved"]` is a list of kwargs."""
    records = defaultdict(list)
    receivers = []
    for name in [
        "company_email_confirmation_requested",
        "company_member_invited",
        "booking_requested",
        "booking_approved",
        "booking_rejected",
        "booking_cancelled",
        "waitlist_offer_made",
    ]:

        def receiver(sender, _name=name, **kwargs):
            kwargs.pop("signal", None)
            records[_name].append(kwargs | {"sender": sender})

        getattr(signals, name).connect(receiver, weak=False)
        receivers.append((getattr(signals, name), receiver))
    yield records
    for signal, receiver in receivers:
        signal.disconnect(receiver)
