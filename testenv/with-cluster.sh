#!/usr/bin/env bash
# with-cluster.sh PROFILE COMMAND...: starts a test cluster, runs COMMAND with its env, always stops it after.
# Uses its own state dir (.testenv-test) so it never touches a cluster started by `make testenv-up`.
set -uo pipefail
export TESTENV_DIR=${TESTENV_DIR:-$(cd "$(dirname "$0")/.." && pwd)/.testenv-test}
here=$(dirname "$0")
# A test may start a second cluster in "$TESTENV_DIR-<name>" (test/support/second-cluster.ts) and stop it itself;
# should it die first, what such a cluster recorded is stopped here too.
trap '"$here/down.sh"; for d in "$TESTENV_DIR"-*/; do [ ! -d "$d" ] || TESTENV_DIR="${d%/}" "$here/down.sh"; done' EXIT
"$here/up.sh" "$1" || exit 1
. "$TESTENV_DIR/env"
"${@:2}"
