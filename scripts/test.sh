#!/usr/bin/env bash
# The test command README.md names: makes sure PostgreSQL and Redis run on
# 127.0.0.1 (installing them, and podman for the image test, with apt-get on
# a fresh machine), then runs the whole suite against them. Tests create and drop their own databases.
set -euo pipefail
cd "$(dirname "$0")/.."
# SpiceDB v1.57.1 (expiring relationships without GHSA-w278-32qg-48q5)
# needs a newer Go than Debian's machines start with: the go command
# fetches this toolchain from the module proxy once (~76 MB).
export GOTOOLCHAIN=go1.27.3
# The e2e tests build the static binary the image ships (CGO_ENABLED=0);
# building everything that way shares one build cache between vet, the
# test binaries and that binary (a cgo-enabled run would compile the
# SpiceDB tree twice: minutes on a 2-core machine).
export CGO_ENABLED=0
# This script installs Chromium and npm below, so a browser or bundle test
# that finds them missing fails here instead of skipping (e2e/browser_test.go,
# web/console_test.go skip only outside CI).
export CI=${CI:-1}

need_apt=()
command -v pg_ctlcluster >/dev/null 2>&1 || need_apt+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
# e2e/ops_test.go builds the image's runtime stage (Dockerfile) with it.
command -v podman >/dev/null 2>&1 || need_apt+=(podman)
# The console's browser tests (e2e) drive Debian's Chromium; its bundle
# test (web) rebuilds web/console with npm (Node.js >= 20.19).
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== installing ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

version=$(ls /etc/postgresql | sort -V | tail -n 1)
hba=/etc/postgresql/$version/main/pg_hba.conf
hba_changed=0
# Tests connect as postgres over TCP without a password: trust on loopback.
if ! grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
  sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  hba_changed=1
fi
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "== starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
elif [ "$hba_changed" = 1 ]; then
  pg_ctlcluster --skip-systemctl-redirect "$version" main reload
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "== starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  for _ in $(seq 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
fi

echo "== npm ci (web/console)"
# node_modules for working on the console; the bundle test builds its own copy.
(cd web/console && npm ci --no-audit --no-fund --prefer-offline --loglevel=error)

echo "== go vet"
go vet ./...
echo "== go test"
# gotestsum (a tool dependency in go.mod) runs go test and ends with the
# names of what failed, so the tail of a CI log says which test broke or was
# still running at the timeout, followed by the slowest tests.
results=$(mktemp -t rolegraph-test-XXXXXX.json)
rc=0
go tool gotestsum --format pkgname-and-test-fails --hide-summary=output \
  --jsonfile "$results" -- -count=1 -timeout 40m ./... "$@" || rc=$?
echo "== slowest tests (over 20 s)"
go tool gotestsum tool slowest --jsonfile "$results" --threshold 20s || true
if [ "$rc" != 0 ]; then
  # A timed-out package names the tests it was still running.
  grep -o 'panic: test timed out[^"]*' "$results" | head -n 3 || true
  grep -o '"Output":"\\t\\tTest[^"]*"' "$results" | head -n 20 || true
  exit "$rc"
fi
rm -f "$results"
echo "== fuzz (short CI mode; FUZZTIME=5m scripts/fuzz.sh for a long run)"
# A count, not a duration: a time-boxed run can end with the fuzzing
# engine's own "context deadline exceeded" when the deadline falls while a
# worker is busy (no input at fault, nothing written to testdata), which
# would fail the build on a loaded machine for no reason.
FUZZTIME=${FUZZTIME:-4000x} ./scripts/fuzz.sh
