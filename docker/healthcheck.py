"""The image's HEALTHCHECK: checks whatever process runs as PID 1 of the container.

- gunicorn (web): GET /healthz on the local port answers 200 (database and broker reachable).
- celery worker: the worker (worker@<container host name>, or HEALTHCHECK_WORKER_NODE)
  answers a ping over the broker.
- celery beat: a worker ran beat's heartbeat task within HEARTBEAT_MAX_AGE seconds (default
  300), which shows that beat schedules and that some worker executes.
Anything else (a one-off `migrate` or `manage` run) counts as healthy.
Exit 0 when healthy, 1 when not (Docker's convention).
"""

import os
import socket
import sys
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path


def role(cmdline: bytes | None = None) -> str:
    """web, worker, beat or other, from the command line of PID 1 (NUL-separated)."""
    if cmdline is None:
        try:
            cmdline = Path("/proc/1/cmdline").read_bytes()
        except OSError:
            return "other"
    words = [Path(arg.decode(errors="replace")).name for arg in cmdline.split(b"\0") if arg]
    if any(word.startswith("gunicorn") for word in words):
        return "web"
    if "celery" in words or any(word.endswith("celery") for word in words):
        if "worker" in words:
            return "worker"
        if "beat" in words:
            return "beat"
    return "other"


def host_header() -> str:
    """A host the site accepts (DJANGO_ALLOWED_HOSTS), so the check is not refused with 400."""
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(","):
        host = host.strip().lstrip(".")
        if host and host != "*":
            return host
    return "localhost"


def check_web() -> bool:
    port = os.environ.get("WEB_BIND", "0.0.0.0:8000").rpartition(":")[2]
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz", headers={"Host": host_header()}
    )
    try:
        # A fixed http://127.0.0.1 URL built above: no file:// or other scheme can get in.
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status == 200
    except (urllib.error.URLError, OSError) as error:
        print(f"healthz: {error}", file=sys.stderr)
        return False


def check_worker() -> bool:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from config.celery import app

    node = os.environ.get("HEALTHCHECK_WORKER_NODE") or f"worker@{socket.gethostname()}"
    replies = app.control.ping(destination=[node], timeout=5)
    return any(node in reply for reply in replies)


def check_beat() -> bool:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.cache import cache

    beat = cache.get("celery:heartbeat")
    if not beat:
        return False
    age = (datetime.now(UTC) - datetime.fromisoformat(beat)).total_seconds()
    return age < float(os.environ.get("HEARTBEAT_MAX_AGE", "300"))


def main() -> int:
    checks = {"web": check_web, "worker": check_worker, "beat": check_beat}
    # A role given on the command line overrides the detection (for tests and by hand).
    current = sys.argv[1] if len(sys.argv) > 1 else role()
    check = checks.get(current)
    if check is None:
        return 0
    healthy = check()
    print(f"{current}: {'healthy' if healthy else 'unhealthy'}")
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
