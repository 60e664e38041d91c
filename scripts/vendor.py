"""Copies the front-end files the pages use from frontend/node_modules to frontend/vendor.

The list is frontend/vendor-files.txt: one `source -> target` pair a line, relative to
node_modules and to frontend/vendor/vendor. Everything is served by the platform itself:
no CDN at run time (GDPR, and door scanners must work offline).
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "frontend"


def main() -> int:
    missing = []
    for line in (ROOT / "vendor-files.txt").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        source, target = (part.strip() for part in line.split("->"))
        src = ROOT / "node_modules" / source
        dst = ROOT / "vendor" / "vendor" / target
        if not src.exists():
            missing.append(source)
            continue
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        elif not dst.exists() or dst.stat().st_mtime < src.stat().st_mtime:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    if missing:
        print("Missing front-end files (run npm install in frontend/):", *missing, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
