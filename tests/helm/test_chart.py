#!/usr/bin/env python3
"""The Helm chart as a platform team installs it: helm lint --strict, helm
template with the defaults and with production-values.yaml, assertions on the
security context, probes, grace period and rendered config, yamllint on the
output, and the rendered config and rules loaded by `leakd serve --check-config`.
Exit 77 (skipped) when helm is not installed (scripts/fetch-helm.sh)."""
import os, pathlib, subprocess, sys, tempfile
import yaml

here = pathlib.Path(__file__).resolve().parent
root = here.parents[1]
chart = root / "deploy/helm/leakd"
helm = os.environ.get("LEAKD_TEST_HELM") or str(pathlib.Path.home() / ".cache/leakd/helm/helm")
leakd = sys.argv[1] if len(sys.argv) > 1 else str(root / "build/release/daemon/leakd")
if not os.access(helm, os.X_OK):
    print(f"helm not found at {helm} (scripts/fetch-helm.sh): skipped")
    sys.exit(77)

failures = []
def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)

def run(*args):
    return subprocess.run(args, capture_output=True, text=True)

def render(values=None):
    args = [helm, "template", "leakd", str(chart), "--namespace", "security"]
    if values:
        args += ["-f", str(values)]
    out = run(*args)
    check(out.returncode == 0, f"helm template {values.name if values else 'defaults'}: {out.stderr.strip()[-300:]}")
    return out.stdout, [d for d in yaml.safe_load_all(out.stdout) if d]

def by_kind(docs, kind):
    return [d for d in docs if d["kind"] == kind]

prod = here / "production-values.yaml"
for values in (None, prod):
    args = [helm, "lint", "--strict", str(chart)] + (["-f", str(values)] if values else [])
    out = run(*args)
    check(out.returncode == 0, f"helm lint --strict {values.name if values else 'defaults'}")

for values in (None, prod):
    text, docs = render(values)
    name = values.name if values else "defaults"
    deployment = by_kind(docs, "Deployment")[0]
    pod = deployment["spec"]["template"]["spec"]
    container = pod["containers"][0]
    psc, csc = pod["securityContext"], container["securityContext"]
    check(psc["runAsNonRoot"] is True and psc["runAsUser"] != 0, f"{name}: runs as non-root")
    check(psc["seccompProfile"]["type"] == "RuntimeDefault", f"{name}: seccomp RuntimeDefault")
    check(csc["readOnlyRootFilesystem"] is True, f"{name}: read-only root filesystem")
    check(csc["allowPrivilegeEscalation"] is False, f"{name}: no privilege escalation")
    check(csc["capabilities"]["drop"] == ["ALL"], f"{name}: all capabilities dropped")
    check(container["livenessProbe"]["httpGet"]["path"] == "/healthz", f"{name}: liveness on /healthz")
    check(container["readinessProbe"]["httpGet"]["path"] == "/readyz", f"{name}: readiness on /readyz")
    check("requests" in container["resources"] and "limits" in container["resources"], f"{name}: requests and limits")
    config = yaml.safe_load(by_kind(docs, "ConfigMap")[0]["data"]["leakd.yaml"])
    deadline_s = int(config["shutdown_deadline_ms"]) / 1000
    check(pod["terminationGracePeriodSeconds"] > deadline_s, f"{name}: grace period {pod['terminationGracePeriodSeconds']}s > drain deadline {deadline_s}s")
    mounts = {m["mountPath"] for m in container["volumeMounts"]}
    check("/var/cache/leakd" in mounts and config["cache_dir"] == "/var/cache/leakd", f"{name}: writable cache volume for the compiled database")
    for kind in ("Service", "ServiceAccount", "PodDisruptionBudget", "NetworkPolicy"):
        check(len(by_kind(docs, kind)) == 1, f"{name}: one {kind}")

    # The rendered config and rules must load in leakd itself.
    with tempfile.TemporaryDirectory() as tmp:
        rules_dir = pathlib.Path(tmp, "rules")
        rules_dir.mkdir()
        for key, content in by_kind(docs, "ConfigMap")[1]["data"].items():
            (rules_dir / key).write_text(content)
        conf = pathlib.Path(tmp, "leakd.yaml")
        conf.write_text(by_kind(docs, "ConfigMap")[0]["data"]["leakd.yaml"])
        out = run(leakd, "serve", "--check-config", "--config", str(conf), "--set", f"rules={rules_dir}",
                  "--set", f"cache_dir={tmp}/cache")
        check(out.returncode == 0, f"{name}: rendered config and rules load in leakd ({(out.stdout + out.stderr).strip()[-200:]})")
        lint_file = pathlib.Path(tmp, "rendered.yaml")
        lint_file.write_text(text)
        out = run("yamllint", "--strict", "-c", str(here / "yamllint.yaml"), str(lint_file))
        check(out.returncode == 0, f"{name}: yamllint on the rendered manifests {out.stdout.strip()[-300:]}")

    if values is None:
        check(config["brokers"] == "kafka:9092", "defaults: brokers in the rendered config")
        check(not by_kind(docs, "ServiceMonitor") and not by_kind(docs, "PrometheusRule") and not by_kind(docs, "HorizontalPodAutoscaler"),
              "defaults: optional objects off")
    else:
        env = {e["name"]: e for e in container["env"]}
        check(env["LEAKD_KAFKA_SASL_PASSWORD"]["valueFrom"]["secretKeyRef"]["name"] == "leakd-kafka-credentials",
              "production: SASL password from a Secret reference")
        check(env["LEAKD_KAFKA_SSL_CA_LOCATION"]["value"].startswith("/etc/leakd/tls/"), "production: TLS CA mounted from a Secret")
        check(config["kafka"]["security.protocol"] == "SASL_SSL" and config["token_mode"] == "omit", "production: rendered config carries kafka properties and settings")
        check("extra-acme.yaml" in by_kind(docs, "ConfigMap")[1]["data"], "production: the user's rule is in the rules ConfigMap")
        check(len(by_kind(docs, "ServiceMonitor")) == 1, "production: ServiceMonitor")
        rule = by_kind(docs, "PrometheusRule")
        check(len(rule) == 1 and len(rule[0]["spec"]["groups"][0]["rules"]) == 7, "production: PrometheusRule with the 7 tested alerts")
        hpa = by_kind(docs, "HorizontalPodAutoscaler")
        check(len(hpa) == 1 and hpa[0]["spec"]["metrics"][0]["type"] == "External", "production: HPA on consumer lag")
        check("replicas" not in deployment["spec"], "production: the HPA owns the replica count")

# values.schema.json refuses what leakd would refuse anyway, before anything is deployed.
for bad, what in ((["--set", "replicaCount=two"], "replicaCount"), (["--set", "config.token_mode=sealed-later"], "token_mode"), (["--set", "config.token_mode=sealed"], "seal_public_key"),
                  (["--set", "kafka.brokers="], "brokers")):
    out = run(helm, "template", "leakd", str(chart), *bad)
    check(out.returncode != 0 and what in out.stderr, f"values.schema.json rejects {' '.join(bad[1:])}")

print(f"{len(failures)} failed")
sys.exit(1 if failures else 0)
