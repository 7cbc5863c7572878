#!/usr/bin/env bash
# Lints every published package the way npm would ship it: `pnpm pack` (which turns workspace:*
# into real versions), then on each tarball publint --strict (package.json fields, exports, files;
# warnings fail too) and attw, Are the Types Wrong?, with its strict profile (types resolve for
# node10, node16 from CommonJS and from ESM, and bundlers, each to the right format). Needs the
# packages built (turbo run build). Exits 1 naming the packages that failed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PUBLISHED=(core keyv nestjs express-session cli testkit)
packs=$(mktemp -d)
trap 'rm -rf "$packs"' EXIT

failed=()
for pkg in "${PUBLISHED[@]}"; do
  tarball=$(cd "packages/$pkg" && pnpm pack --pack-destination "$packs" | tail -n 1)
  ok=true
  pnpm exec publint run --strict --level warning "$tarball" >"$packs/publint.log" 2>&1 || ok=false
  pnpm exec attw --profile strict --format ascii --no-emoji --no-color "$tarball" >"$packs/attw.log" 2>&1 || ok=false
  if [ "$ok" = true ]; then
    printf 'packages: @sentinel-kit/%s: publint and attw (strict) pass\n' "$pkg"
  else
    printf 'packages: @sentinel-kit/%s FAILED:\n' "$pkg"
    sed 's/^/  publint: /' "$packs/publint.log"
    sed 's/^/  attw: /' "$packs/attw.log"
    failed+=("$pkg")
  fi
done
if [ "${#failed[@]}" -gt 0 ]; then
  printf 'packages: %s failed publint or attw\n' "${failed[*]}" >&2
  exit 1
fi
