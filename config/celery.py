"""The Celery app and the one beat schedule of the platform."""

import os

from celery import Celery

# Signal hooks: the request id into task headers and worker logs, JSON logs, task counters.
from infra import observability  # noqa: F401

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("events_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every periodic job of every app is listed here, so the schedule is read in one place.
# Each job is safe to run twice at once (two beats by mistake, or a slow run overlapping).
app.conf.beat_schedule = {
    "events-platform-heartbeat": {
        "task": "infra.heartbeat.record_heartbeat",
        "schedule": 60.0,
    },
    # notifications: hand over what is due and was missed (broker down, worker killed).
    "notifications-sweep-outbox": {
        "task": "notifications.tasks.sweep_outbox",
        "schedule": 60.0,
    },
    # notifications: reminders that are due now (found by time, not by far-future ETAs).
    "notifications-send-due-reminders": {
        "task": "notifications.tasks.send_due_reminders",
        "schedule": 300.0,
    },
    # notifications: announcements whose send time has come.
    "notifications-start-due-announcements": {
        "task": "notifications.tasks.start_due_announcements",
        "schedule": 60.0,
    },
    # notifications: the organisers' daily summary of stand requests, withdrawals and full
    # events (written once per organiser and day, from 06:00 on; hourly, so a missed run
    # catches up).
    "notifications-send-daily-digests": {
        "task": "notifications.tasks.send_daily_digests",
        "schedule": 3600.0,
    },
    # fairs: stand offers from the waiting list left unanswered for a week free the stand.
    "fairs-expire-stale-offers": {
        "task": "fairs.tasks.expire_stale_offers",
        "schedule": 3600.0,
    },
    # ticketing: waiting-list offers that ran out move on to the next in line.
    "ticketing-expire-waitlist-offers": {
        "task": "ticketing.tasks.expire_waitlist_offers",
        "schedule": 300.0,
    },
    # ticketing: camp places without a guardian's confirmation after 72 h are released
    # and the minor's data deleted.
    "ticketing-release-unconfirmed-minors": {
        "task": "ticketing.tasks.release_unconfirmed_minors",
        "schedule": 900.0,
    },
    # ticketing: places freed by a raised capacity are offered to the waiting list.
    "ticketing-promote-waiting-lists": {
        "task": "ticketing.tasks.promote_waiting_lists",
        "schedule": 900.0,
    },
    # ticketing: every place counter compared with the registrations; a difference is
    # logged as an error (ticketing/counters.py).
    "ticketing-check-place-counters": {
        "task": "ticketing.tasks.check_place_counters",
        "schedule": 3600.0,
    },
    # ticketing: visitors' personal data is anonymised after the retention period.
    "ticketing-erase-expired-visitor-data": {
        "task": "ticketing.tasks.erase_expired_visitor_data",
        "schedule": 3600.0,
    },
    # ticketing: camp medical notes and emergency contacts, a week after the camp's end.
    "ticketing-erase-expired-medical-notes": {
        "task": "ticketing.tasks.erase_expired_medical_notes",
        "schedule": 3600.0,
    },
    # fairs: the people in stand bookings, once the business-records period has passed.
    "fairs-anonymise-expired-booking-contacts": {
        "task": "fairs.tasks.anonymise_expired_booking_contacts",
        "schedule": 86400.0,
    },
    # applications: erased with their PDFs some months after the event (organisation setting).
    "applications-erase-expired": {
        "task": "applications.tasks.erase_expired_applications",
        "schedule": 3600.0,
    },
    # programmes: mentors, mentees and sign-up contacts, some months after the programme ends.
    "programmes-erase-expired-participants": {
        "task": "programmes.tasks.erase_expired_participants",
        "schedule": 86400.0,
    },
    # surveys: the automatic reminder N days before closing; surveys past their end close.
    "surveys-remind-and-close": {
        "task": "surveys.tasks.remind_and_close",
        "schedule": 900.0,
    },
    # surveys: invited addresses and unsent drafts, 90 days after the survey closed.
    "surveys-erase-expired-invitations": {
        "task": "surveys.tasks.erase_expired_invitations",
        "schedule": 86400.0,
    },
    # leads: stand contacts, some months after the fair (organisation setting); counts stay.
    "leads-erase-expired-contacts": {
        "task": "leads.tasks.erase_expired_contacts",
        "schedule": 3600.0,
    },
    # notifications: copies of mails to visitors leave with the visitors' data.
    "notifications-anonymise-expired-messages": {
        "task": "notifications.tasks.anonymise_expired_messages",
        "schedule": 3600.0,
    },
}
