"""With SENTRY_DSN set, an error reaches Sentry tagged with the request id and without
personal data; the "Sentry" here is a plain HTTP server on loopback that keeps what it got."""

import gzip
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

REPORT_AN_ERROR = """
import django
django.setup()
import sentry_sdk
from infra.observability import request_id_var
request_id_var.set("req-sentry-5a4b3c2d")
try:
    1 / 0
except ZeroDivisionError:
    sentry_sdk.capture_exception()
sentry_sdk.flush(timeout=10)
"""


def test_an_error_reaches_sentry_with_the_request_id():
    received: list[bytes] = []

    class Envelopes(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            received.append(body)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Envelopes)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env["SENTRY_DSN"] = f"http://publickey@127.0.0.1:{server.server_port}/42"
    env["SENTRY_ENVIRONMENT"] = "test"
    try:
        result = subprocess.run(
            [sys.executable, "-c", REPORT_AN_ERROR],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr
    events = [
        json.loads(line)
        for body in received
        for line in body.splitlines()
        if line.startswith(b"{") and b'"exception"' in line
    ]
    assert len(events) == 1, received
    event = events[0]
    assert event["exception"]["values"][0]["type"] == "ZeroDivisionError"
    assert event["tags"]["request_id"] == "req-sentry-5a4b3c2d"
    assert event["environment"] == "test"
    assert "ip_address" not in json.dumps(event.get("user", {}))
