#!/usr/bin/env bash
# Installs what sentinel-kit needs on a fresh Debian/Ubuntu machine with Node.js >= 20.19:
# pnpm, the workspace's dependencies, and the redis-server binary (plus, with --test, what the
# interop and browser tests drive: Django with django-redis, and Chromium).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

want_test_tools=false
[ "${1:-}" = "--test" ] && want_test_tools=true

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

command -v node >/dev/null || die "Node.js >= 20.19 is required (https://nodejs.org); none is on PATH."
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || die "Node.js >= 20.19 is required; this is $(node --version)."

if ! command -v pnpm >/dev/null; then
  say "installing pnpm 10 (npm i -g pnpm@10)"
  npm i -g pnpm@10 >/dev/null
fi

apt_updated=false
apt_install() { # hint package… — installs Debian packages, or says what to install and stops
  local hint=$1 sudo=''
  shift
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo='sudo'
  if command -v apt-get >/dev/null && { [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; }; then
    if [ "$apt_updated" = false ]; then $sudo apt-get update -qq; apt_updated=true; fi
    say "installing $* (apt-get install -y $*)"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
  else
    die "please install the Debian/Ubuntu package(s) '$*' (or your system's equivalent) and run again.$hint"
  fi
}

if ! command -v "${REDIS_SERVER_BIN:-redis-server}" >/dev/null; then
  apt_install "
Without a local redis-server you can still run the topology with Docker: docker compose up -d" redis-server
fi

if [ "$want_test_tools" = true ]; then
  /usr/bin/python3 -c 'import django, django_redis, redis, msgpack' 2>/dev/null \
    || apt_install "" python3-django python3-django-redis python3-redis python3-msgpack
  command -v chromium >/dev/null || apt_install "" chromium
fi

say "installing dependencies (pnpm install)"
if [ -n "${CI:-}" ]; then pnpm install --frozen-lockfile --reporter=silent; else pnpm install --reporter=silent; fi
