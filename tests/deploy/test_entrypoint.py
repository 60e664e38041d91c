"""The image's scripts, run here as the image runs them: the entry point picks the role,
gunicorn accepts its configuration with production settings, and the health check tells
which process it guards."""

import importlib.util
import os
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
            ["/opt/venv/bin/python3", "/opt/venv/bin/gunicorn", "events_platform.wsgi"],
            "web",
        ),
        (
            ["/opt/venv/bin/python3", "/opt/venv/bin/celery", "-A", "events_platform", "worker"],
            "worker",
        ),
        (
            ["/opt/venv/bin/python3", "/opt/venv/bin/celery", "-A", "events_platform", "beat"],
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
