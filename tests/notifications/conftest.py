"""Fixtures for the outbox fault tests: a Redis of our own that a test can stop and start, a
Celery worker process of our own that a test can SIGKILL and restart, and an SMTP server on
loopback whose answers a test can change (421, 550). Modelled on tests/conftest.py."""

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import ROOT, Mailbox, _worker_database_env, free_port, which


class RedisServer:
    """A redis-server child process on a fixed free port; stop() and start() keep the port."""

    def __init__(self, tmp_path: Path):
        self.port = free_port()
        self.dir = tmp_path
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                which("redis-server"),
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        client.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def own_redis(tmp_path):
    """A Redis broker of this test's own, which it may stop and start."""
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def publish_to(settings):
    """Point this process's Celery app at another broker for the test (restored afterwards)."""
    from config.celery import app
    from notifications import outbox

    original = app.conf.broker_url

    def switch(url: str) -> None:
        app.conf.broker_url = url
        # Publishing uses the write URL when one is set (another test may have set it).
        app.conf.broker_write_url = url
        # The producer pools hold connections to the old broker: drop them.
        app._pool = None
        app.amqp._producer_pool = None
        outbox._broker_down_until = 0.0

    yield switch
    switch(original)


class FlakySmtp:
    """An SMTP server on loopback; `answers[address]` or `answer_all` sets the reply to DATA.

    Every accepted message lands in `mailbox`; `attempts` counts DATA commands per address.
    """

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.mailbox = Mailbox()
        self.attempts: Counter = Counter()
        self.answers: dict[str, list[str]] = {}
        self.answer_all: str | None = None
        self._lock = threading.Lock()
        outer = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                address = envelope.rcpt_tos[0].lower()
                with outer._lock:
                    outer.attempts[address] += 1
                    queue = outer.answers.get(address)
                    answer = queue.pop(0) if queue else outer.answer_all
                if answer:
                    return answer
                outer.mailbox.add(envelope.original_content or envelope.content)
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=free_port())

    @property
    def host(self) -> str:
        return self.controller.hostname

    @property
    def port(self) -> int:
        return self.controller.port

    def received_by(self) -> Counter:
        """How many mails each address received."""
        return Counter(m["To"].lower() for m in self.mailbox.messages)


@pytest.fixture
def flaky_smtp():
    server = FlakySmtp()
    server.controller.start()
    yield server
    server.controller.stop()


class Worker:
    """A Celery worker process of the test's own; kill() is SIGKILL, start() starts anew."""

    def __init__(self, *, broker_url: str, smtp: FlakySmtp, env: dict, concurrency: int = 4):
        self.broker_url = broker_url
        self.smtp = smtp
        self.extra_env = env
        self.concurrency = concurrency
        self.process: subprocess.Popen | None = None
        self.starts = 0
        self.log_paths: list[Path] = []

    def start(self) -> None:
        from django.conf import settings

        env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
        env.update(_worker_database_env())
        env.update(
            {
                "REDIS_URL": settings.REDIS_URL,  # this xdist worker's Redis database
                "CELERY_BROKER_URL": self.broker_url,
                "CELERY_TASK_DEFAULT_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": self.smtp.host,
                "EMAIL_PORT": str(self.smtp.port),
                "EVENTS_CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", ""),
                # Django's system checks run in the test session already; a restarted
                # worker should be back at once.
                "CELERY_SKIP_CHECKS": "1",
                **self.extra_env,
            }
        )
        self.starts += 1
        log_path = ROOT / "var" / f"outbox-worker-{os.getpid()}-{id(self)}-{self.starts}.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log_paths.append(log_path)
        self._log = log_path.open("w")
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "celery"),
                "-A",
                "config",
                "worker",
                "--pool=threads",
                f"--concurrency={self.concurrency}",
                "-Q",
                settings.CELERY_TASK_DEFAULT_QUEUE,
                "-n",
                f"outbox-{os.getpid()}-{self.starts}@%h",
                "--without-mingle",
                "--without-gossip",
                "--loglevel=INFO",
            ],  # fmt: skip
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while "ready." not in log_path.read_text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                raise RuntimeError("Celery worker did not start:\n" + log_path.read_text())
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no acks, no cleanup."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self._log.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self._log.close()

    def log_text(self) -> str:
        return "".join(path.read_text() for path in self.log_paths)


@pytest.fixture
def outbox_worker(django_db_blocker):
    """Start workers with `outbox_worker(broker_url=…, smtp=…, env={…})`; all stop at the end."""
    workers: list[Worker] = []

    def start(*, broker_url: str, smtp: FlakySmtp, env: dict | None = None, concurrency=4):
        worker = Worker(broker_url=broker_url, smtp=smtp, env=env or {}, concurrency=concurrency)
        with django_db_blocker.unblock():
            worker.start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


def wait_until(predicate, *, timeout: float = 60.0, interval: float = 0.1, what: str = ""):
    """Poll until `predicate()` is true; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate}")
