#!/usr/bin/env bash
# Writes gitleaks' own rule examples as JSON lines {"peer","rule","positive","text"}:
# the true and false positives each gitleaks rule is validated against when
# gitleaks generates its config (cmd/generate/config). The module comes from
# the Go module proxy at a pinned version; a copy of it gets a Validate that
# records its arguments, then the generator runs. Tooling only: nothing here
# is built into leakd.
#
#   bash bench/peers/gitleaks-examples.sh OUT.jsonl [VERSION]
set -euo pipefail
out=$(realpath -m "${1:?usage: gitleaks-examples.sh OUT.jsonl [VERSION]}")
version=${2:-v8.30.1}
work=${LEAKD_PEERS_CACHE:-$HOME/.cache/leakd/peers}/gitleaks-$version
export GOPATH=$work/gopath GOFLAGS=-mod=mod GOTOOLCHAIN=local
mkdir -p "$work"
dir=$(go mod download -json "github.com/zricethezav/gitleaks/v8@$version" |
  sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
rm -rf "$work/src" && cp -r "$dir" "$work/src" && chmod -R u+w "$work/src"
cd "$work/src"
# Record, then validate as before.
cat > cmd/generate/config/utils/record.go <<'GO'
package utils

import (
	"encoding/json"
	"os"
)

func record(rule string, positive bool, text string) {
	path := os.Getenv("LEAKD_GITLEAKS_RECORD")
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	line, _ := json.Marshal(map[string]any{"peer": "gitleaks", "rule": rule, "positive": positive, "text": text})
	_, _ = f.Write(append(line, '\n'))
}
GO
python3 - cmd/generate/config/utils/validate.go <<'PY'
import re, sys
path = sys.argv[1]
src = open(path).read()
hook = ('\tfor _, tp := range truePositives {\n\t\trecord(rule.RuleID, true, tp)\n\t}\n'
        '\tfor _, fp := range falsePositives {\n\t\trecord(rule.RuleID, false, fp)\n\t}\n')
src = src.replace('func Validate(rule config.Rule, truePositives []string, falsePositives []string) *config.Rule {\n',
                  'func Validate(rule config.Rule, truePositives []string, falsePositives []string) *config.Rule {\n' + hook, 1)
src = src.replace('func ValidateWithPaths(rule config.Rule, truePositives map[string]string, falsePositives map[string]string) *config.Rule {\n',
                  'func ValidateWithPaths(rule config.Rule, truePositives map[string]string, falsePositives map[string]string) *config.Rule {\n' + hook, 1)
assert src.count('record(rule.RuleID') == 4, 'gitleaks changed: Validate not found'
open(path, 'w').write(src)
PY
# The same examples on every run: each generated secret from its own seed.
python3 - cmd/generate/secrets/regen.go <<'PY2'
import sys
path = sys.argv[1]
src = open(path).read()
old = "\treturn g.Generate(1)\n"
assert old in src, 'gitleaks changed: NewSecret not found'
src = src.replace(old, "\tseed++\n\tg.SetSeed(seed)\n" + old, 1) + "\nvar seed int64\n"
open(path, 'w').write(src)
PY2
rm -f "$out"
(cd cmd/generate/config && LEAKD_GITLEAKS_RECORD=$out go run . "$work/gitleaks.toml" >/dev/null)
# Go map order varies between runs; sorted, the file is the same every time.
LC_ALL=C sort -o "$out" "$out"
echo "$(grep -c '"positive":true' "$out") positive and $(grep -c '"positive":false' "$out") negative gitleaks examples in $out" >&2
