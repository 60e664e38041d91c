"""docker/ is valid without a Docker engine: `docker-compose config -q` accepts the compose
file, hadolint the Dockerfile and `caddy validate` the Caddyfile, and each rejects a broken
copy (negative controls)."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DOCKERFILE = ROOT / "docker" / "Dockerfile"
COMPOSE = ROOT / "docker" / "compose.yaml"
APP_SERVICES = {"web", "worker", "beat", "migrate"}


def compose_config(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "docker-compose"), "-f", str(tree / "docker" / "compose.yaml"), "config", "-q"],
        capture_output=True,
        text=True,
        timeout=60,
    )


def hadolint(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "hadolint"), "--no-color", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def deploy_tree(tmp_path):
    """A copy of docker/ with the operator's .env beside it, made from .env.example."""
    shutil.copytree(ROOT / "docker", tmp_path / "docker")
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    return tmp_path


def test_compose_file_is_valid(deploy_tree):
    result = compose_config(deploy_tree)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("breakage", "old", "new", "complaint"),
    [
        (
            "unknown key",
            "    restart: unless-stopped\n",
            "    restarts: unless-stopped\n",
            "restarts",
        ),
        (
            "undefined dependency",
            "\n  redis:\n",
            "\n  cache:\n",
            'undefined service "redis"',
        ),
        (
            "bad health condition",
            "condition: service_healthy",
            "condition: when_ready",
            "condition",
        ),
    ],
)
def test_broken_compose_file_is_rejected(deploy_tree, breakage, old, new, complaint):
    compose = deploy_tree / "docker" / "compose.yaml"
    text = compose.read_text()
    assert old in text, breakage
    compose.write_text(text.replace(old, new, 1))
    result = compose_config(deploy_tree)
    assert result.returncode != 0, breakage
    assert complaint in result.stderr


def test_compose_without_env_file_is_rejected(deploy_tree):
    (deploy_tree / ".env").unlink()
    result = compose_config(deploy_tree)
    assert result.returncode != 0
    assert ".env" in result.stderr


def caddy_validate(caddyfile: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "caddy"), "validate", "--config", str(caddyfile), "--adapter", "caddyfile"],
        env={
            "PATH": os.environ["PATH"],
            "HOME": str(tmp_path),
            "XDG_DATA_HOME": str(tmp_path),
            "XDG_CONFIG_HOME": str(tmp_path),
            "SITE_URL": "https://events.example.org",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_caddyfile_is_valid(tmp_path):
    result = caddy_validate(ROOT / "docker" / "Caddyfile", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Valid configuration" in result.stdout + result.stderr


def test_broken_caddyfile_is_rejected(tmp_path):
    broken = tmp_path / "Caddyfile"
    text = (ROOT / "docker" / "Caddyfile").read_text()
    assert "lb_policy least_conn" in text
    broken.write_text(text.replace("lb_policy least_conn", "lb_policy fewest_friends"))
    result = caddy_validate(broken, tmp_path)
    assert result.returncode != 0
    assert "fewest_friends" in result.stderr


def test_dockerfile_passes_hadolint():
    result = hadolint(DOCKERFILE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_broken_dockerfile_fails_hadolint(tmp_path):
    broken = tmp_path / "Dockerfile"
    # An unpinned base image and apt-get without cleanup: both classic mistakes.
    broken.write_text(
        DOCKERFILE.read_text().replace(
            "FROM ${PYTHON_IMAGE} AS runtime",
            "FROM python:latest AS runtime\nRUN apt-get update && apt-get install -y curl",
        )
    )
    result = hadolint(broken)
    assert result.returncode != 0
    assert "DL3007" in result.stdout  # "Using latest is prone to errors"


def test_every_base_image_is_pinned_by_digest():
    dockerfile = DOCKERFILE.read_text()
    images = re.findall(r"^ARG \w+_IMAGE=(\S+)$", dockerfile, re.MULTILINE)
    compose = yaml.safe_load(COMPOSE.read_text())
    images += [
        svc["image"] for name, svc in compose["services"].items() if name not in APP_SERVICES
    ]
    assert len(images) == 5
    for image in images:
        assert re.fullmatch(r"[\w./-]+:[\w.-]*\d+\.\d+[\w.-]*@sha256:[0-9a-f]{64}", image), image


def test_image_runs_as_non_root_with_a_healthcheck_and_one_entrypoint():
    dockerfile = DOCKERFILE.read_text()
    runtime = dockerfile.split("AS runtime", 1)[1]
    assert re.search(r"^USER 10001:10001$", runtime, re.MULTILINE)
    assert "HEALTHCHECK" in runtime
    assert 'ENTRYPOINT ["docker/entrypoint.sh"]' in runtime
    # gettext and Node belong to the build stages only.
    assert "gettext" not in runtime
    assert "node" not in runtime.lower().replace("--no-create-home", "")
    assert "collectstatic" in dockerfile and "compilemessages" in dockerfile


def test_compose_services_read_env_and_run_exactly_one_beat():
    compose = yaml.safe_load(COMPOSE.read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "postgres", "redis", "proxy"} <= set(services)
    for name, service in services.items():
        assert service.get("restart") in {"unless-stopped", "no"}, name
        if name in APP_SERVICES | {"postgres", "proxy"}:
            assert service["env_file"] == [{"path": "../.env", "required": True}], name
        if name not in {"migrate"}:
            assert "healthcheck" in service or name in APP_SERVICES, name
    # A worker or beat that dies (an unrecoverable broker error) is started again.
    for name in ("worker", "beat"):
        assert services[name]["restart"] == "unless-stopped", name
    beats = [name for name, svc in services.items() if svc.get("command") == ["beat"]]
    assert beats == ["beat"]
    assert "replicas" not in services["beat"].get("deploy", {})
    # Migrations run only when asked: a one-off service that `up` leaves out.
    assert services["migrate"]["profiles"] == ["tools"]
    assert services["web"]["command"] == ["web"]
    assert set(compose["volumes"]) >= {"postgres-data", "redis-data", "media"}
