"""The Makefile runs the shell scripts directly: each must be executable in a fresh clone."""

import os
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def test_every_shell_script_is_executable():
    scripts = sorted(SCRIPTS.glob("*.sh"))
    assert len(scripts) >= 5
    not_executable = [path.name for path in scripts if not os.access(path, os.X_OK)]
    assert not_executable == []
