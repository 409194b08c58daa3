#!/usr/bin/env bash
# Starts the local test cluster on 127.0.0.1: up.sh [base|full|flux]
#   base: etcd, kube-apiserver (RBAC, token users admin and viewer, audit log), Flux CRDs, namespace flux-system
#   full: base + kube-controller-manager, kube-scheduler, kwok with two fake Nodes and fault stages
#   flux: full + the real source-, kustomize- and helm-controller, which own only objects labelled
#         $FLUX_CONTROLLER_LABEL (below): everything else stays the tests' to write, as in full
# Starting again is harmless: running components are kept, missing ones (killed, or full's extras) are started.
# State lives in $TESTENV_DIR (default .testenv/); `. .testenv/env` sets KUBECONFIG and PATH to use it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

profile=${1:-base}
case $profile in base | full | flux) ;; *) die "unknown profile '$profile' (base, full or flux)" ;; esac
"$TESTENV_HOME/build.sh"

D=$TESTENV_DIR
mkdir -p "$D/pids" "$D/logs" "$D/pki"
KUBECTL="$TESTENV_BIN/kubectl --kubeconfig=$D/admin.kubeconfig"

# --- ports: chosen free once per state dir and kept, so a restarted component comes back where it was ----------
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p
  # Below the kernel's ephemeral range (32768 up): a port chosen there can be taken by any outgoing connection
  # (an API client, etcd's) before the component that is to listen on it starts.
  local low=20000 high
  high=$(($(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768) - 1))
  for _ in $(seq 50); do p=$((low + RANDOM % (high - low))); port_free "$p" && { echo "$p"; return; }; done
  die "no free port found"
}
touch "$D/ports"
port() { # port NAME [FIXED]: NAME=<port> in $D/ports, added when missing (a state dir of an older up.sh gains it)
  grep -q "^$1=" "$D/ports" || echo "$1=${2:-$(free_port)}" >> "$D/ports"
}
port ETCD_PORT "${TESTENV_ETCD_PORT:-}"
port ETCD_PEER_PORT
port APISERVER_PORT "${TESTENV_APISERVER_PORT:-}"
port KWOK_PORT
for p in SOURCE_STORAGE SOURCE_METRICS SOURCE_HEALTH KUSTOMIZE_METRICS KUSTOMIZE_HEALTH HELM_METRICS HELM_HEALTH; do port "${p}_PORT"; done
port AUTHN_WEBHOOK_PORT
. "$D/ports"

# --- credentials: a CA of our own, the serving cert, service-account keys, two token users ----------------------
pki() {
  local k=$D/pki
  [ -f "$k/tokens.csv" ] && return
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=flux-deps-testenv-ca \
    -keyout "$k/ca.key" -out "$k/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj /CN=kube-apiserver -keyout "$k/apiserver.key" -out "$k/apiserver.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\n' > "$k/san.ext"
  openssl x509 -req -in "$k/apiserver.csr" -CA "$k/ca.crt" -CAkey "$k/ca.key" -CAcreateserial -days 3650 \
    -extfile "$k/san.ext" -out "$k/apiserver.crt" 2>/dev/null
  openssl genrsa -out "$k/sa.key" 2048 2>/dev/null
  openssl rsa -in "$k/sa.key" -pubout -out "$k/sa.pub" 2>/dev/null
  # The viewer has no rights at all until a test binds a Role to it.
  printf '%s,admin,admin,"system:masters"\n%s,viewer,viewer\n' "$(openssl rand -hex 16)" "$(openssl rand -hex 16)" \
    > "$k/tokens.csv.tmp" && mv "$k/tokens.csv.tmp" "$k/tokens.csv"
}

kubeconfig() { # kubeconfig USER: writes $D/USER.kubeconfig
  local token
  token=$(awk -F, -v u="$1" '$2 == u { print $1 }' "$D/pki/tokens.csv")
  cat > "$D/$1.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: flux-deps-testenv
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority: $D/pki/ca.crt
users:
- name: $1
  user:
    token: $token
contexts:
- name: $1@flux-deps-testenv
  context: {cluster: flux-deps-testenv, user: $1}
current-context: $1@flux-deps-testenv
EOF
}

# --- processes --------------------------------------------------------------------------------------------------
# Alive and not a zombie: a killed component whose parent is gone may linger as one until it is reaped.
running() {
  local p state
  p=$(cat "$D/pids/$1.pid" 2>/dev/null) && state=$(awk '{ print $3 }' "/proc/$p/stat" 2>/dev/null) && [ -n "$state" ] && [ "$state" != Z ]
}

fail() { # fail NAME WHY: names the component, shows its log's tail, stops everything started
  log "error: $1 $2; last lines of $D/logs/$1.log:"
  tail -n 20 "$D/logs/$1.log" >&2 || true
  "$TESTENV_HOME/down.sh" >/dev/null 2>&1 || true
  exit 1
}

start() { # start NAME CMD...: runs CMD in its own session, records its PID
  running "$1" && return
  log "$1: starting"
  setsid "${@:2}" > "$D/logs/$1.log" 2>&1 < /dev/null &
  echo $! > "$D/pids/$1.pid"
}

await() { # await NAME SECONDS CHECK...: until CHECK passes; fails if NAME dies or time runs out
  local deadline=$((SECONDS + $2))
  until "${@:3}" > /dev/null 2>&1; do
    running "$1" || fail "$1" "exited during start-up"
    [ "$SECONDS" -lt "$deadline" ] || fail "$1" "was not ready within $2s"
    sleep 0.2
  done
}

pki
kubeconfig admin
kubeconfig viewer
# Tokens the token file does not know go to a webhook on AUTHN_WEBHOOK_PORT, which a test serves when it wants
# credentials that can be revoked mid-run (test/support/authn-webhook.ts); nobody listening: such tokens fail.
cat > "$D/authn-webhook.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: authn-webhook
  cluster: {server: "http://127.0.0.1:$AUTHN_WEBHOOK_PORT/authenticate"}
users:
- name: kube-apiserver
contexts:
- name: webhook
  context: {cluster: authn-webhook, user: kube-apiserver}
current-context: webhook
EOF
cat > "$D/audit-policy.yaml" <<'EOF'
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: Metadata
EOF

start etcd "$TESTENV_BIN/etcd" --name testenv --data-dir "$D/etcd-data" --unsafe-no-fsync \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "testenv=http://127.0.0.1:$ETCD_PEER_PORT"
await etcd 30 curl -sf "http://127.0.0.1:$ETCD_PORT/health"

start kube-apiserver "$TESTENV_BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$APISERVER_PORT" --cert-dir "$D/pki" \
  --tls-cert-file "$D/pki/apiserver.crt" --tls-private-key-file "$D/pki/apiserver.key" \
  --client-ca-file "$D/pki/ca.crt" --token-auth-file "$D/pki/tokens.csv" --authorization-mode RBAC \
  --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --service-account-key-file "$D/pki/sa.pub" --service-account-signing-key-file "$D/pki/sa.key" \
  --service-cluster-ip-range 10.0.0.0/24 --endpoint-reconciler-type none \
  --disable-admission-plugins ServiceAccount \
  --audit-policy-file "$D/audit-policy.yaml" --audit-log-path "$D/audit.log" \
  --authentication-token-webhook-config-file "$D/authn-webhook.kubeconfig" --authentication-token-webhook-version v1 \
  --authentication-token-webhook-cache-ttl 1s
await kube-apiserver 60 $KUBECTL get --raw /readyz

if [ ! -f "$D/crds-applied" ]; then
  $KUBECTL apply --server-side --force-conflicts -f "$TESTENV_BIN/crds/" > /dev/null
  $KUBECTL wait --for condition=Established --timeout 60s crd --all > /dev/null
  $KUBECTL create namespace flux-system > /dev/null
  touch "$D/crds-applied"
fi
# Established is not yet served: a new CRD's storage answers 429 "(re)initializing" for a moment.
await kube-apiserver 30 $KUBECTL get kustomizations,helmreleases,gitrepositories,ocirepositories,buckets -A

if [ "$profile" != base ]; then
  start kube-controller-manager "$TESTENV_BIN/kube-controller-manager" --kubeconfig "$D/admin.kubeconfig" \
    --leader-elect=false --bind-address 127.0.0.1 --secure-port 0 \
    --service-account-private-key-file "$D/pki/sa.key" --root-ca-file "$D/pki/ca.crt" \
    --controllers '*,-nodeipam,-nodelifecycle'
  start kube-scheduler "$TESTENV_BIN/kube-scheduler" --kubeconfig "$D/admin.kubeconfig" \
    --leader-elect=false --bind-address 127.0.0.1 --secure-port 0
  stages=$(printf -- '--config=%s ' "$TESTENV_BIN"/stages/*.yaml "$TESTENV_HOME"/kwok/*.yaml)
  # shellcheck disable=SC2086
  start kwok "$TESTENV_BIN/kwok" --kubeconfig "$D/admin.kubeconfig" --manage-all-nodes=true \
    --server-address "127.0.0.1:$KWOK_PORT" $stages
  sleep 1
  for c in kube-controller-manager kube-scheduler kwok; do running $c || fail $c "exited during start-up"; done
  for n in kwok-node-0 kwok-node-1; do
    $KUBECTL get node "$n" > /dev/null 2>&1 || $KUBECTL apply -f - > /dev/null <<EOF
apiVersion: v1
kind: Node
metadata:
  name: $n
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0"}
  labels: {type: kwok, kubernetes.io/hostname: $n, kubernetes.io/os: linux}
spec: {}
EOF
    # The admission plugin taints new Nodes not-ready; with node-lifecycle off nothing would lift it.
    $KUBECTL taint node "$n" node.kubernetes.io/not-ready:NoSchedule- > /dev/null 2>&1 || true
  done
  await kwok 60 $KUBECTL wait --for condition=Ready --timeout 5s node --all
fi

# The real Flux controllers (flux profile). The full profile's tests play the controllers' part themselves, writing
# statuses of GitRepositories, Kustomizations and HelmReleases they create; a controller owning every object would
# overwrite those writes. With --watch-label-selector each controller caches, and so reconciles, only the sources
# (source-), Kustomizations (kustomize-) and HelmReleases (helm-controller) carrying this label; tests for the real
# controllers set it. The HelmChart helm-controller creates for a HelmRelease gets none of the HelmRelease's labels,
# only those of its `spec.chart.metadata.labels` (helm-controller v1.6.4, buildHelmChartFromTemplate): tests put the
# label there too, so source-controller keeps one selector and the stand-in tests' objects need no label of their own.
FLUX_CONTROLLER_LABEL=flux-deps.test/controller=real
if [ "$profile" = flux ]; then
  mkdir -p "$D/source-storage"
  start source-controller env KUBECONFIG="$D/admin.kubeconfig" RUNTIME_NAMESPACE=flux-system \
    "$TESTENV_BIN/source-controller" --watch-label-selector "$FLUX_CONTROLLER_LABEL" \
    --storage-path "$D/source-storage" --storage-addr "127.0.0.1:$SOURCE_STORAGE_PORT" \
    --storage-adv-addr "127.0.0.1:$SOURCE_STORAGE_PORT" \
    --metrics-addr "127.0.0.1:$SOURCE_METRICS_PORT" --health-addr "127.0.0.1:$SOURCE_HEALTH_PORT"
  start kustomize-controller env KUBECONFIG="$D/admin.kubeconfig" RUNTIME_NAMESPACE=flux-system \
    "$TESTENV_BIN/kustomize-controller" --watch-label-selector "$FLUX_CONTROLLER_LABEL" --no-remote-bases=true \
    --metrics-addr "127.0.0.1:$KUSTOMIZE_METRICS_PORT" --health-addr "127.0.0.1:$KUSTOMIZE_HEALTH_PORT"
  start helm-controller env KUBECONFIG="$D/admin.kubeconfig" RUNTIME_NAMESPACE=flux-system \
    "$TESTENV_BIN/helm-controller" --watch-label-selector "$FLUX_CONTROLLER_LABEL" \
    --metrics-addr "127.0.0.1:$HELM_METRICS_PORT" --health-addr "127.0.0.1:$HELM_HEALTH_PORT"
  await source-controller 60 curl -sf --max-time 2 "http://127.0.0.1:$SOURCE_HEALTH_PORT/readyz"
  await kustomize-controller 60 curl -sf --max-time 2 "http://127.0.0.1:$KUSTOMIZE_HEALTH_PORT/readyz"
  await helm-controller 60 curl -sf --max-time 2 "http://127.0.0.1:$HELM_HEALTH_PORT/readyz"
fi

cat > "$D/env" <<EOF
# Source this file to use the test cluster: . $D/env
export KUBECONFIG=$D/admin.kubeconfig
export FLUX_DEPS_TESTENV_DIR=$D
export FLUX_DEPS_TESTENV_BIN=$TESTENV_BIN
export PATH=$TESTENV_BIN:\$PATH
export FLUX_DEPS_TESTENV_PROFILE=$profile
export FLUX_DEPS_AUTHN_WEBHOOK_PORT=$AUTHN_WEBHOOK_PORT
export FLUX_DEPS_CONTROLLER_LABEL=$FLUX_CONTROLLER_LABEL
EOF
log "cluster '$profile' is up at https://127.0.0.1:$APISERVER_PORT"
log "  admin:  export KUBECONFIG=$D/admin.kubeconfig"
log "  viewer: export KUBECONFIG=$D/viewer.kubeconfig (no rights until a RoleBinding grants some)"
log "  kubectl and flux: export PATH=$TESTENV_BIN:\$PATH   (or: . $D/env)"
[ "$profile" = flux ] && log "  source-, kustomize- and helm-controller own objects labelled $FLUX_CONTROLLER_LABEL; logs in $D/logs/"
log "  audit log: $D/audit.log; stop with: make testenv-down"
