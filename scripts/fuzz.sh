#!/usr/bin/env bash
# Runs every fuzz target for a short while (FUZZTIME: a duration, or a
# count of executions such as 4000x, which the test command uses).
# The seed corpora (f.Add in each target, plus testdata/fuzz/<Target>/)
# also run as plain tests in `go test ./...`; this script searches for new
# inputs. A failing input is written to testdata/fuzz/<Target>/ of its
# package: commit it with the fix, so it stays a regression test.
#
# Longer runs: FUZZTIME=5m scripts/fuzz.sh, or one target:
#   go test -run='^$' -fuzz='^FuzzDecisionKey$' -fuzztime=30m ./authz
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=go1.27.3 # see scripts/test.sh

fuzztime=${FUZZTIME:-5s}
targets=(
  "FuzzParseID ./ids"
  "FuzzDecisionKey ./authz"
  "FuzzValidateInput ./domain"
  "FuzzValidateEmail ./domain"
  "FuzzVerify ./authn"
)
for t in "${targets[@]}"; do
  set -- $t
  echo "== fuzz $1 ($2, $fuzztime)"
  go test -run='^$' -fuzz="^$1\$" -fuzztime="$fuzztime" ${FUZZ_PARALLEL:+-parallel="$FUZZ_PARALLEL"} "$2"
done
