"""What a data request did, in words: the log's result (`DataRequest.result`, counts under
machine keys) as short translated phrases, for the back office's list and its messages.

The keys are the providers' (each app's `subject_data.py`): an erasure's counts per kind of
record, and an export's record count per section (the two share some keys, such as
`stand_contacts`, hence two tables). Phrases follow the tables' order (the database does
not keep the keys' order). A key the tables do not know yet is still shown, as
"key: count", so a new provider's result is never hidden.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

# (singular, plural) with %(count)s, one per result key of an erasure.
ERASED = {
    "registrations_cancelled": ngettext_lazy(
        "%(count)s registration cancelled", "%(count)s registrations cancelled", "count"
    ),
    "registrations_anonymised": ngettext_lazy(
        "%(count)s registration anonymised", "%(count)s registrations anonymised", "count"
    ),
    "consents_deleted": ngettext_lazy(
        "%(count)s consent deleted", "%(count)s consents deleted", "count"
    ),
    "calendar_feeds_deleted": ngettext_lazy(
        "%(count)s calendar feed deleted", "%(count)s calendar feeds deleted", "count"
    ),
    "stand_contacts": ngettext_lazy(
        "%(count)s stand contact erased", "%(count)s stand contacts erased", "count"
    ),
    "applications_withdrawn": ngettext_lazy(
        "%(count)s application withdrawn", "%(count)s applications withdrawn", "count"
    ),
    "business_records_kept": ngettext_lazy(
        "%(count)s business record kept", "%(count)s business records kept", "count"
    ),
    "messages_anonymised": ngettext_lazy(
        "%(count)s e-mail anonymised", "%(count)s e-mails anonymised", "count"
    ),
    "messages_stopped": ngettext_lazy(
        "%(count)s unsent e-mail stopped", "%(count)s unsent e-mails stopped", "count"
    ),
    "unsubscribes_kept": ngettext_lazy(
        "%(count)s unsubscribe kept", "%(count)s unsubscribes kept", "count"
    ),
    "programme_participants": ngettext_lazy(
        "%(count)s programme participant erased", "%(count)s programme participants erased", "count"
    ),
    "survey_invitations_anonymised": ngettext_lazy(
        "%(count)s survey invitation anonymised", "%(count)s survey invitations anonymised", "count"
    ),
    "survey_lists_cleaned": ngettext_lazy(
        "%(count)s survey address list cleaned", "%(count)s survey address lists cleaned", "count"
    ),
}

# The same for an export: records copied per section.
EXPORTED = {
    "registrations": ngettext_lazy("%(count)s registration", "%(count)s registrations", "count"),
    "consents": ngettext_lazy("%(count)s consent", "%(count)s consents", "count"),
    "tickets": ngettext_lazy("%(count)s ticket", "%(count)s tickets", "count"),
    "calendar_feeds": ngettext_lazy("%(count)s calendar feed", "%(count)s calendar feeds", "count"),
    "applications": ngettext_lazy("%(count)s application", "%(count)s applications", "count"),
    "stand_contacts": ngettext_lazy("%(count)s stand contact", "%(count)s stand contacts", "count"),
    "messages": ngettext_lazy("%(count)s e-mail", "%(count)s e-mails", "count"),
    "unsubscribes": ngettext_lazy("%(count)s unsubscribe", "%(count)s unsubscribes", "count"),
    "company_contacts": ngettext_lazy(
        "%(count)s company contact person", "%(count)s company contact people", "count"
    ),
    "stand_bookings": ngettext_lazy("%(count)s stand booking", "%(count)s stand bookings", "count"),
    "company_accounts": ngettext_lazy(
        "%(count)s exhibitor account", "%(count)s exhibitor accounts", "count"
    ),
    "programme_participants": ngettext_lazy(
        "%(count)s programme participant", "%(count)s programme participants", "count"
    ),
    "programme_signups": ngettext_lazy(
        "%(count)s programme sign-up", "%(count)s programme sign-ups", "count"
    ),
    "survey_invitations": ngettext_lazy(
        "%(count)s survey invitation", "%(count)s survey invitations", "count"
    ),
}


def phrases(result: dict, *, kind: str) -> list[str]:
    """The result of a request of `kind` (a DataRequest.Kind value) as phrases in the active
    language, leaving out what is zero."""
    if kind == "link":
        sent = result.get("sent")
        return [_("Link sent") if sent else _("Nothing stored, no link sent")]
    table = ERASED if kind == "erasure" else EXPORTED
    order = list(table)

    def place(key: str) -> tuple:
        return (0, order.index(key)) if key in table else (1, key)

    shown = []
    for key in sorted(result, key=place):
        count = result[key]
        if not count:
            continue
        if key in table and isinstance(count, int):
            shown.append(table[key] % {"count": count})
        else:
            shown.append(f"{key.replace('_', ' ')}: {count}")
    return shown


def summary(result: dict, *, kind: str) -> str:
    """The result in one line: "6 registrations cancelled, 18 consents deleted"."""
    return ", ".join(phrases(result, kind=kind)) or _("Nothing found")
