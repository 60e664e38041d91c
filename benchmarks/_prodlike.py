"""Start the production-like run (scripts/prod_like.sh) around a benchmark.

    from benchmarks._prodlike import prod_like

    with prod_like(web_workers=4) as base_url:
        ...  # send requests to base_url, e.g. "http://127.0.0.1:8100"

It starts PostgreSQL and Redis (scripts/services.sh), migrates a database of its own,
collects the static files, starts gunicorn, two Celery workers and beat with production
settings on loopback, and stops all of them by PID on exit, also when the block raises.
`env` adds settings (EMAIL_HOST and EMAIL_PORT of a loopback SMTP server, for instance).
The run's folder, var/prod-like-<port>, is removed after a clean run and kept (with the
logs) when the block raised.
`settings_env()` gives the environment the processes run with, for `manage.py` commands
against the same database (loading data before a run).
"""

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "prod_like.sh"


def _script_env(port: int, web_workers: int, worker_concurrency: int, db: str, extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env.update(
        {
            "PROD_LIKE_PORT": str(port),
            "PROD_LIKE_WEB_WORKERS": str(web_workers),
            "PROD_LIKE_WORKER_CONCURRENCY": str(worker_concurrency),
            "PROD_LIKE_DB": db,
            "PROD_LIKE_DIR": str(ROOT / "var" / f"prod-like-{port}"),
        }
    )
    env.update(extra or {})
    return env


def settings_env(base_url: str) -> dict[str, str]:
    """The environment the started processes use (read back from the run's folder)."""
    port = base_url.rsplit(":", 1)[1]
    path = ROOT / "var" / f"prod-like-{port}" / "env"
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    for line in path.read_text().splitlines():
        name, _, value = line.partition("=")
        env[name] = value
    return env


@contextlib.contextmanager
def prod_like(
    *,
    port: int = 8100,
    web_workers: int = 4,
    worker_concurrency: int = 2,
    db: str = "events_prod_like",
    env: dict[str, str] | None = None,
) -> Iterator[str]:
    """Run the production-like processes for the duration of the block; yield the base URL."""
    script_env = _script_env(port, web_workers, worker_concurrency, db, env)
    started = subprocess.run(
        [str(SCRIPT), "start"],
        cwd=ROOT,
        env=script_env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if started.returncode != 0:
        raise RuntimeError(f"prod_like.sh start failed:\n{started.stdout}\n{started.stderr}")
    finished = False
    try:
        yield started.stdout.strip().splitlines()[-1]
        finished = True
    finally:
        subprocess.run(
            [str(SCRIPT), "stop"], cwd=ROOT, env=script_env, capture_output=True, timeout=120
        )
        if finished:
            # The run's folder (logs, collected static files, about 50 MB) goes after a
            # clean run; it stays, with the logs, when the block raised.
            shutil.rmtree(script_env["PROD_LIKE_DIR"], ignore_errors=True)
