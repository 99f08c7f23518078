#!/usr/bin/env python3
"""Recall and false reports of leakd on the labelled leaked-config corpus.

Usage: check.py LEAKD_BINARY PATTERNS_DIR CORPUS_DIR

CORPUS_DIR holds positive/<format>/<file> (each file holds at least one
credential of that format) and negative/<format>/<file> (placeholders,
references, defaults, empty values: nothing to report). A positive file counts
as found when leakd reports at least one finding in it; a negative file counts
as reported when leakd reports any finding in it. Prints per-format results
and totals; exits 1 unless recall >= 0.95 and at most 2% of the negative files
are reported, 2 on a usage or run error.
"""
import collections
import json
import os
import subprocess
import sys

MIN_RECALL = 0.95
MAX_NEGATIVE_RATE = 0.02


def corpus_files(root):
    """{format: [path, ...]} for every file under root/<format>/."""
    files = collections.defaultdict(list)
    if not os.path.isdir(root):
        return files
    for fmt in sorted(os.listdir(root)):
        base = os.path.join(root, fmt)
        if not os.path.isdir(base):
            continue
        for dirpath, _, names in os.walk(base):
            for name in names:
                files[fmt].append(os.path.join(dirpath, name))
        files[fmt].sort()
    return files


def scan(leakd, patterns, path):
    """The findings leakd reports in one file (a list of dicts)."""
    proc = subprocess.run(
        [leakd, "scan", "--rules", patterns, "-f", "jsonl", path],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # 0: no findings, 1: findings; anything else is an error.
    if proc.returncode not in (0, 1):
        sys.stderr.write(f"leakd scan {path} exited {proc.returncode}:\n{proc.stderr}")
        sys.exit(2)
    findings = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    return findings


def describe(findings):
    rules = collections.Counter(f.get("rule", "?") for f in findings)
    return ", ".join(f"{rule} x{n}" if n > 1 else rule for rule, n in sorted(rules.items()))


def main(argv):
    if len(argv) != 4:
        sys.stderr.write(__doc__)
        return 2
    leakd, patterns, corpus = argv[1:]
    positives = corpus_files(os.path.join(corpus, "positive"))
    negatives = corpus_files(os.path.join(corpus, "negative"))
    if not positives:
        sys.stderr.write(f"no positive files under {corpus}/positive\n")
        return 2

    found = total_pos = reported = total_neg = 0
    misses, false_reports = [], []
    print(f"{'format':<20} {'found':>9} {'negatives reported':>20}")
    for fmt in sorted(set(positives) | set(negatives)):
        f_found = 0
        for path in positives.get(fmt, []):
            findings = scan(leakd, patterns, path)
            if findings:
                f_found += 1
            else:
                misses.append(path)
        f_reported = 0
        for path in negatives.get(fmt, []):
            findings = scan(leakd, patterns, path)
            if findings:
                f_reported += 1
                false_reports.append((path, describe(findings)))
        n_pos, n_neg = len(positives.get(fmt, [])), len(negatives.get(fmt, []))
        found += f_found
        total_pos += n_pos
        reported += f_reported
        total_neg += n_neg
        print(f"{fmt:<20} {f'{f_found}/{n_pos}':>9} {f'{f_reported}/{n_neg}':>20}")

    recall = found / total_pos
    negative_rate = reported / total_neg if total_neg else 0.0
    print()
    for path in misses:
        print(f"MISS     {os.path.relpath(path, corpus)}")
    for path, rules in false_reports:
        print(f"REPORTED {os.path.relpath(path, corpus)}: {rules}")
    print(f"positives found:    {found}/{total_pos} (recall {recall:.1%}, need >= {MIN_RECALL:.0%})")
    print(f"negatives reported: {reported}/{total_neg} ({negative_rate:.1%}, "
          f"need <= {MAX_NEGATIVE_RATE:.0%})")
    ok = recall >= MIN_RECALL and negative_rate <= MAX_NEGATIVE_RATE
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
