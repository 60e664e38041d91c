"""Django's PostgreSQL backend with a health check that costs no round trip.

With persistent connections (CONN_MAX_AGE) and CONN_HEALTH_CHECKS, Django checks a kept
connection before a request first uses it by sending `SELECT 1`: one round trip and one
statement for the server on every request, a tenth of a millisecond of a registration's
CPU (web and database). A connection the server has ended (a restart, an administrator's
pg_terminate_backend, an idle timeout) is told by its socket: the server sends its goodbye
and closes, so the idle socket has something to read. This check looks at the socket
without waiting; only when something is there (the goodbye, or a notice) does it send
`SELECT 1` as Django does, which then fails on a dead connection, and Django connects
anew. A connection that is not idle (a transaction open or failed) is checked the usual
way. A network that silently drops the connection is not seen by either check until the
next statement fails, as before.

settings.py names this module as the ENGINE for a PostgreSQL DATABASE_URL.
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        raw = self.connection
        if raw is None or raw.closed or raw.pgconn.status != pq.ConnStatus.OK:
            return False
        if raw.info.transaction_status != pq.TransactionStatus.IDLE:
            return super().is_usable()
        try:
            readable, _, _ = select.select([raw.pgconn.socket], [], [], 0)
        except (OSError, ValueError):  # the socket is gone
            return False
        return super().is_usable() if readable else True
