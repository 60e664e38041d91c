"""A database restart is a short outage, not lost or repeated work (scripts/prod_like.sh on a
PostgreSQL cluster and Redis of the test's own, never the shared ones): PostgreSQL is
restarted (`pg_ctl restart -m fast`) in the middle of a burst of registrations through the
API. No client gets a 500 (only 201, or 503 with Retry-After, or a lost connection), every
registration that committed gets exactly one confirmation mail, and after a restart while
idle the first requests of the web processes succeed (health-checked connections)."""

import contextlib
import http.client
import json
import os
import shutil
import subprocess
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from benchmarks._prodlike import prod_like, settings_env
from tests.conftest import free_port
from tests.deploy.test_end_to_end import manage_shell

ROOT = Path(__file__).resolve().parents[2]

MAKE_EVENT = """
import json
from datetime import timedelta
from django.utils import timezone
from tests.factories import EventFactory

event = EventFactory(starts_at=timezone.now() + timedelta(days=3), capacity=1000, slug="{slug}")
print("RESULT " + json.dumps({{"slug": event.slug}}))
"""

REGISTERED = """
import json
from ticketing.models import Registration

print("RESULT " + json.dumps(sorted(
    Registration.objects.filter(event__slug="{slug}").values_list("email", flat=True)
)))
"""

NOT_YET_SENT = """
import json
from notifications.models import Message

print("RESULT " + json.dumps(Message.objects.filter(
    event__slug="{slug}", to_email__startswith="besucher-"
).exclude(state=Message.State.SENT).count()))
"""

CLIENTS = 8
PER_CLIENT = 15  # below the registration limit per IP address (each client has its own)


def request(port: int, method: str, path: str, body=None, *, source: str = "127.0.0.1"):
    """(status, headers, text); status 0 when the connection was refused or lost."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=60, source_address=(source, 0)
    )
    try:
        connection.request(
            method,
            path,
            body=json.dumps(body) if body is not None else None,
            headers={"Content-Type": "application/json", "Accept-Language": "de"},
        )
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    except OSError:
        return 0, {}, ""
    finally:
        connection.close()


def restart_postgres(env: dict) -> None:
    pgdata = subprocess.run(
        [str(ROOT / "scripts" / "services.sh"), "pgdata"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    pgbin = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    subprocess.run(
        ["runuser", "-u", "postgres", "--", str(pgbin[-1] / "pg_ctl"), "-D", pgdata]
        + ["-m", "fast", "-w", "-l", str(Path(pgdata).parent / "postgres.log"), "restart"],
        env=env,
        # The restarted server keeps what it inherits open: no pipes, or this never returns.
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
        timeout=120,
    )


@contextlib.contextmanager
def own_services(tmp_path: Path):
    """SERVICES_DIR, PG_PORT and REDIS_PORT of a PostgreSQL cluster and Redis of our own (the
    prod-like run starts and stops them); their folders are removed afterwards."""
    env = {
        "SERVICES_DIR": str(tmp_path / "services"),
        "PG_PORT": str(free_port()),
        "REDIS_PORT": str(free_port()),
    }
    try:
        yield env
    finally:
        pgdata = subprocess.run(
            [str(ROOT / "scripts" / "services.sh"), "pgdata"],
            cwd=ROOT,
            env=os.environ | env,
            capture_output=True,
            text=True,
        ).stdout.strip()
        subprocess.run(
            [str(ROOT / "scripts" / "services.sh"), "stop"],
            cwd=ROOT,
            env=os.environ | env,
            capture_output=True,
        )
        if Path(pgdata).parent.name.startswith("events_platform-"):
            shutil.rmtree(Path(pgdata).parent, ignore_errors=True)


@pytest.mark.serial
@pytest.mark.celery
@pytest.mark.postgres
@pytest.mark.timeout(900)
def test_a_database_restart_during_registrations(smtp_server, tmp_path):
    controller, mailbox = smtp_server
    mailbox.clear()
    port = free_port()
    with own_services(tmp_path) as services:
        run_env = services | {
            "EMAIL_HOST": controller.hostname,
            "EMAIL_PORT": str(controller.port),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            # A send task lost in the outage is handed over again by the next sweep.
            "NOTIFICATIONS_REPUBLISH_SECONDS": "5",
            "NOTIFICATIONS_LEASE_SECONDS": "90",
        }
        with prod_like(
            port=port, web_workers=2, worker_concurrency=1, db="restart_test", env=run_env
        ) as base_url:
            env = settings_env(base_url) | services
            slug = manage_shell(env, MAKE_EVENT.format(slug=f"restart-{os.getpid()}"))["slug"]
            path = f"/api/tickets/events/{slug}/register/"

            # 1. A burst of registrations; PostgreSQL restarts once some have gone through.
            answered = threading.Semaphore(0)
            answers: list[tuple[str, int, dict, str]] = []

            def client(number: int) -> None:
                source = f"127.0.0.{10 + number}"
                for i in range(PER_CLIENT):
                    email = f"besucher-{number}-{i}@example.org"
                    body = {"name": f"Besucher {number}-{i}", "email": email}
                    status, headers, text = request(
                        port, "POST", path, body | {"privacy_consent": True}, source=source
                    )
                    answers.append((email, status, headers, text))
                    answered.release()

            def restart_after(count: int) -> None:
                for _ in range(count):
                    answered.acquire(timeout=300)
                restart_postgres(env)

            with ThreadPoolExecutor(CLIENTS + 1) as pool:
                restart = pool.submit(restart_after, 30)
                for number in range(CLIENTS):
                    pool.submit(client, number)
            restart.result()

            statuses = Counter(status for _email, status, _headers, _text in answers)
            assert len(answers) == CLIENTS * PER_CLIENT
            assert set(statuses) <= {201, 503, 0}, statuses
            for _email, status, headers, text in answers:
                if status == 503:
                    assert headers.get("Retry-After") == "5"
                    assert json.loads(text)["code"] == "database_unavailable"
            answered_201 = {email for email, status, _h, _t in answers if status == 201}
            assert statuses[201] >= 30  # the burst did run on both sides of the restart

            # 2. Every registration that committed gets exactly one confirmation.
            committed = manage_shell(env, REGISTERED.format(slug=slug))
            assert answered_201 <= set(committed)
            mailbox.wait_for(len(committed), timeout=300)
            received = Counter(
                str(mail["To"]) for mail in mailbox.messages if str(mail["To"]) in committed
            )
            assert set(received) == set(committed)
            assert set(received.values()) == {1}, [e for e, n in received.items() if n > 1]

            # 3. A restart while idle: the web processes' first requests succeed.
            pages = [f"/api/events/{slug}/", f"/tickets/anmelden/{slug}/"]
            for _ in range(3):
                for page in pages:
                    assert request(port, "GET", page)[0] == 200
            restart_postgres(env)
            first = [request(port, "GET", page)[0] for _ in range(3) for page in pages]
            assert first == [200] * len(first)

            # Every message is marked sent: none waits, half sent, for the lease (after which
            # the sweep would send it a second time); and no second mail turned up meanwhile.
            deadline = time.monotonic() + 300
            while manage_shell(env, NOT_YET_SENT.format(slug=slug)) != 0:
                assert time.monotonic() < deadline, "messages not marked sent"
                time.sleep(1)
            assert (
                Counter(
                    str(mail["To"]) for mail in mailbox.messages if str(mail["To"]) in committed
                )
                == received
            )
