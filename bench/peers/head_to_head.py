#!/usr/bin/env python3
"""leakd and Kingfisher on the same labelled texts (bench/peers/kingfisher.sh).

Each corpus becomes a tree of files, positive/… and negative/…, in a temporary
directory (so no path says "test" to either scanner), and each scanner scans
the tree once. A file counts when the scanner reports any finding in it: the
same measure for both, and the one tests/leaked_configs/check.py uses. (The
`corpus` unit test is stricter for leakd: there a finding must name the
corpus provider.)

Corpora:
  shared corpus   ../shared/corpus/noseyparker-examples.jsonl, one file a text
  leaked configs  tests/data/leaked-configs, copied as it is
"""
import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile


def write_shared_corpus(jsonl, into):
    counts = collections.Counter()
    with open(jsonl, encoding="utf-8") as lines:
        for line in lines:
            example = json.loads(line)
            label = example["label"]
            index = counts[label]
            counts[label] += 1
            folder = os.path.join(into, label)
            os.makedirs(folder, exist_ok=True)
            name = f"{index:04d}_{example['provider']}.txt"
            with open(os.path.join(folder, name), "w", encoding="utf-8") as out:
                out.write(example["text"])


def labelled_files(tree):
    """{label: set(relative paths)} for tree/positive and tree/negative."""
    files = {}
    for label in ("positive", "negative"):
        found = set()
        for dirpath, _, names in os.walk(os.path.join(tree, label)):
            for name in names:
                found.add(os.path.relpath(os.path.join(dirpath, name), tree))
        files[label] = found
    return files


def leakd_hits(leakd, rules, tree):
    run = subprocess.run([leakd, "scan", "--rules", rules, "-f", "jsonl", "."], cwd=tree,
                         capture_output=True, text=True, check=False)
    if run.returncode not in (0, 1):
        sys.exit(f"leakd failed ({run.returncode}): {run.stderr.strip()}")
    return {os.path.normpath(json.loads(line)["path"]) for line in run.stdout.splitlines()}


def kingfisher_hits(kingfisher, tree, report):
    run = subprocess.run([kingfisher, "scan", ".", "-n", "--no-update-check", "--no-dedup",
                          "-c", "low", "-f", "json", "-o", report, "-q"],
                         cwd=tree, capture_output=True, text=True, check=False)
    if not os.path.exists(report):
        sys.exit(f"kingfisher wrote no report ({run.returncode}): {run.stderr.strip()}")
    with open(report, encoding="utf-8") as f:
        findings = json.load(f).get("findings", [])
    return {os.path.normpath(f["finding"]["path"]) for f in findings}


def row(corpus, scanner, files, hits):
    pos, neg = files["positive"], files["negative"]
    found, flagged = len(pos & hits), len(neg & hits)
    return (f"| {corpus} | {scanner} | {found} of {len(pos)} ({found / len(pos):.1%}) "
            f"| {flagged} of {len(neg)} ({flagged / len(neg):.1%}) |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leakd", required=True)
    parser.add_argument("--rules", required=True)
    parser.add_argument("--kingfisher", required=True)
    parser.add_argument("--shared-corpus", required=True)
    parser.add_argument("--leaked-configs", required=True)
    args = parser.parse_args()

    print("| corpus | scanner | positive files with a finding | negative files with a finding |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as work:
        shared = os.path.join(work, "shared")
        write_shared_corpus(args.shared_corpus, shared)
        configs = os.path.join(work, "configs")
        shutil.copytree(args.leaked_configs, configs)
        for corpus, tree in (("shared corpus", shared), ("leaked configs", configs)):
            files = labelled_files(tree)
            print(row(corpus, "leakd", files, leakd_hits(args.leakd, args.rules, tree)))
            report = os.path.join(work, "kingfisher.json")
            print(row(corpus, "Kingfisher", files, kingfisher_hits(args.kingfisher, tree, report)))
            os.remove(report)


if __name__ == "__main__":
    main()
