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
import http.client
import json
import os
import signal
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
BENCH_DB = "bench_registration_rush"
QUEUE = "bench-registration-rush"

SETTINGS = """
from events_platform.settings import *  # noqa: F401,F403

# The rush comes from one address: no rate limit here (it is tested elsewhere).
TICKETING_RATE_LIMITS = {"ip": (10**9, 60), "email": (10**9, 60)}
# Serve static files from the app folders without collectstatic (the baseline request).
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env(database_url: str, settings_dir: str) -> dict[str, str]:
    parts = urlsplit(database_url)
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env.update(
        {
            "DATABASE_URL": urlunsplit(parts._replace(path=f"/{BENCH_DB}")),
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "PYTHONPATH": os.pathsep.join([settings_dir, str(ROOT)]),
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "benchmark-only-" + "k" * 40,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_COOKIES": "false",
            "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
            "EVENTS_CACHE_KEY_PREFIX": "bench-rush",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


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


def wait_ready(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited during start-up")
        try:
            if request(port, "GET", "/healthz")[0] in (200, 503):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 60 s")


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

    settings_dir = tempfile.mkdtemp(prefix="bench-rush-")
    Path(settings_dir, "bench_settings.py").write_text(SETTINGS)
    env = bench_env(database_url, settings_dir)
    admin_sql(database_url, f"DROP DATABASE IF EXISTS {BENCH_DB}")
    admin_sql(database_url, f"CREATE DATABASE {BENCH_DB}")
    port = free_port()
    process = None
    try:
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "shell", "-c", CREATE_EVENT.replace("{capacity}", str(args.capacity)))
        process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "events_platform.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--no-control-socket",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        wait_ready(port, process)
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
        if process is not None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        try:
            import redis

            if os.environ.get("REDIS_URL"):
                redis.Redis.from_url(os.environ["REDIS_URL"]).delete(QUEUE)
        except Exception as error:  # noqa: BLE001 - cleaning up must not hide the figures
            print(f"(could not delete the benchmark queue: {error})", file=sys.stderr)
        admin_sql(database_url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")

    print(
        f"registration rush: {args.requests} requests, {args.clients} parallel clients, "
        f"capacity {args.capacity}, gunicorn {args.workers} sync workers, PostgreSQL"
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
