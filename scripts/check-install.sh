#!/usr/bin/env bash
# What a user does: a plain `npm install` (no --legacy-peer-deps) of the packed packages beside
# @nestjs/core@12 and @nestjs/cache-manager@12 in a fresh project, then scripts/install-check/
# smoke.mjs there: every package through import and require, and core's write read back through
# the Nest module on a real topology. Needs the packages built and the npm registry for Nest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

NEST_MAJOR=12
app=$(mktemp -d)
trap 'rm -rf "$app"' EXIT
tarballs=()
for pkg in core keyv nestjs express-session cli testkit; do
  tarballs+=("$(cd "packages/$pkg" && pnpm pack --pack-destination "$app" | tail -n 1)")
done
(
  cd "$app"
  npm init -y >/dev/null
  if ! npm install --no-audit --no-fund --loglevel=error "@nestjs/core@$NEST_MAJOR" "@nestjs/common@$NEST_MAJOR" \
    "@nestjs/cache-manager@$NEST_MAJOR" "@nestjs/platform-express@$NEST_MAJOR" cache-manager keyv \
    reflect-metadata rxjs "${tarballs[@]}" >npm.log 2>&1; then
    cat npm.log >&2
    echo "install-check: npm install of the packages beside Nest $NEST_MAJOR FAILED" >&2
    exit 1
  fi
  echo "install-check: npm install of the packages beside Nest $NEST_MAJOR resolves (no --legacy-peer-deps)"
)
cp scripts/install-check/smoke.mjs "$app/smoke.mjs"
(cd "$app" && node smoke.mjs)
