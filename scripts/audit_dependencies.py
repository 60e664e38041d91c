"""pip-audit over both lock files: fails on any known vulnerability in a pinned package.

Some packages pip-audit could not look up fail the run in CI (CI=true). When it could look up
none at all, PyPI's vulnerability data is not reachable from this machine (pip-audit itself
would pass silently): that is printed as a loud warning, and fails the run only with
PIP_AUDIT_REQUIRED=true (set it where PyPI's JSON API is known to be reachable).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCKS = ["requirements.lock", "requirements-dev.lock"]

# Vulnerability id -> why it does not apply or cannot be fixed yet. Every entry needs a reason
# and should be removed as soon as a fixed version can be pinned.
IGNORED: dict[str, str] = {}


def audit(lock: str) -> dict:
    command = [
        str(ROOT / ".venv" / "bin" / "pip-audit"),
        "--requirement",
        str(ROOT / lock),
        "--no-deps",  # the lock files pin every package, dependencies included
        "--disable-pip",
        "--progress-spinner",
        "off",
        "--format",
        "json",
    ]
    for vuln_id in IGNORED:
        command += ["--ignore-vuln", vuln_id]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError:
        print(f"pip-audit failed on {lock}:\n{done.stderr}", file=sys.stderr)
        sys.exit(2)


def main() -> int:
    vulnerable, unaudited, names = [], {}, set()
    for lock in LOCKS:
        for dep in audit(lock)["dependencies"]:
            names.add(dep["name"])
            if dep.get("skip_reason"):
                unaudited[dep["name"]] = dep["skip_reason"]
            for vuln in dep.get("vulns", []):
                fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
                vulnerable.append(f"{lock}: {dep['name']}=={dep['version']} {vuln['id']} ({fixes})")
    total = len(names)
    if vulnerable:
        print("Known vulnerabilities in pinned packages:", file=sys.stderr)
        for line in vulnerable:
            print(f"  {line}", file=sys.stderr)
        print(
            "Raise the pin to a fixed version in requirements*.in and recompile the locks "
            "(notes/HELPERS.md), or add the id to IGNORED in scripts/audit_dependencies.py "
            "with the reason it does not apply.",
            file=sys.stderr,
        )
        return 1
    if unaudited:
        message = f"pip-audit could not look up {len(unaudited)} of {total} packages, e.g. " + (
            "; ".join(list(unaudited.values())[:3])
        )
        nothing_audited = len(unaudited) == total
        required = os.environ.get("PIP_AUDIT_REQUIRED") == "true"
        if required or (os.environ.get("CI") == "true" and not nothing_audited):
            print(f"{message}. Every package must be audited here.", file=sys.stderr)
            return 1
        print(f"WARNING: {message}.")
        print("WARNING: dependencies NOT audited (PyPI's vulnerability data is not reachable).")
        return 0
    print(f"pip-audit: no known vulnerabilities in {', '.join(LOCKS)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
