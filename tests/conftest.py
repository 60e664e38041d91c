"""Shared fixtures: real PostgreSQL/SQLite, a real Redis broker and Celery worker, a real SMTP
server on loopback and real Chromium. Tests that need a part this machine lacks are skipped
locally with a note on how to run them; with CI=true such a skip fails the run instead."""

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django must still allow
# its ORM there (the live server runs in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
IN_CI = os.environ.get("CI") == "true"
HOW_TO_RUN_ALL = "run `make test` as root (it installs and starts PostgreSQL, Redis and Chromium)"


def _on_postgres() -> bool:
    from django.conf import settings

    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


def pytest_configure(config):
    """Tests hash passwords with MD5: the production hasher (PBKDF2, a million rounds) took
    0.3 to 2.5 s per password on the busy 2-CPU development machine, and every user a
    factory makes has one. The production hashers stay listed, so their hashes are still
    checked. Only the test process changes; config/settings.py keeps the production list."""
    from django.conf import settings
    from django.contrib.auth import hashers

    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]
    hashers.get_hashers.cache_clear()
    hashers.get_hashers_by_algorithm.cache_clear()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    on_postgres = _on_postgres()
    missing = {
        "postgres": None if on_postgres else "PostgreSQL (set DATABASE_URL)",
        "celery": None if os.environ.get("REDIS_URL") else "Redis (set REDIS_URL)",
        "browser": None if Path(CHROMIUM).exists() else f"Chromium at {CHROMIUM}",
    }
    kept, deselected, skipped = [], [], {}
    for item in items:
        if on_postgres and item.get_closest_marker("sqlite"):
            deselected.append(item)  # the second, SQLite pass of scripts/test.sh runs these
            continue
        kept.append(item)
        for marker, reason in missing.items():
            if reason and item.get_closest_marker(marker):
                skipped.setdefault(reason, []).append(item.nodeid)
                item.add_marker(pytest.mark.skip(reason=f"needs {reason}; {HOW_TO_RUN_ALL}"))
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
    if skipped and IN_CI:
        raise pytest.UsageError(
            "CI must run every test, but these parts are missing: " + ", ".join(skipped)
        )
    config._events_platform_skipped = skipped


def pytest_runtest_setup(item):
    if hasattr(item.config, "workerinput") and item.get_closest_marker("serial"):
        pytest.fail(
            "this test runs alone, not in a pytest-xdist worker: run it without -n "
            '(scripts/test.sh runs `-m "not serial" -n auto`, then `-m serial`)',
            pytrace=False,
        )


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = getattr(config, "_events_platform_skipped", {})
    if skipped:
        terminalreporter.section("parts of the suite that did not run here")
        for reason, nodeids in skipped.items():
            terminalreporter.write_line(f"{len(nodeids)} tests need {reason}")
        terminalreporter.write_line(f"To run them: {HOW_TO_RUN_ALL}.")


def _deadlocks_so_far() -> int:
    """Deadlocks PostgreSQL has found in the current database (its statistics, read fresh)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


@pytest.fixture(scope="session", autouse=True)
def _no_deadlock_in_the_run(django_db_setup, django_db_blocker):
    """The run fails when PostgreSQL found a deadlock in its test database, wherever it
    happened. A deadlock is a wrong lock order in our code, and it could pass unseen: the
    outbox sends again after a database error, and a page answers 503."""
    if not _on_postgres():
        yield
        return
    with django_db_blocker.unblock():
        before = _deadlocks_so_far()
    yield
    with django_db_blocker.unblock():
        found = _deadlocks_so_far() - before
    assert found == 0, (
        f"PostgreSQL found {found} deadlock(s) in this run's test database; its log names "
        "the statements (a wrong lock order: see ticketing/services.py's docstring)"
    )


@pytest.fixture(autouse=True)
def _generous_rate_limits():
    """Tests everywhere post many registrations from 127.0.0.1, often with the same
    address, and the counters live in the run's Redis for the whole session: under the
    production limits a test would be refused for what other tests did before it on the
    same worker. The rate-limit tests set their own limits (and their own addresses).

    Not through pytest-django's `settings` fixture: an autouse fixture asking for it would
    set it up first and so undo it last, after the other fixtures' teardown, which then
    ran with a test's settings still in place (a cache where nothing listens)."""
    from django.test import override_settings

    with override_settings(TICKETING_RATE_LIMITS={"ip": (10_000, 600), "email": (10_000, 3600)}):
        yield


@pytest.fixture(autouse=True)
def _german_by_default():
    """Every test starts in German, the site's default language, whatever ran before."""
    from django.utils import translation

    translation.activate("de")
    yield
    translation.deactivate()


# Fixtures that start a Celery worker reading the run's queue.
WORKER_FIXTURES = frozenset({"celery_worker", "outbox_worker"})


def parked_queue(default: str) -> str:
    return f"{default}-parked"


@pytest.fixture(autouse=True)
def _tasks_go_to_a_worker_only_when_the_test_has_one(request):
    """A test without a worker fixture queues its tasks on a queue no worker reads.

    The session's Celery worker (`celery_worker`) stays up once a test has started it, on the
    test database. A task that another test queued would reach it too, perhaps while that
    test's teardown empties the tables: PostgreSQL then found a deadlock between the worker's
    read and the TRUNCATE (two runs on 5 December 2026), and the rows left behind broke the
    next test. Such a test checks what it hands to the broker, not what a worker does with it.
    """
    if WORKER_FIXTURES & set(request.fixturenames):
        forget_parked_drains()
        yield
        if "celery_worker" in request.fixturenames:
            _wait_until_the_session_worker_is_idle()
        return
    from config.celery import app

    default = app.conf.task_default_queue
    app.conf.task_default_queue = parked_queue(default)
    yield
    app.conf.task_default_queue = default
    forget_parked_drains()


def forget_parked_drains() -> None:
    """Clear the outbox's wake-up key, after a test without a worker and before a test with
    one: a drain that a test's transactions handed over to the parked queue never runs and
    never clears the key, and for its two seconds the next transactions would queue
    nothing, trusting that drain (in a full run two tests with the worker waited in vain
    for their mail)."""
    if not os.environ.get("REDIS_URL"):
        return  # without Redis there is no key: every transaction queues its own task
    from django.core.cache import cache

    from notifications.outbox import WAKE_KEY

    cache.delete(WAKE_KEY)


def _session_worker_name() -> str:
    return f"test-{os.getpid()}@{socket.gethostname()}"


def _wait_until_the_session_worker_is_idle(timeout: float = 60.0) -> None:
    """After a test with the session's worker: no task of it waits or runs any more, so the
    teardown's TRUNCATE meets no task still reading (a drain looks once more after its last
    mail, for instance)."""
    from django.conf import settings

    from config.celery import app

    queue, name = settings.CELERY_TASK_DEFAULT_QUEUE, _session_worker_name()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.connection_for_write() as connection:
            waiting = connection.default_channel.client.llen(queue)
        inspect = app.control.inspect(destination=[name], timeout=5, limit=1)
        active, reserved = inspect.active() or {}, inspect.reserved() or {}
        if not waiting and name in active and not active[name] and not reserved.get(name):
            return
        time.sleep(0.05)
    raise AssertionError(f"the Celery worker {name} was still busy {timeout} s after the test")


@pytest.fixture(scope="session", autouse=True)
def _parked_tasks_are_dropped_at_the_end():
    yield
    from config.celery import app

    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(parked_queue(app.conf.task_default_queue))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- Mail: a real SMTP server on loopback -------------------------------------------------


class Mailbox:
    """What the loopback SMTP server received, parsed as e-mail messages."""

    def __init__(self):
        self._messages: list[EmailMessage] = []
        self._lock = threading.Lock()

    def add(self, raw: bytes) -> None:
        with self._lock:
            self._messages.append(message_from_bytes(raw, policy=policy.default))

    @property
    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return list(self._messages)

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()

    def wait_for(self, count: int = 1, timeout: float = 30.0) -> list[EmailMessage]:
        """Wait until at least `count` messages arrived; return them all."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.messages) >= count:
                return self.messages
            time.sleep(0.05)
        raise AssertionError(f"expected {count} mails within {timeout}s, got {len(self.messages)}")

    def wait_for_matching(self, predicate, timeout: float = 30.0) -> list[EmailMessage]:
        """Wait until a message for which `predicate(message)` holds arrived; return those.
        (Where other mails go out too, waiting for a count would race with them.)"""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [message for message in self.messages if predicate(message)]
            if found:
                return found
            time.sleep(0.05)
        raise AssertionError(f"no matching mail within {timeout}s, got {len(self.messages)}")


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server (aiosmtpd) on 127.0.0.1 for the whole session."""
    from aiosmtpd.controller import Controller

    box = Mailbox()

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            box.add(envelope.original_content or envelope.content)
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, box
    controller.stop()


@pytest.fixture
def mailbox(smtp_server, settings):
    """Django sends through the loopback SMTP server; the test reads what arrived."""
    controller, box = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = controller.hostname
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    box.clear()
    yield box
    box.clear()


# --- Celery: a real worker on a real Redis broker ------------------------------------------


def _worker_database_env() -> dict[str, str]:
    from django.db import connection

    db = connection.settings_dict
    if "postgresql" in db["ENGINE"]:
        auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        url = f"postgresql://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        return {"DATABASE_URL": url}
    return {"DATABASE_URL": "", "SQLITE_PATH": str(db["NAME"])}


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker, smtp_server):
    """A real Celery worker process consuming this run's queue on the real Redis broker.

    It uses the test database, so tests that rely on it must be transactional
    (`@pytest.mark.django_db(transaction=True)`), and it sends mail to the loopback server.
    """
    from django.conf import settings

    controller, _box = smtp_server
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    with django_db_blocker.unblock():
        env.update(_worker_database_env())
    env.update(
        {
            "REDIS_URL": settings.REDIS_URL,  # this xdist worker's Redis database
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_TASK_DEFAULT_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": controller.hostname,
            "EMAIL_PORT": str(controller.port),
            "EVENTS_CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", ""),
        }
    )
    log_path = ROOT / "var" / f"celery-worker-{os.getpid()}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "config",
            "worker",
            "--pool=threads",
            "--concurrency=4",
            "-Q",
            settings.CELERY_TASK_DEFAULT_QUEUE,
            "-n",
            _session_worker_name(),
            "--without-mingle",
            "--without-gossip",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while "ready." not in log_path.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("Celery worker did not start:\n" + log_path.read_text())
        time.sleep(0.2)
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


# --- Browser: Debian's Chromium driven by Playwright ---------------------------------------

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        # While Playwright runs, its event loop is this thread's running loop, and Django
        # keeps the thread's database connections in a separate store for async code. Those
        # are closed here, while that store is still the one in use: left open, a connection
        # outlives the session and keeps the test database from being dropped.
        connections.close_all()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab in German, in Europe/Berlin, at phone size."""
    context = browser.new_context(
        locale="de-DE",
        timezone_id="Europe/Berlin",
        viewport={"width": 390, "height": 844},
        base_url=live_server.url,
    )
    tab = context.new_page()
    yield tab
    context.close()


AXE_SOURCE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"


def assert_accessible(page) -> None:
    """Run axe-core on the page: no serious or critical WCAG 2.1 A/AA violation."""
    # evaluate() is not subject to the page's CSP, which forbids inline scripts.
    page.evaluate(AXE_SOURCE.read_text())
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
        })"""
    )
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    details = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in serious
    ]
    assert not serious, "accessibility violations on " + page.url + ":\n" + "\n".join(details)


@pytest.fixture
def axe():
    """The accessibility check as a fixture: `axe(page)`."""
    if not AXE_SOURCE.exists():
        raise RuntimeError(f"{AXE_SOURCE} is missing: run scripts/setup.sh")
    return assert_accessible


def which(program: str) -> str:
    path = shutil.which(program)
    if not path:
        raise RuntimeError(f"{program} not found")
    return path
