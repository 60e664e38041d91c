"""Workers that die do not stay dead (scripts/prod_like.sh with scripts/supervise.sh): a
Celery worker or beat killed outright is started again, the readiness check
(`/healthz?deep=1`) sees worker and beat, and `stop` still leaves no process behind."""

import json
import os
import signal
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from benchmarks._prodlike import prod_like
from tests.conftest import free_port
from tests.deploy.test_end_to_end import database  # noqa: F401 - fixture

ROOT = Path(__file__).resolve().parents[2]


def readiness(base_url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"{base_url}/healthz?deep=1", timeout=10) as response:  # noqa: S310 - loopback
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_until(condition, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while True:
        result = condition()
        if result:
            return result
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.5)


def child_pid(run_dir: Path, name: str) -> int | None:
    try:
        return int((run_dir / f"{name}.child.pid").read_text())
    except (OSError, ValueError):
        return None


@pytest.mark.serial
@pytest.mark.celery
@pytest.mark.postgres
@pytest.mark.timeout(600)
def test_a_killed_worker_and_beat_are_started_again(database):  # noqa: F811
    port = free_port()
    run_dir = ROOT / "var" / f"prod-like-{port}"
    with prod_like(port=port, web_workers=1, worker_concurrency=1, db=database) as base_url:
        status, body = wait_until(
            lambda: (answer := readiness(base_url))[0] == 200 and answer,
            seconds=60,
            what="the run is ready (worker heartbeat and beat tick)",
        )
        assert body["worker"] == "ok" and body["beat"] == "ok"
        supervisors = {
            name: int((run_dir / f"{name}.pid").read_text()) for name in ("worker1", "beat")
        }

        for name in ("worker1", "beat"):
            first = child_pid(run_dir, name)
            assert first and alive(first)
            os.kill(first, signal.SIGKILL)  # as dead as an unrecoverable error leaves it
            wait_until(
                lambda name=name, first=first: child_pid(run_dir, name) not in (None, first),
                seconds=60,
                what=f"{name} started again",
            )
            assert alive(supervisors[name])
        # The new worker is ready again (its log says so a second time) and the site is too.
        wait_until(
            lambda: (run_dir / "worker1.log").read_text().count("ready.") >= 2,
            seconds=120,
            what="the restarted worker is ready",
        )
        assert "exited with status" in (run_dir / "worker1.log").read_text()
        wait_until(lambda: readiness(base_url)[0] == 200, seconds=60, what="ready again")
        children = [child_pid(run_dir, name) for name in ("worker1", "worker2", "beat")]
    # `stop` ended the supervisors and what they ran, not only the supervisors.
    for pid in [*supervisors.values(), *children]:
        assert pid is not None
        wait_until(lambda pid=pid: not alive(pid), seconds=30, what=f"process {pid} ended")
