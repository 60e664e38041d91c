"""Helpers for tests that run a piece of the project in a fresh Python process."""

import json
import subprocess
import sys
import time

from tests.conftest import ROOT


def json_from_python(args: list[str], *, env: dict, marker: str, timeout: int = 120) -> dict:
    """Run `python <args>` in the project folder and return the JSON printed after `marker`
    (the first line that starts with it); the process must exit 0."""
    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith(marker))
    return json.loads(line.removeprefix(marker))


def first_answer(call, *, process: subprocess.Popen, log_path, seconds: float):
    """What `call()` returns once the server `process` answers (a refused connection is
    retried every 0.3 s); fails with the server's log when it exits or `seconds` pass."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return call()
        except OSError:
            assert process.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.3)
