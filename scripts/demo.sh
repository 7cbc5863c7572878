#!/usr/bin/env bash
# The demo from a fresh clone: set-up, build, then both demo apps on one embedded topology.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
TURBO_TELEMETRY_DISABLED=1 pnpm exec turbo run build --output-logs=errors-only
exec pnpm exec tsx scripts/demo.ts
