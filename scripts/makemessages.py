"""Refreshes the German and English message files of every app (each app keeps its own)."""

import subprocess
import sys

IGNORE = [".venv", "frontend", "var", "tests", "benchmarks", "docker"]


def main() -> int:
    base = [sys.executable, "manage.py", "makemessages", "-l", "de", "-l", "en", "--no-obsolete"]
    for pattern in IGNORE:
        base += ["--ignore", pattern]
    subprocess.run(base, check=True)
    subprocess.run(base + ["-d", "djangojs"], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
