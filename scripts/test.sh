#!/usr/bin/env bash
# The whole test suite from a fresh clone: set-up, format and lint (Biome), strict typecheck, dual
# ESM/CJS build, packaging (publint and attw on the packed packages; a plain npm install of them
# beside Nest 12 in a fresh project, loaded and used there), then the test matrix
# (scripts/test-matrix.sh: every test on the machine's Node.js and redis-server, then core, nestjs,
# keyv and express-session on Node.js 22 and 24, then the sentinel, failover and cache tests on
# Valkey 8). Ends with the matrix's line "N passed, N failed", summing every leg.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export TURBO_TELEMETRY_DISABLED=1
bash scripts/setup.sh --test
pnpm exec biome check .
pnpm exec tsc -p tsconfig.json
pnpm exec turbo run typecheck build --output-logs=errors-only
bash scripts/check-packages.sh
bash scripts/check-install.sh
exec bash scripts/test-matrix.sh
