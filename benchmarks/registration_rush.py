"""Registration rush: many parallel clients register for one capacity through the API.

Starts gunicorn on loopback against PostgreSQL (a throwaway database on the server of
DATABASE_URL, e.g. from `eval "$(scripts/services.sh start)"`), creates one event with
`--capacity` places, and fires `--requests` registrations from `--clients` parallel
clients at POST /api/tickets/events/<slug>/register/. Prints registrations per second,
p50/p99 latency, and the same figures for two baselines on the same server and clients:

  * static file: GET /static/ticketing/ticketing.css, answered by WhiteNoise before any view
    runs (the nearest thing to an empty view: the WSGI stack without Django's view layer);
  * /healthz: a small view that runs one SQL query and checks the broker.

Before measuring, every worker is warmed as those of a running site are when a rush begins:
it has answered /healthz and registrations for another event of the same kind (their mail
delivered before the rush starts).

It also prints the server's CPU milliseconds per registration (gunicorn and the PostgreSQL
backends serving it, from /proc, so other load on the machine is not counted; the backends
of the Celery workers sending the mail meanwhile are told apart by their connection's
application_name and counted with the mail), the same for a /healthz request,
and how long each registration held the contested lock, p50 and p99
(benchmarks/rush_probe.py times it from taking the lock to the commit).

The mail goes to an SMTP sink in this process (benchmarks/reminders.py's `Sink`): the run
waits until every registration's mail has arrived and prints how many arrived, whether each
address got exactly one, and the Celery workers' CPU per mail (composing at send time and
sending; they run beside the web workers on the same machine during the rush).

`--scenario` picks what is contested: `event` (a camp's 60 places, the default; the rest
go on the waiting list), `slot` (school classes of one pupil for the one time slot of an
apprenticeship fair; the rest are refused with slot_full) or `workshop` (a conference's
workshop; the rest are refused with session_full).

It prints figures only; it asserts nothing about time. It does check correctness: exactly
`--capacity` confirmed, the rest on the waiting list or refused with the scenario's code,
no server errors, one mail per registration and address (exit 1 otherwise).

    eval "$(scripts/services.sh start)"
    .venv/bin/python benchmarks/registration_rush.py --requests 500 --clients 8
    .venv/bin/python benchmarks/registration_rush.py --requests 500 --clients 8 --scenario slot
"""

import argparse
import ast
import contextlib
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks._prodlike import prod_like, settings_env  # noqa: E402
from benchmarks.reminders import Sink  # noqa: E402

BENCH_DB = "bench_registration_rush"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def admin_sql(database_url: str, statement: str, params=None) -> list[tuple]:
    """Run `statement` on the server's `postgres` database; its rows, if it returns any."""
    import psycopg

    parts = urlsplit(database_url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        cursor = conn.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
    return result.stdout


SETUP = """
from datetime import timedelta
from django.utils import timezone
from events_platform.models import Event, Organisation, Session, TimeSlot, Venue
from ticketing.models import RegistrationSettings
org = Organisation.objects.create(name="Benchmark", slug="benchmark")
venue = Venue.objects.create(organisation=org, name="Halle", town="Oschatz")
now = timezone.now()
starts = now + timedelta(days=30)
scenario, capacity = "{scenario}", {capacity}
kind = {"event": Event.Kind.CAMP, "slot": Event.Kind.APPRENTICESHIP_FAIR,
        "workshop": Event.Kind.CONFERENCE}[scenario]

def make(slug, capacity):
    # The event, and the time slot or workshop that is contested, if any.
    event = Event.objects.create(
        organisation=org, venue=venue, kind=kind, status=Event.Status.PUBLISHED,
        slug=slug, title_de="Ansturm", starts_at=starts, ends_at=starts + timedelta(days=4),
        capacity=capacity if scenario == "event" else None,
    )
    RegistrationSettings.objects.create(event=event, guardian_required_under=0)
    part = {"starts_at": starts, "ends_at": starts + timedelta(hours=2), "capacity": capacity}
    if scenario == "slot":
        return TimeSlot.objects.create(event=event, label="9 Uhr", **part).pk
    if scenario == "workshop":
        return Session.objects.create(event=event, title_de="Löten", **part).pk
    return 0

# The contested event, and one of the same kind with room for all that warms the workers.
print(make("rush", capacity), make("warm-up", 100000))
"""

COUNT = """
from collections import Counter
from ticketing.models import Registration
rows = Registration.objects.filter(event__slug="rush").values_list("status", flat=True)
print(dict(Counter(rows)))
"""


# What a web request costs the server: the web workers and the database backends serving them.
SERVER = ("gunicorn", "postgres")


def backend_programs(database_url: str) -> dict[str, str]:
    """The program behind each PostgreSQL backend of this run's database, by pid: its
    connection's application_name ("events_platform web", "… worker", "… beat", see
    config.settings.database_application_name)."""
    rows = admin_sql(
        database_url,
        "SELECT pid, application_name FROM pg_stat_activity WHERE datname = %s",
        [BENCH_DB],
    )
    return {str(pid): name for pid, name in rows}


def cpu_seconds(port: int, database_url: str) -> dict[str, float]:
    """CPU time used so far (user + system, Linux /proc) by this run's gunicorn (its bind
    port is in the command line) and PostgreSQL backends (its database's name is in theirs):
    the machine is shared, so other people's servers and databases are left out. The
    backends serving the web ("postgres") are counted apart from those serving the Celery
    workers and beat ("postgres_mail"): the mail's database work is the mail's cost."""
    ticks = os.sysconf("SC_CLK_TCK")
    used = {"gunicorn": 0.0, "postgres": 0.0, "celery": 0.0, "postgres_mail": 0.0}
    programs = backend_programs(database_url)
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:  # ended meanwhile
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if "gunicorn" in command and f"127.0.0.1:{port}" in command:
            # With the time of children that ended (a recycled worker), which the master took.
            used["gunicorn"] += sum(int(field) for field in fields[11:15]) / ticks
        elif "celery" in command and f"prod-like-{port}-" in command:
            # The workers sending the registrations' mail meanwhile (pool children too).
            used["celery"] += (int(fields[11]) + int(fields[12])) / ticks
        elif command.startswith("postgres:") and f" {BENCH_DB} " in command:
            web = programs.get(pid, "").endswith(" web")
            used["postgres" if web else "postgres_mail"] += (
                int(fields[11]) + int(fields[12])
            ) / ticks
    return used


def request(port: int, method: str, path: str, body: bytes | None = None) -> tuple[int, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json"} if body else {}
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status, time.perf_counter() - started


def run(port: int, clients: int, requests: int, make) -> dict:
    """`requests` requests from `clients` threads; `make(n)` gives (method, path, body)."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def one(n: int) -> None:
        try:
            status, seconds = request(port, *make(n))
        except OSError:
            status, seconds = -1, 0.0
        with lock:
            statuses[status] = statuses.get(status, 0) + 1
            if status > 0:
                latencies.append(seconds)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(one, range(requests)))
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "per_second": requests / wall,
        "p50": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p99": latencies[max(int(len(latencies) * 0.99) - 1, 0)] * 1000 if latencies else 0.0,
        "statuses": statuses,
        "wall": wall,
    }


def registration_data(scenario: str, part_id: int, mailbox: str, n: int) -> bytes:
    """The JSON body of registration n of the scenario (also used by registration_cost.py)."""
    body = {"name": f"Teilnehmerin {n}", "email": f"{mailbox}@example.org", "privacy_consent": True}
    if scenario == "event":
        body["birth_date"] = "2000-01-01"
    elif scenario == "slot":
        body |= {"time_slot": part_id, "school": "Oberschule", "grade": "8b", "pupils": 1}
        body["adults"] = 0
    else:
        body["sessions"] = [part_id]
    return json.dumps(body).encode()


def register_body(scenario: str, slug: str, part_id: int, mailbox: str, n: int):
    """(method, path, body) of registration n for the event `slug` of the scenario."""
    data = registration_data(scenario, part_id, mailbox, n)
    return "POST", f"/api/tickets/events/{slug}/register/", data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--capacity", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--scenario", choices=("event", "slot", "workshop"), default="event")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit('Set DATABASE_URL to PostgreSQL: eval "$(scripts/services.sh start)"')

    admin_sql(database_url, f"DROP DATABASE IF EXISTS {BENCH_DB}")
    load_before = os.getloadavg()
    lock_log = Path(tempfile.mkdtemp()) / "lock-hold.txt"
    bench_settings = {
        "DJANGO_SETTINGS_MODULE": "benchmarks.rush_settings",
        "RUSH_LOCK_LOG": str(lock_log),
    }
    # The mail goes to an SMTP sink in this process, as it would to a mail server.
    sink = Sink()
    sink.controller.start()
    bench_settings |= {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": sink.controller.hostname,
        "EMAIL_PORT": str(sink.controller.port),
    }
    processes = contextlib.ExitStack()
    try:
        # The production-like run (make prod-like): gunicorn, two Celery workers and beat.
        base_url = processes.enter_context(
            prod_like(port=free_port(), web_workers=args.workers, db=BENCH_DB, env=bench_settings)
        )
        port = int(base_url.rsplit(":", 1)[1])
        env = settings_env(base_url) | bench_settings
        setup = SETUP.replace("{capacity}", str(args.capacity)).replace("{scenario}", args.scenario)
        part_id, warm_part_id = map(int, manage(env, "shell", "-c", setup).split()[-2:])
        # Warm every worker before measuring, as the workers of a running site are when a
        # rush begins: /healthz, then registrations for another event of the same kind
        # (its statements prepared on each connection, the broker connection open). A fresh
        # worker's first registration costs some 30 ms more than the rest.
        run(port, args.workers * 2, args.workers * 8, lambda n: ("GET", "/healthz", None))
        warm_up = run(
            port,
            args.workers * 2,
            args.workers * 8,
            lambda n: register_body(args.scenario, "warm-up", warm_part_id, f"warm{n}", n),
        )
        warmed = warm_up["statuses"].get(201, 0)
        if warmed != args.workers * 8:
            raise SystemExit(f"the warm-up registrations failed: {warm_up['statuses']}")
        deadline = time.monotonic() + 60
        while sink.total() < warmed and time.monotonic() < deadline:
            time.sleep(0.05)

        static = run(
            port,
            args.clients,
            args.requests,
            lambda n: ("GET", "/static/ticketing/ticketing.css", None),
        )
        cpu_before = cpu_seconds(port, database_url)
        health = run(port, args.clients, args.requests, lambda n: ("GET", "/healthz", None))
        cpu_health = cpu_seconds(port, database_url)

        def register(n: int):
            return register_body(args.scenario, "rush", part_id, f"rush{n}", n)

        lock_log.write_text("")
        cpu_before_health = cpu_before
        cpu_before = cpu_seconds(port, database_url)
        rush = run(port, args.clients, args.requests, register)
        cpu_after = cpu_seconds(port, database_url)
        rush_ended = time.monotonic()
        # Every attempt that got a place or a waiting-list place gets its mail: wait for
        # them (at most two minutes), then take the workers' CPU up to that point.
        expected = warmed + sum(n for code, n in rush["statuses"].items() if code == 201)
        deadline = time.monotonic() + 120
        while sink.total() < expected and time.monotonic() < deadline:
            time.sleep(0.1)
        mail_seconds = max(sink.last_at - rush_ended, 0.0)
        cpu_mail = cpu_seconds(port, database_url)
        counts = manage(env, "shell", "-c", COUNT).strip().splitlines()[-1]
    finally:
        processes.close()
        sink.controller.stop()
        admin_sql(database_url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")

    print(
        f"registration rush ({args.scenario}): {args.requests} requests, {args.clients} "
        f"parallel clients, capacity {args.capacity}, make prod-like: gunicorn {args.workers} "
        f"workers, PostgreSQL; load average before/after: {load_before} / {os.getloadavg()}"
    )
    rows = [
        ("POST register (API)", rush),
        ("GET /healthz (1 query + broker)", health),
        ("GET static file (WhiteNoise)", static),
    ]
    print(f"{'':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    for name, figures in rows:
        print(
            f"{name:34} {figures['per_second']:8.1f} {figures['p50']:8.1f} "
            f"{figures['p99']:8.1f}  {figures['statuses']}"
        )
    to_static = rush["per_second"] / static["per_second"]
    to_health = rush["per_second"] / health["per_second"]
    print(
        f"registrations/s relative to the static file: {to_static:.2f}; "
        f"to /healthz: {to_health:.2f}"
    )
    cpu = {name: (cpu_after[name] - cpu_before[name]) * 1000 / args.requests for name in cpu_after}
    server = sum(cpu[name] for name in SERVER)
    mail_used = {name: cpu_mail[name] - cpu_before[name] for name in ("celery", "postgres_mail")}
    rush_mails = sink.total() - warmed
    mail_cpu = sum(mail_used.values()) * 1000 / max(rush_mails, 1)
    once = all(n == 1 for n in sink.received.values())
    health_cpu = sum(cpu_health[name] - cpu_before_health[name] for name in SERVER)
    print(
        "server CPU ms per /healthz request, for comparison: "
        f"{health_cpu * 1000 / args.requests:.1f}"
    )
    print(
        f"server CPU ms per registration attempt: {server:.1f} (gunicorn {cpu['gunicorn']:.1f}, "
        f"PostgreSQL backends serving it {cpu['postgres']:.1f}); besides, the Celery workers "
        f"sending the mail meanwhile: {cpu['celery'] + cpu['postgres_mail']:.1f} "
        f"(their PostgreSQL backends {cpu['postgres_mail']:.1f})"
    )
    print(
        f"mail: {rush_mails} received for {expected - warmed} registrations, each address once: "
        f"{'yes' if once else 'NO'}; the last {mail_seconds:.1f} s after the rush; Celery "
        f"and database CPU ms per mail, composing and sending: {mail_cpu:.1f}"
    )
    held = sorted(float(line) for line in lock_log.read_text().split())
    lock_log.unlink()
    lock_log.parent.rmdir()
    if held:
        p99 = held[max(int(len(held) * 0.99) - 1, 0)]
        print(
            f"contested lock held per committed registration ({len(held)}): "
            f"p50 {statistics.median(held):.2f} ms, p99 {p99:.2f} ms"
        )
    else:
        print("contested lock held: not measured (the probe wrote nothing)")
    print(f"result in the database: {counts}")
    statuses = ast.literal_eval(counts)
    taken = min(args.capacity, args.requests)
    if args.scenario == "event":
        answers_ok = set(rush["statuses"]) == {201}
        rows_ok = sum(statuses.values()) == args.requests
    else:  # the rest are refused (409) and leave no row
        answers_ok = rush["statuses"].get(201, 0) == taken and set(rush["statuses"]) <= {201, 409}
        rows_ok = sum(statuses.values()) == taken
    ok = statuses.get("confirmed", 0) == taken and rows_ok and answers_ok
    ok = ok and once and sink.total() == expected
    print("capacity held: " + ("yes" if ok else "NO"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
