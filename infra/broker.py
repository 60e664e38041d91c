"""A workaround for a race in kombu's Redis transport (kombu 5.7.0) that killed workers.

When Redis goes away, Celery closes the broker connection and reconnects. kombu closes the
connection's channels one after another; closing a channel first puts its unacknowledged
tasks back on the queue (`QoS.restore_unacked`). With Redis down that raises a connection
error, which ends the loop early: the remaining channels stay open while kombu detaches the
transport from the connection (`transport.client = None`). When Celery later closes one of
those channels, its restore builds a new connection pool from `transport.client.hostname`,
and the worker dies with `Unrecoverable error: AttributeError("'NoneType' object has no
attribute 'hostname'")`.

The patch below makes a restore that cannot reach Redis (no transport any more, or a
connection error) leave the tasks where they are: in Redis's `unacked` hash, from which a
worker's `restore_visible` puts them back on the queue after the visibility timeout (and the
outbox sweep resends any mail that was not marked sent). The worker then reconnects as
usual. Remove it once kombu restores unacknowledged tasks without a live transport.
"""

import logging

from kombu.transport import redis as kombu_redis

logger = logging.getLogger(__name__)

_original_restore_unacked = kombu_redis.QoS.restore_unacked


def _transport_detached(channel) -> bool:
    transport = getattr(channel, "connection", None)
    return transport is None or getattr(transport, "client", None) is None


def restore_unacked(self, client=None):
    """kombu's restore, unless Redis cannot be reached: then the tasks stay in `unacked`."""
    if client is None and _transport_detached(self.channel):
        logger.warning(
            "Broker connection already closed: %d unacknowledged task(s) stay in Redis and "
            "are requeued after the visibility timeout.",
            len(self._delivered),
        )
        self._delivered.clear()
        return None
    try:
        return _original_restore_unacked(self, client)
    except kombu_redis.Transport.connection_errors as error:
        logger.warning(
            "Broker unreachable (%s): %d unacknowledged task(s) stay in Redis and are "
            "requeued after the visibility timeout.",
            error,
            len(self._delivered),
        )
        self._delivered.clear()
        return None


def install() -> None:
    """Apply the workaround once (idempotent)."""
    if kombu_redis.QoS.restore_unacked is not restore_unacked:
        kombu_redis.QoS.restore_unacked = restore_unacked
