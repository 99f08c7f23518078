#!/usr/bin/env python3
"""Fails when a file in daemon/ includes a layer it may not depend on.

The layers and what each may include (besides itself), lowest first:
    common  (nothing)
    rules   common
    scan    common rules
    ingest  common rules scan
    alert   common rules scan
    kafka   common
    obs     common rules scan ingest alert kafka
    history common rules scan ingest alert kafka   (git backfill: scan --git, --publish)
    cli     common rules scan history
    serve   every layer but cli and history
    forward common rules scan alert kafka obs
main.cpp may include anything. serve and forward are two commands side by side:
neither includes the other. The CMake libraries link the same way
(daemon/CMakeLists.txt); this check runs in every build and as a test, so an
upward include fails the build instead of waiting for a reader to notice.
Usage: check_layers.py DAEMON_DIR
"""
import pathlib
import re
import sys

ALLOWED = {
    "common": set(),
    "rules": {"common"},
    "scan": {"common", "rules"},
    "ingest": {"common", "rules", "scan"},
    "alert": {"common", "rules", "scan"},
    "kafka": {"common"},
    "obs": {"common", "rules", "scan", "ingest", "alert", "kafka"},
    "history": {"common", "rules", "scan", "ingest", "alert", "kafka"},
    "cli": {"common", "rules", "scan", "history"},
    "serve": {"common", "rules", "scan", "ingest", "alert", "kafka", "obs"},
    "forward": {"common", "rules", "scan", "alert", "kafka", "obs"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/[^"]+"', re.M)


def main() -> int:
    root = pathlib.Path(sys.argv[1])
    errors = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".h", ".cpp") or path.parent == root:
            continue
        layer = path.relative_to(root).parts[0]
        if layer not in ALLOWED:
            errors.append(f"{path}: folder '{layer}' is not a known layer")
            continue
        for target in INCLUDE.findall(path.read_text(errors="replace")):
            if target != layer and target not in ALLOWED[layer]:
                errors.append(f"{path}: {layer}/ may not include {target}/ (upward or sideways)")
    for e in errors:
        print(e, file=sys.stderr)
    if not errors:
        print("layers ok")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
