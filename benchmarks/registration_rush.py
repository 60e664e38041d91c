"""Registration rush: many parallel clients register for one capacity through the API.

Starts gunicorn on loopback against PostgreSQL (a throwaway database on the server of
DATABASE_URL, e.g. from `eval "$(scripts/services.sh start)"`), creates one event with
`--capacity` places, and fires `--requests` registrations from `--clients` parallel
clients at POST /api/tickets/events/<slug>/register/. Prints registrations per second,
p50/p99 latency, and the same figures for two baselines on the same server and clients:

  * static file: GET /static/ticketing/ticketing.css, answered by WhiteNoise before any view
    runs (the nearest thing to an empty view: the WSGI stack without Django's view layer);
  * /healthz: a small view that runs one SQL query and checks the broker.

It prints figures only; it asserts nothing about time. It does check correctness: exactly
`--capacity` confirmed, the rest on the waiting list, no server errors (exit 1 otherwise).

    eval "$(scripts/services.sh start)"
    .venv/bin/python benchmarks/registration_rush.py --requests 2000 --clients 50
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
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks._prodlike import prod_like, settings_env  # noqa: E402

BENCH_DB = "bench_registration_rush"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def admin_sql(database_url: str, statement: str) -> None:
    import psycopg

    parts = urlsplit(database_url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(statement)


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


CREATE_EVENT = """
from datetime import timedelta
from django.utils import timezone
from events_platform.models import Event, Organisation, Venue
org = Organisation.objects.create(name="Benchmark", slug="benchmark")
venue = Venue.objects.create(organisation=org, name="Halle", town="Oschatz")
now = timezone.now()
Event.objects.create(
    organisation=org, venue=venue, kind=Event.Kind.CAMP, status=Event.Status.PUBLISHED,
    slug="rush", title_de="Ansturm", starts_at=now + timedelta(days=30),
    ends_at=now + timedelta(days=34), capacity={capacity},
)
from ticketing.models import RegistrationSettings
RegistrationSettings.objects.create(event=Event.objects.get(slug="rush"), guardian_required_under=0)
"""

COUNT = """
from collections import Counter
from ticketing.models import Registration
rows = Registration.objects.filter(event__slug="rush").values_list("status", flat=True)
print(dict(Counter(rows)))
"""


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--capacity", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit('Set DATABASE_URL to PostgreSQL: eval "$(scripts/services.sh start)"')

    admin_sql(database_url, f"DROP DATABASE IF EXISTS {BENCH_DB}")
    bench_settings = {"DJANGO_SETTINGS_MODULE": "benchmarks.rush_settings"}
    processes = contextlib.ExitStack()
    try:
        # The production-like run (make prod-like): gunicorn, two Celery workers and beat.
        base_url = processes.enter_context(
            prod_like(port=free_port(), web_workers=args.workers, db=BENCH_DB, env=bench_settings)
        )
        port = int(base_url.rsplit(":", 1)[1])
        env = settings_env(base_url) | bench_settings
        manage(env, "shell", "-c", CREATE_EVENT.replace("{capacity}", str(args.capacity)))
        # Warm every worker (imports, connections, signing key) before measuring.
        run(port, args.workers * 2, args.workers * 8, lambda n: ("GET", "/healthz", None))

        static = run(
            port,
            args.clients,
            args.requests,
            lambda n: ("GET", "/static/ticketing/ticketing.css", None),
        )
        health = run(port, args.clients, args.requests, lambda n: ("GET", "/healthz", None))

        def register(n: int):
            body = {
                "name": f"Teilnehmerin {n}",
                "email": f"rush{n}@example.org",
                "privacy_consent": True,
                "birth_date": "2000-01-01",
            }
            return "POST", "/api/tickets/events/rush/register/", json.dumps(body).encode()

        rush = run(port, args.clients, args.requests, register)
        counts = manage(env, "shell", "-c", COUNT).strip().splitlines()[-1]
    finally:
        processes.close()
        admin_sql(database_url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")

    print(
        f"registration rush: {args.requests} requests, {args.clients} parallel clients, "
        f"capacity {args.capacity}, make prod-like: gunicorn {args.workers} workers, PostgreSQL"
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
    print(f"result in the database: {counts}")
    statuses = ast.literal_eval(counts)
    ok = (
        statuses.get("confirmed", 0) == min(args.capacity, args.requests)
        and sum(statuses.values()) == args.requests
        and set(rush["statuses"]) == {201}
    )
    print("capacity held: " + ("yes" if ok else "NO"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
