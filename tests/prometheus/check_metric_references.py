#!/usr/bin/env python3
"""Every leakd_* metric the Grafana dashboard and the alerting rules use must be
one leakd exports (daemon/obs/metrics.cpp for `serve`,
daemon/forward/forward_metrics.cpp for `forward`), so that a renamed metric cannot
silently blank a panel or disable an alert. Also checks the dashboard is valid
JSON with a PromQL expression in every panel."""
import json, re, sys, pathlib

root = pathlib.Path(__file__).resolve().parents[2]
exported = set(re.findall(r'\(r, "(leakd_[a-z_]+)"', (root / "daemon/obs/metrics.cpp").read_text()))
assert exported, "no metric names found in metrics.cpp"
forward = set(re.findall(r'\.Name\("(leakd_[a-z_]+)"\)', (root / "daemon/forward/forward_metrics.cpp").read_text()))
assert forward, "no metric names found in forward_metrics.cpp"
exported |= forward
def known(name):
    return name in exported or any(name == base + s for base in exported for s in ("_bucket", "_sum", "_count"))

problems = []
dashboard = json.loads((root / "deploy/grafana/leakd-dashboard.json").read_text())
exprs = []
for panel in dashboard["panels"]:
    targets = panel.get("targets", [])
    if not targets:
        problems.append(f"panel {panel.get('title')!r} has no query")
    exprs += [(f"dashboard panel {panel['title']!r}", t["expr"]) for t in targets]
rules = (root / "deploy/prometheus/leakd-alerts.yaml").read_text()
exprs += [("alerting rules", rules)]
for where, text in exprs:
    for name in re.findall(r"\b(leakd_[a-z_]+)\b", text):
        if not known(name):
            problems.append(f"{where}: unknown metric {name}")
for p in problems:
    print(p)
print(f"{len(exprs) - 1} dashboard queries and the alerting rules checked against {len(exported)} exported metrics")
sys.exit(1 if problems else 0)
