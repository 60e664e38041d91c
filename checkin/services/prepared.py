"""The few statements of a scan that PostgreSQL keeps prepared on each connection."""

import threading

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections

PREPARE_ONLY_WHEN_ASKED = 2**31


class _PreparingCursor(psycopg.Cursor):
    """A cursor that binds parameters on the server and prepares what it runs."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


# The preparing cursor of this thread's connection, kept between requests: its adapters
# keep the dumpers they looked up, and a new cursor would look them up again per scan.
_kept = threading.local()


def fetch_prepared(sql: str, params) -> tuple | None:
    """The first row of a statement PostgreSQL keeps prepared on this connection.

    Planning the door-rush read costs PostgreSQL several times what running it does.
    Django binds parameters on the client and prepares nothing (for connection poolers in
    transaction mode; this deployment has none), so these few statements go through a
    server-binding cursor that prepares them, with Django's error mapping and its check
    for a broken transaction, as in every Django cursor. While queries are logged (DEBUG,
    tests capturing them) or wrapped (connection.execute_wrapper), they run the plain way,
    so that the log and the wrappers see them with their parameters.
    """
    db = connections[DEFAULT_DB_ALIAS]  # looked up once, not at every attribute
    if db.vendor != "postgresql" or db.queries_logged or db.execute_wrappers:
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    db.ensure_connection()
    db.validate_no_broken_transaction()
    cursor = getattr(_kept, "cursor", None)
    if cursor is None or cursor.connection is not db.connection or cursor.closed:
        pg = db.connection
        if pg.prepare_threshold is None:
            # Django switches psycopg's preparing off (its own client-binding cursors never
            # prepare anyway): on this connection only a _PreparingCursor's statements are.
            pg.prepare_threshold = PREPARE_ONLY_WHEN_ASKED
        cursor = _kept.cursor = _PreparingCursor(pg)
    with db.wrap_database_errors:
        cursor.execute(sql, params)
        return cursor.fetchone()
