"""Worker recycling at the door: what it costs when gunicorn replaces a worker.

gunicorn replaces each worker after `max_requests` (2,000 plus up to 200, see
docker/gunicorn.conf.py), so that a slow leak never grows without bound. At a door rush of
900 scans a second on 5 workers, that is one replacement every two seconds or so.

Starts the production-like run (benchmarks/_prodlike.py) with one gunicorn worker on a
throwaway database, creates an event with `--requests` valid tickets and one paired
device, and sends the valid first scans one after the other from one client: the first
100 to warm up, the next 1,500 without a replacement (the steady state), the rest
across two or three replacements.
Prints the median scan, the slowest scans (one for each replacement seen: the client waits
while the old worker exits and the new one starts), and the CPU time each replacement
costs gunicorn, in milliseconds and in steady-state scans. Exits 1 when an answer is wrong.

    eval "$(scripts/services.sh start)"
    .venv/bin/python benchmarks/worker_recycle.py
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks._prodlike import prod_like, settings_env  # noqa: E402
from benchmarks.checkin import (  # noqa: E402
    admin_sql,
    cpu_seconds,
    free_port,
    request,
    seed_door,
)

BENCH_DB = "bench_recycle"
WARM = 100  # the worker's first scans (its database connection, the prepared statement)
STEADY = 1500  # with WARM, fewer than any max_requests: no replacement in the steady state


def worker_pids(master: int) -> set[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {int(pid) for pid in children}


def master_pid(port: int) -> int:
    """The gunicorn master listening on `port`: the one of its processes whose parent is
    not one of them (the workers are the master's children)."""
    processes = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        if any(b"gunicorn" in part for part in command) and f"127.0.0.1:{port}".encode() in command:
            processes[int(pid)] = int(stat.rsplit(")", 1)[1].split()[1])  # the parent's pid
    (master,) = (pid for pid, parent in processes.items() if parent not in processes)
    return master


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=6000, help="valid first scans")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit('Set DATABASE_URL to PostgreSQL: eval "$(scripts/services.sh start)"')
    if args.requests <= 2200:
        raise SystemExit("--requests must be above 2200 to see a replacement")

    admin_sql(database_url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    bench_settings = {"DJANGO_SETTINGS_MODULE": "benchmarks.checkin_settings"}
    try:
        with prod_like(port=free_port(), web_workers=1, db=BENCH_DB, env=bench_settings) as url:
            port = int(url.rsplit(":", 1)[1])
            env = settings_env(url) | bench_settings
            data = seed_door(env, tickets=args.requests, scanners=1)
            headers = {
                "Authorization": f"Device {data['tokens'][0]}",
                "Content-Type": "application/json",
            }
            master = master_pid(port)
            pids = worker_pids(master)
            latencies, wrong, cpu = [], 0, []
            for number, secret in enumerate(data["valid"]):
                if number in (WARM, WARM + STEADY):
                    cpu.append(cpu_seconds()["gunicorn"])
                body = json.dumps({"secret": secret, "nonce": os.urandom(12).hex()}).encode()
                status, answer, took = request(port, "POST", "/api/checkin/redeem/", body, headers)
                latencies.append(took)
                wrong += status != 200 or json.loads(answer).get("code") != "ok"
                pids |= worker_pids(master)
            time.sleep(2)  # the master reaps the last replaced worker: its CPU is counted
            cpu.append(cpu_seconds()["gunicorn"])
            pids |= worker_pids(master)
    finally:
        admin_sql(database_url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")

    replacements = len(pids) - 1
    steady_cpu = (cpu[1] - cpu[0]) / STEADY
    rest = args.requests - WARM - STEADY
    per_replacement = (cpu[2] - cpu[1] - steady_cpu * rest) / max(replacements, 1)
    median = statistics.median(latencies)
    slowest = sorted(range(len(latencies)), key=latencies.__getitem__)[-max(replacements, 1) :]
    print(
        f"worker recycling: gunicorn 1 worker (max_requests 2000 plus up to 200), "
        f"{args.requests} valid first scans one after the other"
    )
    print(f"steady state (scans {WARM + 1} to {WARM + STEADY}): ", end="")
    print(f"gunicorn CPU {steady_cpu * 1000:.2f} ms per scan")
    print(f"median of all scans: {median * 1000:.1f} ms")
    print(f"workers replaced: {replacements}")
    for index in sorted(slowest):
        print(
            f"  slow scan no. {index + 1}: {latencies[index] * 1000:.0f} ms "
            f"({latencies[index] / median:.0f} x the median)"
        )
    print(
        f"gunicorn CPU per replacement: {per_replacement * 1000:.0f} ms "
        f"(the time of {per_replacement / steady_cpu:.0f} steady-state scans)"
    )
    print(f"answers correct: {'yes' if not wrong else f'NO ({wrong} wrong)'}")
    return 1 if wrong or not replacements else 0


if __name__ == "__main__":
    sys.exit(main())
