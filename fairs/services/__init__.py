"""The use cases of the exhibitor side (writes). One module per area; import from here."""

from .bookings import (
    Extras,
    approve_booking,
    booking_refusal,
    cancel_booking,
    reject_booking,
    request_stands,
    withdraw_booking,
)
from .companies import (
    accept_company_invitation,
    confirm_company_email,
    invite_company_member,
    remove_company_member,
    request_company_email_confirmation,
    sign_up_company,
    update_company_profile,
    verify_company,
)
from .jobs import create_job_offer, delete_job_offer, exhibiting_events, update_job_offer
from .passes import issue_staff_pass, revoke_staff_pass
from .plans import StandImportError, import_stands_csv
from .retention import anonymise_expired_booking_contacts
from .waitlist import (
    accept_offer,
    decline_offer,
    expire_stale_offers,
    join_waitlist,
    leave_waitlist,
    offer_stand,
)

__all__ = [
    "Extras",
    "StandImportError",
    "accept_company_invitation",
    "accept_offer",
    "anonymise_expired_booking_contacts",
    "approve_booking",
    "booking_refusal",
    "cancel_booking",
    "confirm_company_email",
    "create_job_offer",
    "decline_offer",
    "delete_job_offer",
    "exhibiting_events",
    "expire_stale_offers",
    "import_stands_csv",
    "invite_company_member",
    "issue_staff_pass",
    "join_waitlist",
    "leave_waitlist",
    "offer_stand",
    "reject_booking",
    "remove_company_member",
    "request_company_email_confirmation",
    "request_stands",
    "revoke_staff_pass",
    "sign_up_company",
    "update_company_profile",
    "update_job_offer",
    "verify_company",
    "withdraw_booking",
]
