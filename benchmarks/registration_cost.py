"""What one registration costs, without concurrency: web and database CPU per attempt.

The rush (benchmarks/registration_rush.py) runs eight or fifty clients against gunicorn on
this 2-CPU machine, where every process competes with the others and with the Celery
workers; its CPU per attempt includes what that competition costs. This script runs the
same API request in one process, one attempt after the other, through Django's WSGI
handler with the production settings (benchmarks/rush_settings.py) against a throwaway
PostgreSQL database (on the server of DATABASE_URL, e.g. from
`eval "$(scripts/services.sh start)"`), and prints per attempt:

  * the process's CPU (the whole request: middleware, DRF, the use case, the ORM);
  * the CPU of its PostgreSQL backend (from /proc: the server runs on this machine);
  * how many statements one attempt sends, for an attempt that got a place and for one
    that joined the waiting list or was refused.

`--scenario` as in the rush: `event` (a camp's places; the rest join the waiting list),
`slot` (a fair's time slot; the rest are refused) or `workshop`; `all` runs the three.
The mail is written to the outbox as usual; its hand-over goes to a queue of this run
that no worker reads, and the queue is deleted at the end. It prints figures only.

    eval "$(scripts/services.sh start)"
    .venv/bin/python benchmarks/registration_cost.py --attempts 500 --scenario all
"""

import argparse
import logging
import os
import secrets
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.registration_rush import admin_sql, registration_data  # noqa: E402

BENCH_DB = "bench_registration_cost"


def configure(database_url: str) -> str:
    """Production settings for this process, on the throwaway database; returns the
    Celery queue of this run."""
    queue = f"bench-cost-{os.getpid()}"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "benchmarks.rush_settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_COOKIES": "false",
            "DJANGO_HSTS_SECONDS": "0",
            "SITE_URL": "http://testserver",
            "DATABASE_URL": urlunsplit(urlsplit(database_url)._replace(path=f"/{BENCH_DB}")),
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "EVENTS_CACHE_KEY_PREFIX": queue,
            "LOG_LEVEL": "WARNING",
        }
    )
    return queue


def make_event(scenario: str, capacity: int):
    """One published event of the scenario's kind with `capacity` places (in the event,
    its one time slot or its one workshop); returns (slug, the slot's or workshop's id)."""
    from datetime import timedelta

    from django.utils import timezone

    from events_platform.models import Event, Organisation, Session, TimeSlot, Venue
    from ticketing.models import RegistrationSettings

    org, _ = Organisation.objects.get_or_create(slug="benchmark", defaults={"name": "Benchmark"})
    venue = Venue.objects.create(organisation=org, name="Halle", town="Oschatz")
    starts = timezone.now() + timedelta(days=30)
    kind = {
        "event": Event.Kind.CAMP,
        "slot": Event.Kind.APPRENTICESHIP_FAIR,
        "workshop": Event.Kind.CONFERENCE,
    }[scenario]
    event = Event.objects.create(
        organisation=org,
        venue=venue,
        kind=kind,
        status=Event.Status.PUBLISHED,
        slug=f"cost-{scenario}",
        title_de="Ansturm",
        starts_at=starts,
        ends_at=starts + timedelta(days=4),
        capacity=capacity if scenario == "event" else None,
    )
    RegistrationSettings.objects.create(event=event, guardian_required_under=0)
    part = {"starts_at": starts, "ends_at": starts + timedelta(hours=2), "capacity": capacity}
    if scenario == "slot":
        return event.slug, TimeSlot.objects.create(event=event, label="9 Uhr", **part).pk
    if scenario == "workshop":
        return event.slug, Session.objects.create(event=event, title_de="Löten", **part).pk
    return event.slug, None


def body(scenario: str, n: int, part_id) -> bytes:
    """The same request bodies as the rush."""
    return registration_data(scenario, part_id, f"cost{n}", n)


def backend_cpu(pid: int) -> float:
    """CPU seconds (user + system) of the PostgreSQL backend with this pid."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(scenario: str, attempts: int, capacity: int) -> dict:
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.client import RequestFactory

    slug, part_id = make_event(scenario, capacity)
    handler, factory = WSGIHandler(), RequestFactory()
    path = f"/api/tickets/events/{slug}/register/"
    statuses: dict[int, int] = {}

    def attempt(n: int) -> int:
        environ = factory.post(
            path, data=body(scenario, n, part_id), content_type="application/json"
        ).environ
        answer = []
        b"".join(handler(environ, lambda status, headers: answer.append(status)))
        code = int(answer[0].split()[0])
        statuses[code] = statuses.get(code, 0) + 1
        return code

    def statements(n: int) -> int:
        """Statements sent by attempt n (counted by an execute wrapper: Django empties its
        query log when a request starts)."""
        sent = []

        def count(execute, sql, params, many, context):
            sent.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            attempt(n)
        return len(sent)

    attempt(0)  # the first creates the place counters
    first = statements(1)  # a place
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    cpu, db = time.process_time(), backend_cpu(pid)
    for n in range(2, attempts + 2):
        attempt(n)
    cpu, db = time.process_time() - cpu, backend_cpu(pid) - db
    last = statements(attempts + 2)  # the waiting list, or refused
    return {
        "web": 1000 * cpu / attempts,
        "db": 1000 * db / attempts,
        "statements": (first, last),
        "statuses": statuses,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=500)
    parser.add_argument("--capacity", type=int, default=60)
    parser.add_argument("--scenario", choices=["event", "slot", "workshop", "all"], default="all")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        print('DATABASE_URL must name PostgreSQL: eval "$(scripts/services.sh start)"')
        return 2
    queue = configure(database_url)
    admin_sql(database_url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    admin_sql(database_url, f"CREATE DATABASE {BENCH_DB}")
    try:
        import django
        from django.core.management import call_command

        django.setup()
        # Each refusal (409) is logged as a warning in production; not here, on the screen.
        logging.getLogger("django.request").setLevel(logging.ERROR)
        call_command("migrate", verbosity=0)
        scenarios = ["event", "slot", "workshop"] if args.scenario == "all" else [args.scenario]
        print(
            f"one process, {args.attempts} attempts each for {args.capacity} places, "
            "production settings, PostgreSQL; CPU ms per attempt"
        )
        print(f"{'scenario':10s} {'web':>6s} {'db':>6s} {'both':>6s}  statements  answers")
        for scenario in scenarios:
            result = measure(scenario, args.attempts, args.capacity)
            print(
                f"{scenario:10s} {result['web']:6.2f} {result['db']:6.2f} "
                f"{result['web'] + result['db']:6.2f}  "
                f"{result['statements'][0]:>3d} / {result['statements'][1]:<3d}   "
                f"{result['statuses']}"
            )
        print("statements: of an attempt that got a place / of one that did not")
    finally:
        from django.db import connections

        connections.close_all()
        _drop_queue(queue)
        admin_sql(database_url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    return 0


def _drop_queue(queue: str) -> None:
    """Delete this run's Celery queue (the mails' hand-over that no worker read)."""
    from celery import current_app

    with current_app.connection_for_write() as connection:
        connection.default_channel.queue_delete(queue)


if __name__ == "__main__":
    sys.exit(main())
