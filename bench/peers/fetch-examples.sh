#!/usr/bin/env bash
# Fetches other scanners' own rule examples and writes them as JSON lines
# {"peer","rule","positive","text"} for bench/peers/recall.py and the
# `peer_examples` test:
#   DIR/gitleaks.jsonl    the true and false positives each gitleaks rule is
#                         validated against (gitleaks-examples.sh)
#   DIR/trufflehog.jsonl  the inputs of TruffleHog's detector pattern tests
#                         (trufflehog-examples/, read from the test sources)
#   DIR/kingfisher.jsonl  the examples of Kingfisher's rules, read out of its
#                         release binary (kingfisher-examples.py)
#   DIR/veles.jsonl       the inputs of Google's Veles detector tests
#                         (osv-scalibr/veles/secrets; the same walk as TruffleHog's)
# Go modules from the Go module proxy at pinned versions (needs `go`), the
# wheel from PyPI (kingfisher-bin, pinned by version and sha256). Prints DIR.
# Idempotent: a file already written for these versions is kept.
#
#   bash bench/peers/fetch-examples.sh [DIR]     # DIR: ~/.cache/leakd/peers/examples
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
gitleaks_version=v8.30.1
trufflehog_version=v3.90.0
veles_version=v0.5.3  # github.com/google/osv-scalibr
kingfisher_version=1.112.0
kingfisher_sha256=b4e95a485435d1d11fa4108be5b66038979a7d74b4ae55d5c3fc81248ce19b88
dir=$(realpath -m "${1:-${LEAKD_PEERS_CACHE:-$HOME/.cache/leakd/peers}/examples}")
mkdir -p "$dir"
command -v go >/dev/null || { echo "fetch-examples: no go command" >&2; exit 1; }
export GOTOOLCHAIN=local GOFLAGS=-mod=mod

stamp="$dir/versions"
if [[ $(cat "$stamp" 2>/dev/null) != "$gitleaks_version $trufflehog_version" ]]; then
  # Written aside and moved in whole: a failed run leaves no partial file
  # that the test would read as the peer's examples.
  rm -f "$stamp" "$dir/gitleaks.jsonl" "$dir/trufflehog.jsonl"
  bash "$here/gitleaks-examples.sh" "$dir/gitleaks.jsonl.partial" "$gitleaks_version" >&2
  export GOPATH=${LEAKD_PEERS_CACHE:-$HOME/.cache/leakd/peers}/gopath
  src=$(go mod download -json "github.com/trufflesecurity/trufflehog/v3@$trufflehog_version" |
    sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [[ -d $src/pkg/detectors ]] || { echo "fetch-examples: TruffleHog $trufflehog_version not fetched" >&2; exit 1; }
  (cd "$here/trufflehog-examples" && go run . "$src/pkg/detectors") >"$dir/trufflehog.jsonl.partial"
  mv "$dir/gitleaks.jsonl.partial" "$dir/gitleaks.jsonl"
  mv "$dir/trufflehog.jsonl.partial" "$dir/trufflehog.jsonl"
  echo "$gitleaks_version $trufflehog_version" >"$stamp"
fi

if [[ $(cat "$dir/veles.version" 2>/dev/null) != "$veles_version" ]]; then
  rm -f "$dir/veles.version" "$dir/veles.jsonl"
  export GOPATH=${LEAKD_PEERS_CACHE:-$HOME/.cache/leakd/peers}/gopath
  src=$(go mod download -json "github.com/google/osv-scalibr@$veles_version" |
    sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [[ -d $src/veles/secrets ]] || { echo "fetch-examples: osv-scalibr $veles_version not fetched" >&2; exit 1; }
  (cd "$here/trufflehog-examples" && go run . "$src/veles/secrets" veles) >"$dir/veles.jsonl.partial"
  mv "$dir/veles.jsonl.partial" "$dir/veles.jsonl"
  echo "$veles_version" >"$dir/veles.version"
fi

if [[ $(cat "$dir/kingfisher.version" 2>/dev/null) != "$kingfisher_version" ]]; then
  rm -f "$dir/kingfisher.version" "$dir/kingfisher.jsonl"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  wheel=$(bash "$here/kingfisher-wheel.sh" "$kingfisher_version" "$kingfisher_sha256" "$work")
  python3 "$here/kingfisher-examples.py" "$wheel" >"$dir/kingfisher.jsonl.partial"
  mv "$dir/kingfisher.jsonl.partial" "$dir/kingfisher.jsonl"
  echo "$kingfisher_version" >"$dir/kingfisher.version"
fi
echo "$dir"
