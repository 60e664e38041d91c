"""Door rush: N concurrent scanners redeem tickets through the check-in API.

Starts gunicorn on loopback against PostgreSQL (a throwaway database on the server of
DATABASE_URL, e.g. from `eval "$(scripts/services.sh start)"`), creates an event that is on
now with two entrances, `--requests` valid tickets and one paired device per scanner (each
scanner is a phone at the door), and then measures with `--scanners` parallel clients, each
kind bounded by `--requests` and taking turns with the others in `--rounds` rounds (so that
a machine whose speed drifts during the run weighs on all kinds alike):

  * GET /bench/empty: an empty Django view on the same server (the ceiling);
  * POST /api/checkin/redeem/ with valid codes, each scanned once (all must answer "ok");
  * POST /api/checkin/redeem/ with forged codes (all must answer "invalid", no write).

Prints scans per second, p50/p99 latency, the ratio of valid scans to the empty view, and
the CPU milliseconds per request of this client, gunicorn, PostgreSQL and Redis (all on the
same machine, so the ratio is close to the ratio of their sums).
Exits 1 when an answer is wrong (not on timing: the figures are for the README).

    eval "$(scripts/services.sh start)"
    .venv/bin/python benchmarks/checkin.py --scanners 8
"""

import argparse
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
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks._prodlike import prod_like, settings_env  # noqa: E402

BENCH_DB = "bench_checkin"

SEED = """
import json, sys
from datetime import timedelta
from django.utils import timezone
from events_platform import services as core_services, ticket_codes
from events_platform.models import Event, Organisation, Venue
from ticketing.models import Registration, Ticket
from checkin import services
from checkin.models import Entrance
now = timezone.now()
org = Organisation.objects.create(name="Benchmark", slug="bench-checkin")
venue = Venue.objects.create(organisation=org, name="Rathaus", town="Oschatz")
event = Event.objects.create(
    organisation=org, venue=venue, kind=Event.Kind.RETURNEE_DAY, status=Event.Status.PUBLISHED,
    slug="bench-door", title_de="Rückkehrertag", starts_at=now - timedelta(minutes=30),
    ends_at=now + timedelta(hours=3), capacity=None,
)
key = core_services.get_signing_key(event=event)
registrations = Registration.objects.bulk_create(
    Registration(event=event, name=f"Besucher {n}", email=f"b{n}@example.org",
                 status=Registration.Status.CONFIRMED, created_at=now, confirmed_at=now,
                 manage_token=f"bench-{n}")
    for n in range({tickets})
)
secrets = []
tickets = []
for registration in registrations:
    serial = ticket_codes.new_serial()
    secret = ticket_codes.sign(private_key_encrypted=key.private_key_encrypted,
                               kind=1, event_id=event.pk, serial=serial)
    secrets.append(secret)
    tickets.append(Ticket(event=event, registration=registration, serial=serial,
                          secret=secret, issued_at=now))
Ticket.objects.bulk_create(tickets)
private, _public = ticket_codes.generate_keypair()
forged = [ticket_codes.sign(private_key_encrypted=private, kind=1, event_id=event.pk,
                            serial=ticket_codes.new_serial()) for _ in range({tickets})]
doors = [Entrance.objects.create(event=event, name=name) for name in ("Nord", "Süd")]
tokens = [
    services.pair_device(
        token=services.pairing_token(event=event, entrance=doors[n % 2]), name=f"Handy {n}", now=now
    )[1]
    for n in range({scanners})
]
json.dump({"tokens": tokens, "valid": secrets, "forged": forged}, open("{out}", "w"))
"""

COUNT = """
from checkin.models import Scan
print(Scan.objects.count())
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def admin_sql(database_url: str, statement: str, database: str = "postgres") -> None:
    import psycopg

    parts = urlsplit(database_url)
    with psycopg.connect(urlunsplit(parts._replace(path=f"/{database}")), autocommit=True) as conn:
        conn.execute(statement)


# For --without-foreign-keys: drops the foreign keys of the two tables a valid scan inserts
# into (ten, of which a ticket's scan checks eight: its staff-pass columns are empty), in the
# benchmark's throwaway database only, to show what they cost.
DROP_FOREIGN_KEYS = """
DO $$
DECLARE c record;
BEGIN
    FOR c IN SELECT conrelid::regclass AS tab, conname FROM pg_constraint
             WHERE contype = 'f'
               AND conrelid IN ('checkin_scan'::regclass, 'checkin_attendance'::regclass)
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.tab, c.conname);
    END LOOP;
END $$
"""


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def seed_door(env: dict, *, tickets: int, scanners: int) -> dict:
    """Create the door event (SEED) through manage.py: the devices' tokens, the valid
    codes and as many forged ones."""
    with tempfile.TemporaryDirectory(prefix="bench-checkin-") as folder:
        out = Path(folder) / "seed.json"
        script = SEED.replace("{tickets}", str(tickets)).replace("{scanners}", str(scanners))
        manage(env, "shell", "-c", script.replace("{out}", str(out)))
        return json.loads(out.read_text())


def request(port, method, path, body=None, headers=None):
    """One request on a new connection: (status, body, seconds)."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, data, time.perf_counter() - started


CPU_GROUPS = ("gunicorn", "postgres", "redis", "celery")


def cpu_seconds() -> dict[str, float]:
    """CPU time used so far (user + system, Linux /proc) by this client and by the server's
    processes, grouped by program: where a request's cost goes."""
    ticks = os.sysconf("SC_CLK_TCK")
    used = dict.fromkeys(("client", *CPU_GROUPS), 0.0)
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:  # ended meanwhile
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(pid) == os.getpid():
            used["client"] += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
            continue
        group = next((name for name in CPU_GROUPS if name in command), None)
        if group:
            # With the time of children that ended (a recycled gunicorn worker, a closed
            # PostgreSQL backend), which their parent (master, postmaster) took over.
            used[group] += sum(int(field) for field in fields[11:15]) / ticks
    return used


def phase(port, scanners, items, seconds, make, check) -> dict:
    """Send `make(item, scanner)` for each item from `scanners` threads (numbered from 0),
    for at most `seconds`: the latencies, the wall time, the CPU time of each program."""
    latencies, wrong, errors = [], [], []
    lock = threading.Lock()
    queue = iter(items)
    deadline = time.monotonic() + seconds

    def scanner(number: int) -> None:
        while time.monotonic() < deadline:
            with lock:
                item = next(queue, None)
            if item is None:
                return
            try:
                status, body, took = request(port, *make(item, number))
            except OSError as error:
                with lock:
                    errors.append(repr(error))
                continue
            with lock:
                latencies.append(took)
                if not check(status, body):
                    wrong.append((status, body[:200]))

    cpu_before = cpu_seconds()
    started = time.perf_counter()
    threads = [threading.Thread(target=scanner, args=(n,)) for n in range(scanners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    cpu_after = cpu_seconds()
    cpu = {name: cpu_after[name] - cpu_before[name] for name in cpu_after}
    return {"latencies": latencies, "wall": wall, "cpu": cpu, "wrong": wrong, "errors": errors}


def summary(parts: list[dict]) -> dict:
    """The figures of one kind of request over all rounds."""
    latencies = sorted(t for part in parts for t in part["latencies"])
    wall = sum(part["wall"] for part in parts)
    count = len(latencies)
    cpu = {name: sum(part["cpu"][name] for part in parts) for name in parts[0]["cpu"]}
    return {
        "count": count,
        "per_second": count / wall if wall else 0.0,
        "p50": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p99": latencies[max(int(count * 0.99) - 1, 0)] * 1000 if latencies else float("nan"),
        "cpu_ms": {name: used * 1000 / max(count, 1) for name, used in cpu.items()},
        "wrong": [w for part in parts for w in part["wrong"]],
        "errors": [e for part in parts for e in part["errors"]],
    }


def chunks(items: list, rounds: int) -> list[list]:
    size = -(-len(items) // rounds)
    return [items[n * size : (n + 1) * size] for n in range(rounds)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scanners", type=int, default=8)
    # 2,000 of each kind stay below gunicorn's max_requests per worker (docker/gunicorn.conf.py):
    # a worker recycled during the run would add its restart to one round's figures.
    parser.add_argument("--requests", type=int, default=2000, help="per kind, at most")
    parser.add_argument("--seconds", type=float, default=20.0, help="per round, at most")
    parser.add_argument("--rounds", type=int, default=5, help="turns of the three kinds")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument(
        "--without-foreign-keys",
        action="store_true",
        help="drop the foreign keys of the scan and attendance tables in the benchmark's "
        "database first (what they cost; the product keeps them)",
    )
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit('Set DATABASE_URL to PostgreSQL: eval "$(scripts/services.sh start)"')

    admin_sql(database_url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    bench_settings = {"DJANGO_SETTINGS_MODULE": "benchmarks.checkin_settings"}
    processes = contextlib.ExitStack()
    try:
        # The production-like run (make prod-like), with the benchmark's URLconf.
        base_url = processes.enter_context(
            prod_like(port=free_port(), web_workers=args.workers, db=BENCH_DB, env=bench_settings)
        )
        port = int(base_url.rsplit(":", 1)[1])
        env = settings_env(base_url) | bench_settings
        data = seed_door(
            env,
            tickets=args.requests,
            scanners=max(args.scanners, args.workers),
        )
        if args.without_foreign_keys:
            admin_sql(database_url, DROP_FOREIGN_KEYS, database=BENCH_DB)
        headers = [
            {"Authorization": f"Device {token}", "Content-Type": "application/json"}
            for token in data["tokens"]
        ]

        def redeem(secret, scanner):
            body = json.dumps({"secret": secret, "nonce": os.urandom(12).hex()}).encode()
            return "POST", "/api/checkin/redeem/", body, headers[scanner]

        def code_is(expected):
            return lambda status, body: json.loads(body).get("code") == expected

        # Warm every worker (imports, database connection, cached public key).
        warm = [f"WARM{n}" for n in range(args.workers * 8)]
        phase(port, args.workers, warm, 30, redeem, lambda s, b: True)

        # The three kinds take turns, `--rounds` times: a machine that slows down or speeds
        # up during the run (a shared virtual machine does) weighs on all three alike.
        parts = {"empty": [], "valid": [], "forged": []}
        empties = chunks(list(range(args.requests)), args.rounds)
        valids = chunks(data["valid"], args.rounds)
        forgeds = chunks(data["forged"], args.rounds)
        for empty_items, valid_items, forged_items in zip(empties, valids, forgeds, strict=True):
            parts["empty"].append(
                phase(
                    port,
                    args.scanners,
                    empty_items,
                    args.seconds,
                    lambda n, scanner: ("GET", "/bench/empty"),
                    lambda status, body: status == 200,
                )
            )
            parts["valid"].append(
                phase(port, args.scanners, valid_items, args.seconds, redeem, code_is("ok"))
            )
            parts["forged"].append(
                phase(port, args.scanners, forged_items, args.seconds, redeem, code_is("invalid"))
            )
        empty, valid, forged = (summary(parts[name]) for name in ("empty", "valid", "forged"))
        recorded = int(manage(env, "shell", "-c", COUNT).strip().splitlines()[-1])
    finally:
        processes.close()
        admin_sql(database_url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")

    without_keys = "; WITHOUT the foreign keys of scans and attendances"
    print(
        f"check-in: {args.scanners} concurrent scanners (a paired phone each) on loopback, "
        f"make prod-like: gunicorn "
        f"{args.workers} workers, PostgreSQL; each kind at most {args.requests} requests, "
        f"in {args.rounds} rounds of at most {args.seconds:.0f} s"
        f"{without_keys if args.without_foreign_keys else ''}"
    )
    print(f"{'':34} {'count':>6} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for name, figures in (
        ("GET empty Django view (ceiling)", empty),
        ("POST redeem, valid first scans", valid),
        ("POST redeem, forged codes", forged),
    ):
        print(
            f"{name:34} {figures['count']:6d} {figures['per_second']:8.1f} "
            f"{figures['p50']:8.1f} {figures['p99']:8.1f}"
        )
    ratio = valid["per_second"] / empty["per_second"] if empty["per_second"] else 0.0
    print(f"valid scans per second relative to the empty view: {ratio:.2f}")
    names = ("client", "gunicorn", "postgres", "redis")
    print(f"CPU ms per request {'':15} " + " ".join(f"{name:>9}" for name in names) + "     all")
    for name, figures in (("empty view", empty), ("valid scans", valid), ("forged", forged)):
        cpu = figures["cpu_ms"]
        print(
            f"  {name:32} "
            + " ".join(f"{cpu[group]:9.3f}" for group in names)
            + f" {sum(cpu.values()):7.3f}"
        )
    print(f"scans recorded: {recorded} (one per valid scan, none for a forged code)")
    problems = []
    for name, figures in (("empty", empty), ("valid", valid), ("forged", forged)):
        if figures["wrong"] or figures["errors"]:
            problems.append(f"{name}: {figures['wrong'][:3]} {figures['errors'][:3]}")
    if recorded != valid["count"]:
        problems.append(f"scan rows: {recorded} for {valid['count']} valid scans")
    print("answers correct: " + ("yes" if not problems else "NO " + "; ".join(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
