#!/usr/bin/env python3
"""Count table for the precision corpus: findings per 100 MB by confidence tier, fixture split,
per rule, and the false-positive share per tier from the reviewed labels.

Every checksum/format/context/hash finding is to be reviewed; of the generic ones, two samples of
about 100 (findings, and distinct values). A finding or value is in a sample by a hash of itself, not by
its rank among the others, so a filter change that adds or removes some findings leaves the rest
of the samples as they were (a seeded draw redrew them all, and every redraw cost a labelling
round). `--todo` prints the findings of the review set that have no label yet (redacted only).
"""
import argparse
import collections
import hashlib
import json
import os
import sys

TIERS = ["checksum", "format", "context", "hash", "generic", "identifier"]
# Shares that give about 100 of each on the corpus of 2026-11-27 (1,488 generic findings,
# 344 distinct values); fixed, so a sample grows and shrinks with what it samples.
FINDING_SHARE = 0.067
VALUE_SHARE = 0.29


def corpus_bytes(root):
    total = text = 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        for name in filenames:
            path = os.path.join(dirpath, name)
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            size = os.path.getsize(path)
            total += size
            with open(path, "rb") as f:
                if b"\0" not in f.read(8000):
                    text += size
    return total, text


def key(f):
    return (f["rule"], f["path"].removeprefix("./"), int(f["line"]), f["fingerprint"][:16])


def load_labels(path):
    labels = {}
    if not os.path.exists(path):
        return labels
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip() or line.startswith("#"):
                continue
            fp16, rule, fpath, lineno, verdict, *note = line.rstrip("\n").split("\t")
            assert verdict in ("tp", "fp"), line
            labels[(rule, fpath, int(lineno), fp16)] = (verdict, note[0] if note else "")
    return labels


def in_sample(label, share):
    digest = hashlib.sha256(label.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") < share * 2**64


def generic_samples(findings):
    """The two samples of the generic findings: findings, and distinct values (the first finding
    of each fingerprint), since one documentation value repeated in many files weighs on the
    first. Membership is a hash of the finding's key or of the value's fingerprint."""
    generic = sorted((f for f in findings if f["confidence"] == "generic"), key=key)
    by_finding = [f for f in generic if in_sample("finding|" + "|".join(map(str, key(f))), FINDING_SHARE)]
    first = {}
    for f in generic:
        first.setdefault(f["fingerprint"], f)
    by_value = sorted((f for fp, f in first.items() if in_sample("value|" + fp, VALUE_SHARE)), key=key)
    return by_finding, by_value


def review_set(findings):
    reviewed = [f for f in findings if f["confidence"] != "generic"]
    by_finding, by_value = generic_samples(findings)
    seen = set()
    out = []
    for f in reviewed + by_finding + by_value:
        if key(f) not in seen:
            seen.add(key(f))
            out.append(f)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--findings", required=True)
    ap.add_argument("--labels", required=True)
    ap.add_argument("--todo", action="store_true")
    args = ap.parse_args()
    with open(args.findings, encoding="utf-8") as fh:
        findings = [json.loads(line) for line in fh if line.strip()]
    labels = load_labels(args.labels)
    review = review_set(findings)
    if args.todo:
        for f in review:
            if key(f) not in labels:
                print("\t".join([f["fingerprint"][:16], f["rule"], key(f)[1], str(f["line"]),
                                 f["confidence"], "fixture" if f.get("fixture") else "-",
                                 f["redacted"]]))
        return
    total, text = corpus_bytes(args.corpus)
    mb = text / 1e6
    by_tier = collections.Counter(f["confidence"] for f in findings)
    fixture = collections.Counter(f["confidence"] for f in findings if f.get("fixture"))
    verdicts = collections.defaultdict(collections.Counter)
    rule_verdicts = collections.defaultdict(collections.Counter)
    by_finding, by_value = generic_samples(findings)
    for f in [f for f in findings if f["confidence"] != "generic"] + by_finding:
        v = labels.get(key(f), ("unlabelled", ""))[0]
        verdicts[f["confidence"]][v] += 1
        rule_verdicts[f["rule"]][v] += 1
    for f in by_value:
        verdicts["generic, distinct values"][labels.get(key(f), ("unlabelled", ""))[0]] += 1
    distinct_generic = len({f["fingerprint"] for f in findings if f["confidence"] == "generic"})
    out = sys.stdout
    out.write(f"Corpus: {total / 1e6:.0f} MB unpacked, {mb:.0f} MB of text files scanned; "
              f"{len(findings)} findings.\n\n")
    out.write("| tier | findings | per 100 MB | of them fixture | reviewed | false positives | FP share |\n")
    out.write("|---|---:|---:|---:|---:|---:|---:|\n")
    for t in TIERS:
        n = by_tier.get(t, 0)
        v = verdicts[t]
        done = v["tp"] + v["fp"]
        share = f"{100 * v['fp'] / done:.1f}%" if done else "–"
        extra = f" ({v['unlabelled']} unlabelled)" if v["unlabelled"] else ""
        out.write(f"| {t} | {n} | {100 * n / mb:.1f} | {fixture.get(t, 0)} | {done}{extra} | "
                  f"{v['fp']} | {share} |\n")
    v = verdicts["generic, distinct values"]
    done = v["tp"] + v["fp"]
    share = f"{100 * v['fp'] / done:.1f}%" if done else "–"
    extra = f" ({v['unlabelled']} unlabelled)" if v["unlabelled"] else ""
    out.write(f"| generic, distinct values | {distinct_generic} | {100 * distinct_generic / mb:.1f} | "
              f"– | {done}{extra} | {v['fp']} | {share} |\n")
    out.write("\nPer rule (findings; reviewed: true / false positive):\n\n")
    out.write("| rule | tier | findings | fixture | reviewed tp | reviewed fp |\n|---|---|---:|---:|---:|---:|\n")
    per_rule = collections.Counter(f["rule"] for f in findings)
    rule_tier = {f["rule"]: f["confidence"] for f in findings}
    rule_fixture = collections.Counter(f["rule"] for f in findings if f.get("fixture"))
    for rule, n in sorted(per_rule.items(), key=lambda kv: (TIERS.index(rule_tier[kv[0]]), -kv[1], kv[0])):
        v = rule_verdicts[rule]
        out.write(f"| {rule} | {rule_tier[rule]} | {n} | {rule_fixture[rule]} | {v['tp']} | {v['fp']} |\n")


if __name__ == "__main__":
    main()
