#!/usr/bin/env python3
"""Runs shard I of N of a Catch2 test binary: its test cases number k, k+N, …

Why: the daemon's process tests (daemon_mock, daemon_faults, forward_e2e) spend
their time waiting on brokers, restarts and deadlines, not computing: 180 s of
wall clock for 17 s of CPU. Split into shards, ctest runs them side by side
(tests/CMakeLists.txt, leakd_sharded_test). Catch2 2.13 has no sharding of its
own, and catch_discover_tests splits names at the semicolons ours contain.

Usage: catch_shard.py BINARY I N [catch arguments...]
The selected names go to Catch2 through --input-file, escaped, and the shard
fails when Catch2 would run a different number of cases than selected (a name
that no longer matches must not pass silently).
"""
import os
import subprocess
import sys
import tempfile

# Characters Catch2's test-spec parser treats specially; a backslash makes them literal.
SPECIAL = set('\\,[]"~*')


def escaped(name):
    return "".join("\\" + c if c in SPECIAL else c for c in name)


def listed(binary, extra):
    # --list-test-names-only exits with the number of tests, not 0.
    out = subprocess.run([binary, "--list-test-names-only", *extra],
                         stdout=subprocess.PIPE, text=True, check=False).stdout
    return [line for line in out.splitlines() if line.strip()]


def main():
    binary, index, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    if not 1 <= index <= count:
        sys.exit(f"catch_shard: shard {index} of {count} does not exist")
    names = listed(binary, [])[index - 1::count]
    if not names:
        sys.exit(f"catch_shard: shard {index} of {count} of {binary} holds no test case")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as spec:
        spec.write("".join(escaped(n) + "\n" for n in names))
    try:
        matched = listed(binary, ["--input-file", spec.name])
        if matched != names:
            sys.exit(f"catch_shard: the spec matched {len(matched)} cases, "
                     f"not the {len(names)} selected: {sorted(set(names) ^ set(matched))}")
        sys.stdout.flush()
        return subprocess.run([binary, "--input-file", spec.name, *sys.argv[4:]]).returncode
    finally:
        os.unlink(spec.name)


if __name__ == "__main__":
    sys.exit(main())
