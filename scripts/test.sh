#!/usr/bin/env bash
# Runs the whole test suite on both engines: starts a throwaway PostgreSQL (installing it, and Node
# for the worker-process test, from apt when missing), points the tests at it through SPECTRAL_TEST_PG, builds with warnings as errors,
# and runs every test. Prints "N passed, N failed[, N skipped]" last.
set -euo pipefail
cd "$(dirname "$0")/.."
export CI="${CI:-true}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# The HTTP worker test runs examples/workers/http-worker.mjs as a real worker process.
if ! command -v node >/dev/null 2>&1; then
  { apt-get update -qq && apt-get install -y -qq nodejs; } >&2
fi

if [ -z "${SPECTRAL_TEST_PG:-}" ]; then
  SPECTRAL_TEST_PG="$(PG_FAST=1 PGROOT=/tmp/spectral-pg-test PGPORT=55433 PGDB=spectral_test ./scripts/pg-start.sh)"
  export SPECTRAL_TEST_PG
fi
echo "PostgreSQL for tests: $SPECTRAL_TEST_PG"

if ! dotnet build SpectralNotify.slnx -c Release -warnaserror -nologo -v q; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

results="$(mktemp -d)"
set +e
dotnet test tests/SpectralNotify.Tests -c Release --no-build --logger "trx;LogFileName=results.trx" \
  --results-directory "$results" -- RunConfiguration.TestSessionTimeout=3600000
status=$?
set -e

trx="$results/results.trx"
if [ -f "$trx" ]; then
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
  get() { echo "$counters" | grep -o "$1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  passed="$(get passed)"; failed="$(get failed)"; total="$(get total)"; executed="$(get executed)"
  skipped=$((total - executed))
  line="$passed passed, $failed failed"
  [ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
  echo "$line"
else
  echo "0 passed, 1 failed"
  status=1
fi
exit $status
