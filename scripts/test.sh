#!/usr/bin/env bash
# Runs the whole test suite on both engines: starts a throwaway PostgreSQL (installing it, and Node
# for the worker-process test, from apt when missing), points the tests at it through SPECTRAL_TEST_PG,
# builds the JS SDK (clients/js, needs Node 20+ and npm: the example HTTP worker imports it) and the
# server with warnings as errors, runs every .NET test, then the JS SDK's unit tests, then its
# end-to-end tests against the real server process on SQLite and PostgreSQL, then the dashboard's
# component tests and its browser tests (Playwright driving Debian's Chromium, installed here) against
# the real server. Prints "N passed, N failed[, N skipped]" last: every suite's counts added together.
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

# The JS SDK before the .NET tests: examples/workers/http-worker.mjs, which they run as a real
# worker process, imports clients/js/packages/client/dist.
js_ok=0
for attempt in 1 2 3; do
  if npm --prefix clients/js ci --no-audit --no-fund >&2; then js_ok=1; break; fi
  echo "npm ci failed (attempt $attempt)" >&2
done
sdk_built=0
if [ "$js_ok" = 1 ] && npm --prefix clients/js run build >&2; then
  sdk_built=1
else
  echo "JS SDK build failed: the .NET worker-process tests will fail too" >&2
fi
# Vitest strips types without checking them: the tests and e2e support code are type-checked here.
js_typed=0
if [ "$sdk_built" = 1 ] && npm --prefix clients/js run typecheck >&2; then
  js_typed=1
fi

# The dashboard (web/): its packages before the .NET build, which builds it and embeds it in the server.
web_ok=0
for attempt in 1 2 3; do
  if npm --prefix web ci --no-audit --no-fund >&2; then web_ok=1; break; fi
  echo "npm ci (web) failed (attempt $attempt)" >&2
done
# Debian's Chromium for the browser tests; apt fails now and then here (a dpkg archive error that
# `apt-get install -f` repairs), so retry.
chromium_ok=0
for attempt in 1 2 3; do
  if command -v chromium >/dev/null 2>&1; then chromium_ok=1; break; fi
  { apt-get update -qq && apt-get install -y -qq chromium; } >&2 || { apt-get install -y -qq -f && apt-get install -y -qq chromium; } >&2 || true
  echo "chromium install attempt $attempt done" >&2
done

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

if [ "$sdk_built" = 0 ]; then
  echo "JS SDK: not built"
  failed=$((failed + 1))
  [ "$status" -eq 0 ] && status=1
elif [ "$js_typed" = 0 ]; then
  echo "JS SDK: type errors (npm --prefix clients/js run typecheck)"
  failed=$((failed + 1))
  [ "$status" -eq 0 ] && status=1
fi

# Runs Vitest in clients/js with the given arguments and adds its counts under <label>. A file that
# fails to load, and an exit code that no failed test explains (an unhandled error), count as failures.
run_vitest() {
  local label="$1" report="$results/$2" dir="$3" ok="$4"; shift 4
  local rc=1 p=0 f=0 s=0
  if [ "$ok" = 1 ]; then
    set +e
    (cd "$dir" && npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@")
    rc=$?
    set -e
  fi
  if [ -f "$report" ]; then
    read -r p f s < <(node -e '
      const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const broken = r.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
      console.log(r.numPassedTests, r.numFailedTests + broken, r.numPendingTests + r.numTodoTests);' "$report")
    [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
    echo "$label: $p passed, $f failed, $s skipped"
  else
    echo "$label: no results (npm ci or Vitest did not run)"
    f=1
  fi
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  if [ "$f" -ne 0 ] && [ "$status" -eq 0 ]; then
    status=1
  fi
}

# The JS SDK's unit tests (an in-process mock server), then its end-to-end tests: the SDK against
# the real server built above (src/SpectralNotify.Cli/bin/Release), on SQLite and PostgreSQL.
run_vitest "JS" vitest.json clients/js "$js_ok"
run_vitest "JS e2e" vitest-e2e.json clients/js "$js_ok" --config vitest.e2e.config.ts
run_vitest "Dashboard" vitest-web.json web "$web_ok"

# The dashboard in a real browser against the real server (web/e2e). Screenshots of every page are
# kept in web/test-results.
pw_report="$results/playwright.json"
pw_rc=1
if [ "$web_ok" = 1 ] && [ "$chromium_ok" = 1 ]; then
  set +e
  (cd web && PLAYWRIGHT_JSON_OUTPUT_NAME="$pw_report" npx playwright test --reporter=list,json)
  pw_rc=$?
  set -e
fi
if [ -f "$pw_report" ]; then
  read -r p f s < <(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const st = r.stats;
    console.log(st.expected + st.flaky, st.unexpected + (r.errors?.length ?? 0), st.skipped);' "$pw_report")
  [ "$pw_rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
  echo "Dashboard browser: $p passed, $f failed, $s skipped"
else
  echo "Dashboard browser: no results (npm ci for web/ or the Chromium install failed)"
  p=0; f=1; s=0
fi
passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
[ "$f" -ne 0 ] && [ "$status" -eq 0 ] && status=1

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
exit $status
