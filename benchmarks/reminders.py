"""Reminder throughput: N due reminders written by the periodic task and handed by the real
Celery workers of the production-like run (`make prod-like`) to a local SMTP sink.

Starts the production-like run (benchmarks/_prodlike.py: PostgreSQL and Redis from
`scripts/services.sh`, gunicorn, two Celery worker processes and beat, production settings)
on a throwaway database `bench_reminders`, with its mail pointed at an aiosmtpd sink on
loopback. Creates one event with `--count` confirmed registrations, runs
`send_due_reminders` at the event's "day before" time, and waits until the sink has
received every mail. Prints the time to
write the outbox rows, the time until the last mail arrived, and messages per second. It
checks that every registration got exactly one reminder (exit 1 otherwise).

    eval "$(scripts/services.sh start)"
    .venv/bin/python benchmarks/reminders.py --count 10000 --concurrency 4
"""

import argparse
import contextlib
import os
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks._prodlike import prod_like, settings_env  # noqa: E402

BENCH_DB = "bench_reminders"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _bench_database_url(base: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{BENCH_DB}"))


def _recreate_database(base: str) -> None:
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def _drop_database(base: str) -> None:
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


class Sink:
    """An SMTP server that accepts everything and counts what it received per recipient."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.received: Counter = Counter()
        self.lock = threading.Lock()
        self.last_at = 0.0
        outer = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                with outer.lock:
                    for rcpt in envelope.rcpt_tos:
                        outer.received[rcpt.lower()] += 1
                    outer.last_at = time.monotonic()
                return "250 OK"

        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=port)

    def total(self) -> int:
        with self.lock:
            return sum(self.received.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=50)
    args = parser.parse_args()

    base_db = os.environ.get("DATABASE_URL")
    redis_url = os.environ.get("REDIS_URL")
    if not base_db or not redis_url:
        print('Set DATABASE_URL and REDIS_URL: eval "$(scripts/services.sh start)"')
        return 2
    _recreate_database(base_db)
    sink = Sink()
    sink.controller.start()
    mail_env = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": sink.controller.hostname,
        "EMAIL_PORT": str(sink.controller.port),
        "NOTIFICATIONS_BATCH_SIZE": str(args.batch_size),
    }
    processes = contextlib.ExitStack()
    try:
        base_url = processes.enter_context(
            prod_like(
                port=_free_port(), db=BENCH_DB, worker_concurrency=args.concurrency, env=mail_env
            )
        )
        # This process writes the outbox rows with the run's own settings and database.
        os.environ.update(settings_env(base_url) | mail_env)
        os.environ.pop("PYTEST_VERSION", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        queue = os.environ["CELERY_TASK_DEFAULT_QUEUE"]
        import django

        django.setup()
        from django.utils import timezone

        from config.celery import app
        from events_platform.models import Event, Organisation, Venue
        from notifications import reminders
        from notifications.models import Message
        from ticketing.models import Registration

        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(queue)

        organisation = Organisation.objects.create(name="Bench", slug="bench")
        venue = Venue.objects.create(organisation=organisation, name="Halle", town="Torgau")
        # The "day before" reminder fell due a minute ago.
        starts = timezone.now().replace(microsecond=0) + timedelta(days=1, minutes=-1)
        event = Event.objects.create(
            organisation=organisation,
            venue=venue,
            kind=Event.Kind.WORKSHOP,
            status=Event.Status.PUBLISHED,
            slug="bench-reminders",
            title_de="Fachtag Fachkräfte",
            title_en="Skilled-worker conference",
            starts_at=starts,
            ends_at=starts + timedelta(hours=6),
        )
        now = timezone.now()
        Registration.objects.bulk_create(
            (
                Registration(
                    event=event,
                    status=Registration.Status.CONFIRMED,
                    name=f"Gast {n}",
                    email=f"guest{n:06d}@example.org",
                    created_at=now,
                    confirmed_at=now,
                )
                for n in range(args.count)
            ),
            batch_size=2000,
        )

        due = reminders.due_at(event.starts_at, "1d")
        started = time.monotonic()
        assert due <= timezone.now()
        written = reminders.send_due_reminders(now=timezone.now())
        written_at = time.monotonic()
        deadline = time.monotonic() + 1800
        while sink.total() < written and time.monotonic() < deadline:
            time.sleep(0.2)
        finished = sink.last_at
        total = finished - started
        delivery = finished - written_at
        sent_rows = Message.objects.filter(state=Message.State.SENT).count()
        print(f"reminders due:            {args.count}")
        print(f"outbox rows written:      {written} in {written_at - started:.1f} s")
        print(f"mails received by sink:   {sink.total()} ({len(sink.received)} addresses)")
        print(f"rows marked sent:         {sent_rows}")
        print(
            f"workers:                  2 prefork processes x {args.concurrency} children "
            f"(make prod-like), {args.batch_size} messages per task"
        )
        print(f"total time:               {total:.1f} s")
        print(
            f"messages per second:      {sink.total() / total:.0f} (end to end), "
            f"{sink.total() / delivery:.0f} (sending only)"
        )
        ok = (
            written == args.count
            and len(sink.received) == args.count
            and max(sink.received.values()) == 1
        )
        if not ok:
            print("FAILED: not every registration got exactly one reminder")
        return 0 if ok else 1
    finally:
        processes.close()
        sink.controller.stop()
        from django.db import connections

        connections.close_all()
        _drop_database(base_db)


if __name__ == "__main__":
    sys.exit(main())
