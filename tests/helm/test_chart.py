#!/usr/bin/env python3
"""The Helm chart as a platform team installs it: helm lint --strict, helm
template with the defaults and with production-values.yaml, assertions on the
security context, probes, grace period and rendered config, yamllint on the
output, and the rendered config and rules loaded by `leakd serve --check-config`;
with forward-values.yaml, the forwarder's Deployment, Service and NetworkPolicy,
its keys from Secrets, and its rendered config loaded by `leakd forward --check-config`.
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

# The daemon's alerts as tested by promtool (the group the chart always ships).
tested_alerts = [r["alert"] for g in yaml.safe_load((root / "deploy/prometheus/leakd-alerts.yaml").read_text())["groups"]
                 if g["name"] == "leakd" for r in g["rules"]]

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
    volumes = {v["name"]: v for v in pod["volumes"]}
    state_mount = [m for m in container["volumeMounts"] if m["mountPath"] == config.get("state_dir")]
    check(len(state_mount) == 1 and "emptyDir" in volumes[state_mount[0]["name"]],
          f"{name}: state_dir on an emptyDir, which outlives a container restart (poison-message guard)")
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
        check(len(rule) == 1 and [g["name"] for g in rule[0]["spec"]["groups"]] == ["leakd"]
              and [r["alert"] for r in rule[0]["spec"]["groups"][0]["rules"]] == tested_alerts,
              f"production: PrometheusRule with the {len(tested_alerts)} tested alerts, none of the forwarder's")
        hpa = by_kind(docs, "HorizontalPodAutoscaler")
        check(len(hpa) == 1 and hpa[0]["spec"]["metrics"][0]["type"] == "External", "production: HPA on consumer lag")
        check("replicas" not in deployment["spec"], "production: the HPA owns the replica count")

# The forwarder: off by default, a Deployment of its own when enabled.
def forward_objects(docs):
    return [d for d in docs if d["metadata"]["name"].endswith("-forward")]

_, default_docs = render()
check(not forward_objects(default_docs), "defaults: no forwarder objects")
forward_values = here / "forward-values.yaml"
out = run(helm, "lint", "--strict", str(chart), "-f", str(forward_values))
check(out.returncode == 0, "helm lint --strict forward-values.yaml")
text, docs = render(forward_values)
fwd = [d for d in forward_objects(docs) if d["kind"] == "Deployment"]
check(len(fwd) == 1, "forward: one forwarder Deployment")
serve_deployment = [d for d in by_kind(docs, "Deployment") if d not in fwd][0]
pod = fwd[0]["spec"]["template"]["spec"]
container = pod["containers"][0]
check(container["args"][:1] == ["forward"], "forward: runs `leakd forward`")
check(fwd[0]["spec"]["replicas"] == 2, "forward: replica count from forward.replicaCount")
psc, csc = pod["securityContext"], container["securityContext"]
check(psc["runAsNonRoot"] is True and psc["seccompProfile"]["type"] == "RuntimeDefault", "forward: non-root, seccomp")
check(csc["readOnlyRootFilesystem"] is True and csc["capabilities"]["drop"] == ["ALL"]
      and csc["allowPrivilegeEscalation"] is False, "forward: read-only root, no capabilities")
check(container["livenessProbe"]["httpGet"]["path"] == "/healthz"
      and container["readinessProbe"]["httpGet"]["path"] == "/readyz", "forward: probes")
fwd_labels = fwd[0]["spec"]["selector"]["matchLabels"]
serve_labels = serve_deployment["spec"]["selector"]["matchLabels"]
check(fwd_labels != serve_labels and not set(serve_labels.items()) <= set(
      fwd[0]["spec"]["template"]["metadata"]["labels"].items()),
      "forward: its pods are not selected by the scanner's Deployment/Service")
volumes = {v["name"]: v for v in pod["volumes"]}
check(volumes["signing-key"]["secret"]["secretName"] == "leakd-forward-signing", "forward: signing key from its Secret")
check(volumes["seal-key"]["secret"]["secretName"] == "leakd-seal", "forward: seal key from its Secret")
check(volumes["ca-bundle"]["secret"]["secretName"] == "leakd-endpoints-ca", "forward: endpoint CA from its Secret")
env = {e["name"]: e for e in container["env"]}
check(env["LEAKD_KAFKA_SASL_PASSWORD"]["valueFrom"]["secretKeyRef"]["name"] == "leakd-kafka-credentials",
      "forward: SASL password from a Secret reference")
fconf_text = [d for d in forward_objects(docs) if d["kind"] == "ConfigMap"][0]["data"]["forward.yaml"]
fconf = yaml.safe_load(fconf_text)
check(pod["terminationGracePeriodSeconds"] > int(fconf["shutdown_deadline_ms"]) / 1000, "forward: grace period > drain deadline")
check([r["providers"] for r in fconf["routes"]] == [["github", "huggingface"], ["*"]]
      and fconf["routes"][0]["batch_delay_ms"] == 0, "forward: routes rendered")
check(fconf["signing_key"].startswith("/etc/leakd/forward/signing/") and fconf["ca_file"].startswith("/etc/leakd/forward/ca/"),
      "forward: key and CA paths point at the mounted Secrets")
services = [d for d in forward_objects(docs) if d["kind"] == "Service"]
check(len(services) == 1 and services[0]["spec"]["ports"][0]["port"] == 9465 and fconf["metrics_address"] == "0.0.0.0:9465",
      "forward: a Service for /meta/public_keys and /metrics")
monitor = by_kind(docs, "ServiceMonitor")
check(len(monitor) == 1 and [(e["port"], e["path"]) for e in monitor[0]["spec"]["endpoints"]]
      == [("metrics", "/metrics"), ("http", "/metrics")]
      and set(monitor[0]["spec"]["selector"]["matchLabels"].items()) <= set(services[0]["metadata"]["labels"].items())
      and services[0]["spec"]["ports"][0]["name"] == "http",
      "forward: the ServiceMonitor scrapes the forwarder's /metrics too")
rule = by_kind(docs, "PrometheusRule")
check(len(rule) == 1 and [g["name"] for g in rule[0]["spec"]["groups"]] == ["leakd", "leakd-forward"],
      "forward: the PrometheusRule carries the forwarder's tested alerts")
policies = [d for d in forward_objects(docs) if d["kind"] == "NetworkPolicy"]
egress_ports = {p["port"] for rule in policies[0]["spec"]["egress"] for p in rule["ports"]} if policies else set()
check({443, 8443, 9092, 53} <= egress_ports, "forward: NetworkPolicy lets it reach Kafka, DNS and the endpoints")
with tempfile.TemporaryDirectory() as tmp:
    import base64
    key_path = pathlib.Path(tmp, "forward-key.pem")
    # An EC P-256 key made now, by the `cryptography` package of whichever
    # Python has it (Debian's python3-cryptography, scripts/setup.sh).
    make_key = ("import sys\nfrom cryptography.hazmat.primitives import serialization as s\n"
                "from cryptography.hazmat.primitives.asymmetric import ec\n"
                "k = ec.generate_private_key(ec.SECP256R1())\n"
                "open(sys.argv[1], 'wb').write(k.private_bytes(s.Encoding.PEM, s.PrivateFormat.PKCS8, s.NoEncryption()))\n")
    for python in (sys.executable, "/usr/bin/python3"):
        if run(python, "-c", make_key, str(key_path)).returncode == 0:
            break
    check(key_path.exists(), "forward: a signing key made with cryptography")
    seal_path = pathlib.Path(tmp, "seal.key")
    seal_path.write_text(base64.b64encode(os.urandom(32)).decode() + "\n")
    conf = pathlib.Path(tmp, "forward.yaml")
    conf.write_text(fconf_text)
    out = run(leakd, "forward", "--check-config", "--config", str(conf), "--set", f"signing_key={key_path}",
              "--set", f"secret_key_file={seal_path}", "--set", "ca_file=")  # the CA Secret is not here
    check(out.returncode == 0, f"forward: rendered config loads in leakd forward ({(out.stdout + out.stderr).strip()[-200:]})")
    lint_file = pathlib.Path(tmp, "rendered.yaml")
    lint_file.write_text(text)
    out = run("yamllint", "--strict", "-c", str(here / "yamllint.yaml"), str(lint_file))
    check(out.returncode == 0, f"forward: yamllint on the rendered manifests {out.stdout.strip()[-300:]}")
for bad, what in ((["--set", "forward.enabled=true"], "forward.routes"),
                  (["--set", "forward.enabled=true", "--set", "forward.routes[0].url=https://x.example/",
                    "--set", "forward.routes[0].providers[0]=github"], "forward.signingKey.existingSecret"),
                  (["-f", str(forward_values), "--set", "forward.routes[0].url=ftp://x"], "url")):
    out = run(helm, "template", "leakd", str(chart), *bad)
    check(out.returncode != 0 and what in out.stderr, f"values.schema.json rejects {' '.join(bad[1:])}")

# values.schema.json refuses what leakd would refuse anyway, before anything is deployed.
for bad, what in ((["--set", "replicaCount=two"], "replicaCount"), (["--set", "config.token_mode=sealed-later"], "token_mode"), (["--set", "config.token_mode=sealed"], "seal_public_key"),
                  (["--set", "kafka.brokers="], "brokers")):
    out = run(helm, "template", "leakd", str(chart), *bad)
    check(out.returncode != 0 and what in out.stderr, f"values.schema.json rejects {' '.join(bad[1:])}")

print(f"{len(failures)} failed")
sys.exit(1 if failures else 0)
