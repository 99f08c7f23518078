#!/usr/bin/env bash
# Which rules cost the Hyperscan pass its throughput, on real text: the first
# MB megabytes of the text blobs of a real git history (psf/requests), scanned
# by the whole block database and by each rule alone (bench/rule_cost.cpp).
# LEAKD_RULE_COST_WITHOUT=id,prefix*,... leaves rules out of the whole database;
# LEAKD_RULE_COST_PATTERN=regex times one pattern alone (to try a rewrite or a
# `prefilter:` before putting it in a rule); LEAKD_RULE_COST_MARGINAL=100 lists
# each rule's cost added to a fixed database of 100 others, which shows a rule
# without a literal to anchor on (README, Rules: keyword_led). It takes minutes.
# Usage: bench/rule_cost.sh [BUILD_DIR] [REPO_TAR] [MB] [TOP]
set -euo pipefail
build=${1:-build/release}
tar=${2:-../shared/bench-repos/requests.git.tar}
mb=${3:-40}
top=${4:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xf "$tar" -C "$work"
repo=$(find "$work" -mindepth 1 -maxdepth 1 -type d | head -1)
bash "$(dirname "$0")/text_blobs.sh" "$repo" "$work/text" >/dev/null
head -c "$((mb * 1000000))" "$work/text" >"$work/slice"
"$build/bench/leakd_rule_cost" "$work/slice" "$top" "$(cd "$(dirname "$0")/.." && pwd)/patterns"
