"""Check-in use cases (writes). One module per area; import from here.

* `redeem`: the one redeem use case (`redeem_ticket`) and its locked way;
* `rules`: the admission rules, pure: which answer a scan gets (both ways answer by them);
* `door_rush`: a ticket's online entry on PostgreSQL in one prepared statement;
* `keys`: is a code genuine (its signature, with the event's public key kept a minute);
* `devices`: pairing, moving, refusing and revoking scanners, and the check of a kept one;
* `lists`: the check-in lists (one per camp day); `door`: entrances, staff and walk-ins;
* `prepared`: the statements PostgreSQL keeps prepared per connection.
"""

from .devices import (
    PAIRING_SECONDS,
    StaleDevice,
    pair_device,
    pairing_token,
    refuse_device,
    revoke_device,
    set_device_entrance,
    touch_device,
)
from .door import add_entrance, assign_staff, count_walk_in
from .lists import ensure_checkin_lists
from .redeem import redeem_ticket
from .rules import Answer, Code

__all__ = [
    "PAIRING_SECONDS",
    "Answer",
    "Code",
    "StaleDevice",
    "add_entrance",
    "assign_staff",
    "count_walk_in",
    "ensure_checkin_lists",
    "pair_device",
    "pairing_token",
    "redeem_ticket",
    "refuse_device",
    "revoke_device",
    "set_device_entrance",
    "touch_device",
]
