"""The image's scripts, run here as the image runs them: the entry point picks the role,
gunicorn accepts its configuration with production settings, and the health check tells
which process it guards."""

import importlib.util
import json
import os
import socket
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"


def production_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION"}}
    env["PATH"] = f"{ROOT / '.venv' / 'bin'}:{env['PATH']}"
    env.update(
        {
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "entrypoint-test-" + "s3cr3t" * 8,
            "DJANGO_ALLOWED_HOSTS": "events.example.org",
            "LOG_FORMAT": "json",
            "DATABASE_URL": "",
        }
    )
    return env


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ENTRYPOINT), *args],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_web_role_loads_the_gunicorn_configuration_and_the_app():
    result = run("web", "--check-config")
    assert result.returncode == 0, result.stdout + result.stderr


def test_web_role_refuses_to_start_without_a_secret_key():
    env = production_env() | {"DJANGO_SECRET_KEY": ""}
    result = subprocess.run(
        [str(ENTRYPOINT), "web", "--check-config"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stdout + result.stderr


def test_manage_role_runs_a_management_command():
    result = run("manage", "check")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_any_other_word_runs_as_a_program():
    result = run("echo", "hallo")
    assert result.stdout == "hallo\n"


@pytest.fixture(scope="module")
def healthcheck():
    spec = importlib.util.spec_from_file_location("healthcheck", ROOT / "docker" / "healthcheck.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("argv", "role"),
    [
        (
            ["/opt/venv/bin/python3", "/opt/venv/bin/gunicorn", "config.wsgi"],
            "web",
        ),
        (
            ["/opt/venv/bin/python3", "/opt/venv/bin/celery", "-A", "config", "worker"],
            "worker",
        ),
        (
            ["/opt/venv/bin/python3", "/opt/venv/bin/celery", "-A", "config", "beat"],
            "beat",
        ),
        (["/opt/venv/bin/python", "manage.py", "migrate", "--noinput"], "other"),
    ],
)
def test_health_check_knows_the_process_it_guards(healthcheck, argv, role):
    assert healthcheck.role("\0".join(argv).encode() + b"\0") == role


def test_health_check_sends_a_host_the_site_accepts(healthcheck, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", ".example.org,web")
    assert healthcheck.host_header() == "example.org"
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "*")
    assert healthcheck.host_header() == "localhost"


def run_python(code: str, env: dict[str, str]) -> str:
    """What `code` prints, run by the project's Python in a process of its own."""
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


PRELOAD_PROBE = """
import json, os, sys, threading
import config.wsgi
from config.celery import app as celery_app
from django.conf import settings
from django.urls import get_resolver
from django.urls.resolvers import get_ns_resolver
from django.db import connections
def is_socket(fd):
    try:
        return os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
    except OSError:  # the listing's own descriptor, closed meanwhile
        return False
sockets = [fd for fd in os.listdir("/proc/self/fd") if is_socket(fd)]
print(json.dumps({
    "urlconf": settings.ROOT_URLCONF in sys.modules,
    "views": [name for name in ("checkin.api", "fairs.api", "ticketing.api")
              if name in sys.modules],
    "open": [alias for alias in connections if connections[alias].connection is not None],
    "threads": threading.active_count(),
    "sockets": len(sockets),
    "celery_finalized": celery_app.finalized and "send_task_message" in vars(celery_app.amqp),
    "reverse_lookups": sorted(get_resolver()._reverse_dict),
    "namespace_resolvers": get_ns_resolver.cache_info().currsize > 0,
}))
"""


def test_the_wsgi_module_imports_the_views_before_gunicorn_forks_and_opens_no_connection():
    """gunicorn imports the WSGI module once, in its master (preload_app): what it imports
    (the views, the finalised Celery app, the URL lookups of both languages) every worker
    has from the start, also one recycled after max_requests. Nothing it opens may be
    shared by the workers, so the import opens no database connection, no socket and no
    thread."""
    env = production_env() | {"DATABASE_URL": os.environ.get("DATABASE_URL", "")}
    probe = json.loads(run_python(PRELOAD_PROBE, env).splitlines()[-1])
    assert probe == {
        "urlconf": True,
        "views": ["checkin.api", "fairs.api", "ticketing.api"],
        "open": [],
        "threads": 1,
        "sockets": 0,
        "celery_finalized": True,
        "reverse_lookups": ["de", "en"],
        "namespace_resolvers": True,
    }


FREEZE_PROBE = """
import gc, sys
from gunicorn.app.wsgiapp import WSGIApplication
sys.argv = ["gunicorn", "config.wsgi", "--config", "docker/gunicorn.conf.py"]
app = WSGIApplication()  # reads the configuration as gunicorn does, loads no app yet
objects = [[n] for n in range(1000)]
before = gc.get_freeze_count()
app.cfg.pre_fork(None, None)
print(before, gc.get_freeze_count() - before)
"""


def test_gunicorn_freezes_the_masters_objects_before_each_fork():
    """The hook gunicorn runs in the master before forking a worker moves everything the
    master holds into the collector's permanent generation (see docker/gunicorn.conf.py)."""
    before, frozen = map(int, run_python(FREEZE_PROBE, production_env()).split())
    assert before == 0
    assert frozen > 1000  # the probe's own thousand lists and all that was there before


WARM_PROBE = """
import json, logging, os, sys
from gunicorn.app.wsgiapp import WSGIApplication
sys.argv = ["gunicorn", "config.wsgi", "--config", "docker/gunicorn.conf.py"]
app = WSGIApplication()  # reads the configuration as gunicorn does
import config.wsgi
from config.celery import app as celery_app
from django.db import connection
warnings = []
class Keep(logging.Handler):
    def emit(self, record):
        warnings.append(record.getMessage())
logging.getLogger("config.wsgi").addHandler(Keep())
def sockets():
    def is_socket(fd):
        try:
            return os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
        except OSError:
            return False
    return sum(map(is_socket, os.listdir("/proc/self/fd")))
before = sockets()
app.cfg.post_worker_init(None)  # what a new worker runs before its first request
with celery_app.producer_or_acquire() as producer:
    broker = producer.connection.connected
print(json.dumps({
    "before": before, "after": sockets(), "database": connection.connection is not None,
    "broker": broker, "warnings": warnings,
}))
"""


def test_a_new_worker_opens_its_connections_before_its_first_request():
    """gunicorn runs config.wsgi.warm_connections in each new worker (post_worker_init):
    the database, the cache and rate limits' Redis and the broker are open before the first
    visitor's request. With Redis down the worker starts all the same and says what it
    could not open."""
    env = production_env() | {"DATABASE_URL": os.environ.get("DATABASE_URL", "")}
    warm = json.loads(run_python(WARM_PROBE, env).splitlines()[-1])
    assert (warm["before"], warm["database"], warm["broker"], warm["warnings"]) == (
        0,
        True,
        True,
        [],
    )
    # The database, Redis for the cache and the rate limits, Redis as the broker.
    assert warm["after"] >= 3

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    down = env | {"REDIS_URL": f"redis://127.0.0.1:{port}/0"}
    cold = json.loads(run_python(WARM_PROBE, down).splitlines()[-1])
    assert cold["warnings"] == [
        "warming the cache connection failed",
        "warming the rate limits connection failed",
        "warming the broker connection failed",
    ]
    assert cold["database"] is True and cold["broker"] is False
