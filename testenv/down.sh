#!/usr/bin/env bash
# Stops exactly the processes up.sh started (their recorded PIDs), newest first, and drops the cluster's data,
# so the next start is a fresh cluster. Credentials and chosen ports are kept. Stopping twice is harmless.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

D=$TESTENV_DIR
[ -d "$D/pids" ] || exit 0

stop() { # stop NAME: SIGTERM, then SIGKILL after 10 s; only if the PID still runs that binary
  local f=$D/pids/$1.pid p
  p=$(cat "$f" 2>/dev/null) || return 0
  if kill -0 "$p" 2>/dev/null && [ "$(basename "$(readlink "/proc/$p/exe" 2>/dev/null)")" = "$1" ]; then
    kill "$p"
    for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$p" 2>/dev/null && kill -9 "$p"
    log "$1: stopped (pid $p)"
  fi
  rm -f "$f"
}

for c in helm-controller kustomize-controller source-controller kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do stop "$c"; done
rm -rf "$D/etcd-data" "$D/source-storage" "$D/crds-applied" "$D/audit.log" "$D/env"
