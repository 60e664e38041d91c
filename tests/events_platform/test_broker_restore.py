"""A worker survives kombu's restore race (infra.broker): a channel closed after
its connection lost the transport (Redis went away mid-reconnect) used to kill the worker with
AttributeError("'NoneType' object has no attribute 'hostname'"). Now the unacknowledged task
stays in Redis and comes back to the queue, so it is still delivered."""

import os

import pytest
from django.conf import settings
from kombu import Connection, Exchange, Producer, Queue

import config.celery  # noqa: F401 - installs the workaround like every Celery process


@pytest.mark.celery
def test_closing_a_left_over_channel_keeps_the_task_for_later():
    name = f"restore-race-{os.getpid()}"
    queue = Queue(name, Exchange(name), name)
    connection = Connection(settings.CELERY_BROKER_URL)
    channel = connection.channel()
    try:
        queue(channel).declare()
        Producer(channel).publish({"mail": 1}, exchange=name, routing_key=name)
        message = channel.basic_get(name, no_ack=False)
        assert message is not None
        # What the worker held when Redis went away: a task taken, not yet acknowledged.
        channel.qos.append(message, message.delivery_tag)
        # kombu detached the transport while this channel was still open.
        connection._do_close_transport()

        channel.close()  # raised AttributeError (...'hostname') and the worker exited

        with Connection(settings.CELERY_BROKER_URL) as fresh:
            other = fresh.channel()
            other.qos.visibility_timeout = 0  # as after the visibility timeout
            other.qos.restore_visible(num=1000)
            again = other.basic_get(name, no_ack=True)
            assert again is not None
            assert again.payload == {"mail": 1}
    finally:
        with Connection(settings.CELERY_BROKER_URL) as cleanup:
            cleanup.channel().queue_delete(name)
