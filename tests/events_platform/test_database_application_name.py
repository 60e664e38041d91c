"""Each program names its PostgreSQL connections (pg_stat_activity.application_name), so an
operator looking at a busy database sees who is asking, and the rush benchmark counts the
web's database CPU apart from the mail workers'."""

import sys

import pytest
from django.db import connection

from config.settings import database_application_name


@pytest.mark.parametrize(
    ("argv", "name"),
    [
        (["/srv/venv/bin/gunicorn", "config.wsgi", "--config", "g.py"], "events_platform web"),
        (
            ["/srv/venv/bin/celery", "-A", "config", "worker", "--pool=prefork"],
            "events_platform worker",
        ),
        (["celery", "-A", "config", "beat", "--pidfile="], "events_platform beat"),
        (["manage.py", "migrate", "--noinput"], "events_platform migrate"),
        (["/usr/bin/python3"], "events_platform python3"),
        ([], "events_platform python"),
        (["/opt/skript-für-tests"], "events_platform skript-f?r-tests"),
        (["x" * 100], "events_platform " + "x" * 47),
    ],
)
def test_the_name_says_which_program_connects(argv, name):
    assert database_application_name(argv) == name


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_connection_carries_the_name():
    with connection.cursor() as cursor:
        cursor.execute("SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()")
        name = cursor.fetchone()[0]
    assert name == database_application_name(sys.argv)
    assert name.startswith("events_platform ")
