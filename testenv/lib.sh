# Shared by build.sh, up.sh and down.sh: where things live. Source it; it defines no side effects.
#
#   TESTENV_HOME   this folder (versions.env, wrapper modules, kwok stages)
#   TESTENV_BIN    cached binaries, keyed by the pinned versions: a second build builds nothing
#   TESTENV_DIR    one running cluster's state: certs, kubeconfigs, logs, pids, audit log, env file
#                  (default <checkout>/.testenv; set it to run a second copy beside the first)

TESTENV_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$TESTENV_HOME/.." && pwd)
# shellcheck source=versions.env
. "$TESTENV_HOME/versions.env"

versions_hash() {
  cat "$TESTENV_HOME/versions.env" "$TESTENV_HOME"/modules/*/go.mod "$TESTENV_HOME"/modules/*/go.sum \
    | sha256sum | cut -c1-16
}

TESTENV_CACHE=${FLUX_DEPS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/flux-deps}/testenv
TESTENV_BIN=$TESTENV_CACHE/$(versions_hash)
TESTENV_DIR=${TESTENV_DIR:-$REPO_ROOT/.testenv}

log() { printf '%s testenv: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
