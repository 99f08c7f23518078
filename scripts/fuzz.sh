#!/usr/bin/env bash
# Builds the libFuzzer harnesses of tests/fuzz (clang, ASan + UBSan) in
# build/fuzz and runs each for SECONDS_PER_TARGET seconds (default: an hour in
# all over the 11 targets):
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET]
# LEAKD_FUZZ_PARITY=report makes a new stream-vs-block difference a reported
# line instead of a failure (CI's short runs; the committed seeds are always
# enforced). Known, open differences are listed in tests/fuzz/README.md.
# CI runs `bash scripts/fuzz.sh 5`. The committed seed corpora
# (tests/fuzz/corpus/<target>/) are read, never written: new inputs go to
# build/fuzz/scratch/<target>/, kept between runs. A crash, an invariant that
# fails, a leak, a timeout or running out of memory keeps the input in
# build/fuzz/crashes/ and makes the script exit non-zero (after every target
# has run). Reproduce one with build/fuzz/tests/fuzz/<target>_fuzz <input>.
#
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(commit_event unified_diff gunzip upload_headers upload_streams base64 rules_loader
  stream_block_parity decoded_scan decoded_stream cold_matcher)
seconds=${1:-$((3600 / ${#targets[@]}))}
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "usage: bash scripts/fuzz.sh [SECONDS_PER_TARGET]" >&2
  exit 2
fi

# Largest input per target: enough for the structure each one parses, small
# enough to keep executions fast.
declare -A max_len=(
  [commit_event]=16384 [unified_diff]=8192 [gunzip]=8192 [upload_headers]=1024
  [upload_streams]=8192 [base64]=4096 [rules_loader]=4096 [stream_block_parity]=8192
  [decoded_scan]=8192 [decoded_stream]=8192 [cold_matcher]=1024
)

# The toolchain (clang and its runtime libraries: libFuzzer, sanitizers) is in
# the project's package list.
bash scripts/setup.sh >/dev/null

build=build/fuzz
cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DLEAKD_FUZZ=ON -DBUILD_TESTING=OFF -DLEAKD_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target leakd_fuzzers

# The scanner-based harnesses compile the pattern database once per process
# and cache it in $build/db-cache: warm it outside the timed runs.
"$build/tests/fuzz/upload_streams_fuzz" -runs=0 tests/fuzz/corpus/upload_streams >/dev/null 2>&1 || true

# A libFuzzer final statistic (-print_final_stats=1) from a log.
stat() { sed -n "s/^stat::$2: *//p" "$1" | tail -1; }

mkdir -p "$build/crashes" "$build/logs"
failed=()
# Stream/block parity: every committed seed must agree, enforced, before any
# timed run (LEAKD_FUZZ_PARITY=report only softens what a short run newly finds).
if ! LEAKD_FUZZ_PARITY=enforce "$build/tests/fuzz/stream_block_parity_fuzz" -runs=0 \
  tests/fuzz/corpus/stream_block_parity >"$build/logs/parity-seeds.log" 2>&1; then
  echo "fuzz: a committed stream_block_parity seed fails (log $build/logs/parity-seeds.log)" >&2
  grep -m1 "invariant failed" "$build/logs/parity-seeds.log" >&2 || true
  failed+=("stream_block_parity-seeds")
fi
summary=()
for t in "${targets[@]}"; do
  scratch="$build/scratch/$t"
  log="$build/logs/$t.log"
  mkdir -p "$scratch"
  dict=()
  [ -f "tests/fuzz/dict/$t.dict" ] && dict=(-dict="tests/fuzz/dict/$t.dict")
  echo "== fuzz $t (${seconds}s, max_len ${max_len[$t]})"
  rc=0
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$build/tests/fuzz/${t}_fuzz" -max_total_time="$seconds" -max_len="${max_len[$t]}" \
    -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 "${dict[@]}" \
    -artifact_prefix="$build/crashes/$t-" "$scratch" "tests/fuzz/corpus/$t" >"$log" 2>&1 || rc=$?

  execs=$(stat "$log" number_of_executed_units)
  rate=$(stat "$log" average_exec_per_sec)
  added=$(stat "$log" new_units_added)
  cov=$( (grep -o 'cov: [0-9]*' "$log" || true) | tail -1 | cut -d' ' -f2)
  crashes=$( (grep -o "Test unit written to .*" "$log" || true) | sed 's/Test unit written to //')
  line=$(printf '%-20s executions %-10s exec/s %-7s new inputs %-5s coverage %-6s' \
    "$t" "${execs:-?}" "${rate:-?}" "${added:-?}" "${cov:-?}")
  if [ "$rc" -ne 0 ]; then
    failed+=("$t")
    line+=" FAILED (exit $rc)"
    echo "fuzz $t failed (exit $rc); log $log; input: ${crashes:-none written}" >&2
    grep -m1 -E "invariant failed|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error" "$log" >&2 || true
  else
    line+=" crashes 0"
  fi
  if [ "$t" = stream_block_parity ]; then
    line+=" parity differences reported $( (grep -c "parity difference (reported)" "$log" || true))"
  fi
  echo "$line"
  summary+=("$line")
done

echo "== fuzz summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} (inputs in $build/crashes/, logs in $build/logs/)" >&2
  exit 1
fi
echo "fuzz: all ${#targets[@]} targets ran without a finding"
