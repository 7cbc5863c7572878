#!/usr/bin/env bash
# The whole test suite from a fresh clone: set-up, format and lint (Biome), strict typecheck,
# dual ESM/CJS build, then every test against real redis-server topologies. Ends with the line
# "N passed, N failed".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export TURBO_TELEMETRY_DISABLED=1
bash scripts/setup.sh --test
pnpm exec biome check .
pnpm exec tsc -p tsconfig.json
pnpm exec turbo run typecheck build --output-logs=errors-only

results=.vitest-results.json
rm -f "$results"
status=0
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json="$results" || status=$?
if [ -f "$results" ]; then
  node -e 'const r=require(process.argv[1]); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`)' \
    "$PWD/$results"
else
  echo "0 passed, 1 failed"
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
