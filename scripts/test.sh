#!/usr/bin/env bash
# Runs the whole test suite on both engines: starts a throwaway PostgreSQL (installing it, and Node
# for the worker-process test, from apt when missing), points the tests at it through SPECTRAL_TEST_PG, builds with warnings as errors,
# runs every .NET test, then the JS SDK's unit tests (clients/js, needs Node 20+ and npm). Prints
# "N passed, N failed[, N skipped]" last: .NET and JS counts added together.
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
passed=0; failed=0; skipped=0
if [ -f "$trx" ]; then
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
  get() { echo "$counters" | grep -o "$1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  passed="$(get passed)"; failed="$(get failed)"; total="$(get total)"; executed="$(get executed)"
  skipped=$((total - executed))
  echo ".NET: $passed passed, $failed failed, $skipped skipped"
else
  failed=1
  status=1
fi

# The JS SDK's unit tests (clients/js, Vitest against an in-process mock server), counted with the .NET ones.
js_ok=0
for attempt in 1 2 3; do
  if npm --prefix clients/js ci --no-audit --no-fund >&2; then js_ok=1; break; fi
  echo "npm ci failed (attempt $attempt)" >&2
done
js_report="$results/vitest.json"
if [ "$js_ok" = 1 ]; then
  set +e
  (cd clients/js && npx vitest run --reporter=default --reporter=json --outputFile.json="$js_report")
  js_status=$?
  set -e
else
  js_status=1
fi
if [ -f "$js_report" ]; then
  read -r js_passed js_failed js_skipped < <(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    // A file that fails to load counts as a failure even though no test in it ran.
    const broken = r.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
    console.log(r.numPassedTests, r.numFailedTests + broken, r.numPendingTests + r.numTodoTests);' "$js_report")
  echo "JS: $js_passed passed, $js_failed failed, $js_skipped skipped"
  passed=$((passed + js_passed)); failed=$((failed + js_failed)); skipped=$((skipped + js_skipped))
else
  echo "JS: no results (npm ci or Vitest did not run)"
  failed=$((failed + 1))
fi
if [ "$js_status" -ne 0 ] && [ "$status" -eq 0 ]; then
  status=$js_status
fi

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
exit $status
