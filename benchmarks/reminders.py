"""Reminder throughput: N due reminders written by the periodic task and handed by the real
Celery workers of the production-like run (`make prod-like`) to a local SMTP sink.

Starts the production-like run (benchmarks/_prodlike.py: PostgreSQL and Redis from
`scripts/services.sh`, gunicorn, two Celery worker processes and beat, production settings)
on a throwaway database `bench_reminders`, with its mail pointed at an aiosmtpd sink on
loopback. Creates one event with `--count` confirmed registrations, runs
`send_due_reminders` at the event's "day before" time, and waits until the sink has
received every mail. Prints the time to
write the outbox rows, the time until the last mail arrived, messages per second, and the
CPU spent per message by the two Celery workers (their processes and pool children) and by
the database (the PostgreSQL backends of the benchmark's database), read from /proc before,
every half second while the mails go out (a backend that closes after CONN_MAX_AGE keeps
what it had used when last seen), and after. "End to end" runs from the call of
`send_due_reminders` (writing the rows included; the workers start on the first 1,000 while
the rest are written) to the last mail at the sink. The sink runs in this process with its
own log quiet; its CPU is printed apart (it stands for a mail server on another machine but
shares this one's CPUs). It checks that every registration got exactly one reminder (exit 1
otherwise).

    eval "$(scripts/services.sh start)"
    .venv/bin/python benchmarks/reminders.py --count 10000 --concurrency 4
"""

import argparse
import contextlib
import logging
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


def _process_cpu(pid: int) -> float:
    """User and system CPU seconds used so far by one process (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _tree(pid: int) -> list[int]:
    """The process and all its descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        children = Path(f"/proc/{current}/task/{current}/children")
        with contextlib.suppress(FileNotFoundError):
            todo.extend(int(child) for child in children.read_text().split())
    return found


def cpu_snapshot(run_dir: Path, base_db: str) -> dict[str, dict[int, float]]:
    """CPU seconds per process of the Celery workers and of the benchmark database's backends."""
    import psycopg

    workers: dict[int, float] = {}
    for n in (1, 2):
        with contextlib.suppress(FileNotFoundError, ValueError):
            for pid in _tree(int((run_dir / f"worker{n}.child.pid").read_text().strip())):
                workers[pid] = _process_cpu(pid)
    with psycopg.connect(base_db, autocommit=True) as conn:
        pids = [
            row[0]
            for row in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", [BENCH_DB]
            ).fetchall()
        ]
    return {"workers": workers, "database": {pid: _process_cpu(pid) for pid in pids}}


def merge_cpu(seen: dict[str, dict[int, float]], now: dict[str, dict[int, float]]) -> None:
    """Keep the highest CPU figure seen per process (a process that has exited keeps its last)."""
    for kind, processes in now.items():
        for pid, seconds in processes.items():
            seen[kind][pid] = max(seen[kind].get(pid, 0.0), seconds)


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two snapshots (a process new in `after` counts from zero)."""
    return sum(max(seconds - before.get(pid, 0.0), 0.0) for pid, seconds in after.items())


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
        # The sink stands for a mail server on another machine: its own log (aiosmtpd's
        # "mail.log", about ten JSON lines per message at INFO) would take CPU from the
        # workers on this 2-CPU machine without being part of what is measured.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
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
        run_dir = ROOT / "var" / f"prod-like-{base_url.rsplit(':', 1)[1]}"
        cpu_before = cpu_snapshot(run_dir, base_db)
        writer_cpu = time.process_time()
        started = time.monotonic()
        assert due <= timezone.now()
        written = reminders.send_due_reminders(now=timezone.now())
        written_at = time.monotonic()
        writer_cpu = time.process_time() - writer_cpu
        sink_cpu = time.process_time()
        deadline = time.monotonic() + 1800
        cpu_seen = {"workers": {}, "database": {}}
        while sink.total() < written and time.monotonic() < deadline:
            merge_cpu(cpu_seen, cpu_snapshot(run_dir, base_db))
            time.sleep(0.5)
        finished = sink.last_at
        # This process while the mails go out: the sink's thread (and the half-second polls).
        sink_cpu = time.process_time() - sink_cpu
        # The workers mark the last rows sent just after the sink has them.
        marked_by = time.monotonic() + 30
        while (
            Message.objects.filter(state=Message.State.SENT).count() < written
            and time.monotonic() < marked_by
        ):
            time.sleep(0.2)
        merge_cpu(cpu_seen, cpu_snapshot(run_dir, base_db))
        cpu_after = cpu_seen
        worker_cpu = cpu_used(cpu_before["workers"], cpu_after["workers"])
        database_cpu = cpu_used(cpu_before["database"], cpu_after["database"])
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
        per_message = 1000 / max(sink.total(), 1)
        print(
            f"CPU per message:          {(worker_cpu + database_cpu) * per_message:.2f} ms "
            f"(workers {worker_cpu * per_message:.2f} ms, database "
            f"{database_cpu * per_message:.2f} ms; writing the rows "
            f"{writer_cpu * per_message:.2f} ms in this process)"
        )
        print(
            f"SMTP sink's CPU:          {sink_cpu * per_message:.2f} ms per message (not counted "
            "above; it shares the machine's 2 CPUs)"
        )
        load = os.getloadavg()
        print(f"machine load (1/5/15 min): {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
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
