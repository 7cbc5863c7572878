#!/usr/bin/env bash
# The test matrix, against real server topologies (scripts/test.sh runs it after the checks and
# the build; it needs no build itself: tests import the workspace packages from their sources):
#
#   main    the machine's Node.js × redis-server   every test (Nest 12, and Nest 11 and 10 via compat/)
#   node22  Node.js 22 × redis-server              core, nestjs, keyv, express-session
#   node24  Node.js 24 × redis-server              core, nestjs, keyv, express-session
#   valkey  the machine's Node.js × Valkey 8       testkit, the connector's sentinel and failover tests
#                                                  (TLS-only topology included), the cache tests
#
# scripts/setup.sh --test installs Node.js 22/24 (from the npm registry) and Valkey (from Debian's
# bookworm-backports). A leg whose runtime is missing is reported as NOT RUN and counts as one
# failure: the run is never green for a leg it did not run. SENTINEL_KIT_LEGS="main valkey" runs
# only the legs named (the others are listed as skipped on request, and count nothing). Legs run one
# at a time. One vitest JSON report per leg in .vitest-results/. Ends with the line
# "N passed, N failed", summing every leg; exits 1 when any leg failed or did not run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/matrix.sh
. scripts/matrix.sh

results=.vitest-results
rm -rf "$results"
mkdir -p "$results"
legs=" ${SENTINEL_KIT_LEGS:-main node22 node24 valkey} "
redis_bin="${REDIS_SERVER_BIN:-redis-server}"
node_projects=(--project @sentinel-kit/core --project @sentinel-kit/nestjs --project @sentinel-kit/keyv
  --project @sentinel-kit/express-session)
valkey_tests=(--project @sentinel-kit/testkit --project @sentinel-kit/core packages/testkit/test/
  packages/core/test/connector- packages/core/test/sentinel-admin packages/core/test/cache)

passed_total=0
failed_total=0
rows=()

# "<server> <version>" of a server binary, or its failure to answer.
server_name() { "$1" --version 2>/dev/null | sed -E 's/^(\w+) server v=(\S+).*/\1 \2/' || echo "$1 (no --version)"; }

# name node server-bin what vitest-args… — one leg: vitest on `node` (first on PATH for anything the
# tests spawn) with REDIS_SERVER_BIN=server-bin, its JSON report counted into the totals.
run_leg() {
  local name=$1 node=$2 server=$3 what=$4 json="$results/$1.json" rc=0 counts
  shift 4
  local runtime zstd
  runtime="node $("$node" -p process.versions.node) × $(server_name "$server")"
  zstd=$("$node" -p "typeof require('node:zlib').zstdCompressSync === 'function' ? 'zstd' : 'no zstd'")
  printf '\n=== leg %s: %s (%s): %s\n' "$name" "$runtime" "$zstd" "$what"
  PATH="$(dirname "$node"):$PATH" REDIS_SERVER_BIN="$server" "$node" node_modules/vitest/vitest.mjs run \
    --reporter=default --reporter=json --outputFile.json="$json" "$@" || rc=$?
  if [ -f "$json" ]; then
    # A test file that failed without a failing test (it did not load, a hook threw) counts as one.
    counts=$(node -e 'const r = require(process.argv[1]);
      const broken = r.testResults.filter((f) => f.status === "failed" &&
        !f.assertionResults.some((a) => a.status === "failed")).length;
      console.log(r.numPassedTests, r.numFailedTests + broken, r.numPendingTests + r.numTodoTests)' "$PWD/$json")
  else
    counts='0 0 0'
  fi
  local passed failed skipped
  read -r passed failed skipped <<<"$counts"
  # vitest failed with nothing counted (no report, a startup error, an unhandled error): one failure.
  if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
  passed_total=$((passed_total + passed))
  failed_total=$((failed_total + failed))
  rows+=("$(printf '%-7s %-34s %-8s %6s passed %4s failed %4s skipped' "$name" "$runtime" "$zstd" \
    "$passed" "$failed" "$skipped")")
}

# name why — a leg that cannot run: said plainly, and counted as one failure.
not_run() {
  printf '\n=== leg %s: NOT RUN: %s\n' "$1" "$2"
  failed_total=$((failed_total + 1))
  rows+=("$(printf '%-7s NOT RUN (counted as 1 failed): %s' "$1" "$2")")
}

skipped_on_request() { rows+=("$(printf '%-7s skipped: not in SENTINEL_KIT_LEGS' "$1")"); }

if [[ "$legs" == *" main "* ]]; then
  run_leg main "$(command -v node)" "$redis_bin" 'every test'
else
  skipped_on_request main
fi

for major in "${MATRIX_NODE_MAJORS[@]}"; do
  leg="node$major"
  if [[ "$legs" != *" $leg "* ]]; then
    skipped_on_request "$leg"
  elif [ -z "$(matrix_node_bin "$major")" ]; then
    not_run "$leg" "Node.js $major is not in $(matrix_cache_dir)/node-$major (scripts/setup.sh --test installs it)"
  else
    run_leg "$leg" "$(matrix_node_bin "$major")" "$redis_bin" 'core, nestjs, keyv, express-session' \
      "${node_projects[@]}"
  fi
done

if [[ "$legs" != *" valkey "* ]]; then
  skipped_on_request valkey
elif [ -z "$(matrix_valkey_bin)" ]; then
  not_run valkey "no valkey-server on PATH (scripts/setup.sh --test installs it; VALKEY_SERVER_BIN names another)"
else
  run_leg valkey "$(command -v node)" "$(matrix_valkey_bin)" 'testkit, connector sentinel/failover/TLS, cache' \
    "${valkey_tests[@]}"
fi

printf '\n=== matrix\n'
printf '%s\n' "${rows[@]}"
echo "${passed_total} passed, ${failed_total} failed"
[ "$failed_total" -eq 0 ]
