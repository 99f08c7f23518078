#!/usr/bin/env python3
"""How much of another scanner's own rule examples leakd finds.

Reads examples as JSON lines {"peer", "rule", "positive", "text"} (made by
bench/peers/*-examples.sh), writes each text to its own file, runs
`leakd scan` once over all of them and prints, per peer: positive texts
found (any finding); of those with the secret the peer wants (TruffleHog's
`want`), how many have a finding on it (its secret inside the wanted string or
the other way round); rules with at least one positive found; and negative
texts reported. `--misses` lists the rules none of whose positives is found.

  python3 bench/peers/recall.py --leakd build/release/daemon/leakd EXAMPLES.jsonl...

With --floor PEER=SHARE (positives found) and --ceiling PEER=SHARE (negatives
reported) it is a test: exit 1 when a peer is below its floor or above its
ceiling, 77 (ctest's skip) when an examples file does not exist.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("examples", nargs="*",
                    help="examples files (default: gitleaks.jsonl, trufflehog.jsonl, kingfisher.jsonl and veles.jsonl in "
                         "$LEAKD_PEER_EXAMPLES or ~/.cache/leakd/peers/examples)")
    ap.add_argument("--leakd", default="build/release/daemon/leakd")
    ap.add_argument("--rules", default=None)
    ap.add_argument("--misses", action="store_true", help="list the rules with no positive found")
    ap.add_argument("--floor", action="append", default=[], metavar="PEER=SHARE",
                    help="fail when fewer of PEER's positives are found")
    ap.add_argument("--ceiling", action="append", default=[], metavar="PEER=SHARE",
                    help="fail when more of PEER's negatives are reported")
    args = ap.parse_args()
    floors = {k: float(v) for k, v in (f.split("=") for f in args.floor)}
    ceilings = {k: float(v) for k, v in (f.split("=") for f in args.ceiling)}
    if not args.examples:
        default = os.environ.get("LEAKD_PEER_EXAMPLES") or os.path.expanduser("~/.cache/leakd/peers/examples")
        args.examples = [os.path.join(default, f"{peer}.jsonl") for peer in ("gitleaks", "trufflehog", "kingfisher", "veles")]
    missing = [p for p in args.examples if not os.path.exists(p)]
    if missing:
        print(f"no examples at {', '.join(missing)}: run bench/peers/fetch-examples.sh")
        sys.exit(77)

    examples = []
    for path in args.examples:
        with open(path) as f:
            examples += [json.loads(line) for line in f if line.strip()]

    with tempfile.TemporaryDirectory(prefix="leakd-peer-") as tmp:
        # Files named by index only: no "test" or "example" in the path, so the
        # path alone never marks a finding as a fixture.
        root = os.path.join(tmp, "src")
        os.mkdir(root)
        for i, ex in enumerate(examples):
            with open(os.path.join(root, f"{i}.txt"), "w", encoding="utf-8", errors="surrogateescape") as f:
                f.write(ex["text"])
        # --reveal: the examples' made-up values, compared with the wanted
        # secrets below; the output stays in this temporary directory.
        cmd = [args.leakd, "scan", "--reveal", "-f", "jsonl", "-o", os.path.join(tmp, "out.jsonl"), root]
        if args.rules:
            cmd += ["--rules", args.rules]
        rc = subprocess.run(cmd, stdout=subprocess.DEVNULL).returncode
        if rc not in (0, 1):
            sys.exit(f"leakd scan exited {rc}")
        found = collections.defaultdict(list)
        with open(os.path.join(tmp, "out.jsonl")) as f:
            for line in f:
                finding = json.loads(line)
                index = int(os.path.basename(finding["path"]).split(".")[0])
                found[index].append(finding)

    by_peer = collections.defaultdict(lambda: {"pos": 0, "pos_found": 0, "neg": 0, "neg_found": 0,
                                               "fixture_only": 0, "wanted": 0, "wanted_found": 0, "rules": collections.defaultdict(lambda: [0, 0])})
    for i, ex in enumerate(examples):
        p = by_peer[ex["peer"]]
        hits = found.get(i, [])
        if ex["positive"]:
            p["pos"] += 1
            p["rules"][ex["rule"]][0] += 1
            if hits:
                p["pos_found"] += 1
                p["rules"][ex["rule"]][1] += 1
                if all(h.get("fixture") for h in hits):
                    p["fixture_only"] += 1
            wanted = ex.get("secrets") or []
            if wanted:
                p["wanted"] += 1
                p["wanted_found"] += any(h["secret"] in w or w in h["secret"] for h in hits for w in wanted)
        else:
            p["neg"] += 1
            p["neg_found"] += bool(hits)

    failed = False
    for peer, p in sorted(by_peer.items()):
        rules = p["rules"]
        rules_found = sum(1 for n, k in rules.values() if k)
        print(f"{peer}: positives found {p['pos_found']} of {p['pos']} ({100.0 * p['pos_found'] / max(1, p['pos']):.1f}%), "
              f"{p['fixture_only']} of them only as fixtures; "
              + (f"with the wanted secret reported {p['wanted_found']} of {p['wanted']}; " if p["wanted"] else "")
              + f"rules with a positive found {rules_found} of {len(rules)} ({100.0 * rules_found / max(1, len(rules)):.1f}%); "
              f"negatives reported {p['neg_found']} of {p['neg']}")
        found_share = p["pos_found"] / max(1, p["pos"])
        reported_share = p["neg_found"] / max(1, p["neg"])
        if found_share < floors.get(peer, 0.0):
            print(f"FAIL: {peer} positives found {found_share:.3f} < floor {floors[peer]}")
            failed = True
        if reported_share > ceilings.get(peer, 1.0):
            print(f"FAIL: {peer} negatives reported {reported_share:.3f} > ceiling {ceilings[peer]}")
            failed = True
        if args.misses:
            for rule, (n, k) in sorted(rules.items()):
                if not k:
                    print(f"  missed: {rule} ({n} texts)")
    for peer in set(floors) | set(ceilings):
        if peer not in by_peer:
            print(f"FAIL: no examples of {peer}")
            failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
