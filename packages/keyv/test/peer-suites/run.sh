#!/usr/bin/env bash
# Runs a peer's own test files, unchanged, against our stores (see README.md).
#
#   bash packages/keyv/test/peer-suites/run.sh cache-manager <git dir of jaredwray/cacheable>
#   bash packages/keyv/test/peer-suites/run.sh keyv-redis    <git dir of jaredwray/keyv>
#   bash packages/keyv/test/peer-suites/run.sh nestjs-cache-manager <git dir of nestjs/cache-manager>
#
# The peer's files are not part of this repository: this copies the test folder of the pinned
# release out of a clone you have, into a temporary directory, installs the test-only packages they
# import there (npm), and runs them with vitest.config.ts beside this file, which only changes what
# `../src/index.js` and `keyv` resolve to (packages/nestjs/test/peer-suites/vitest.config.ts for
# the Nest suite: what `lib` and `@keyv/redis` resolve to).
set -euo pipefail

suite="${1:?usage: run.sh cache-manager|keyv-redis|nestjs-cache-manager <git dir>}"
git_dir="${2:?usage: run.sh $suite <git dir of the peer repository>}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"

case "$suite" in
  # cache-manager 7.2.9 (the release commit of jaredwray/cacheable).
  cache-manager) commit=069f7340194f29f8ad2310cec4b922c0ad21b4f9 path=packages/cache-manager/test ;;
  # @keyv/redis 5.1.6 (the release commit of jaredwray/keyv).
  keyv-redis) commit=80f9b8817757e6e2524df8332b4e94f21cb0fff3 path=storage/redis/test ;;
  # @nestjs/cache-manager's e2e tests at tag 3.1.3 (its last tagged release).
  nestjs-cache-manager) commit=3.1.3 path=tests ;;
  *) echo "unknown suite $suite (cache-manager, keyv-redis, nestjs-cache-manager)" >&2; exit 2 ;;
esac
config="$here/vitest.config.ts"
[ "$suite" = nestjs-cache-manager ] && config="$root/packages/nestjs/test/peer-suites/vitest.config.ts"

run_dir="$(mktemp -d -t peer-suite-XXXXXX)"
trap 'rm -rf "$run_dir"' EXIT
git --git-dir "$git_dir" archive "$commit" "$path" | tar -x -C "$run_dir"
[ "$path" = tests ] || mv "$run_dir/$path" "$run_dir/test"
echo '{ "private": true, "type": "module" }' > "$run_dir/package.json"
# What the tests import besides vitest and the packages under test; keyv and @keyv/test-suite at the
# versions this repository uses.
npm install --prefix "$run_dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
  @faker-js/faker@10.2.0 cacheable@2.3.5 keyv@5.6.0 @keyv/test-suite@2.1.2 timekeeper@2.3.1 >/dev/null

cd "$root"
PEER_SUITE="$suite" PEER_SUITE_DIR="$run_dir" pnpm exec vitest run \
  --config "$config" "${@:3}"
