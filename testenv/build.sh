#!/usr/bin/env bash
# Builds the test cluster's binaries and CRDs from the Go module proxy into $TESTENV_BIN.
# Each piece is built only when missing, so a warm cache builds nothing.
# Cold: about 11 minutes on 2 cores (kubernetes alone is 5), plus about 10 for the two Flux controllers and
# about 3 for helm-controller (194 s measured on 2 busy cores, the other controllers already built);
# see TESTENV.md in the shared folder.
set -Eeuo pipefail
. "$(dirname "$0")/lib.sh"

export CGO_ENABLED=0 GOFLAGS=-mod=readonly
mkdir -p "$TESTENV_BIN/crds"

# The wrappers' go.mod must name the versions versions.env pins: one source of truth, checked.
require() { # require WRAPPER MODULE VERSION
  grep -qE "^[[:space:]]*(require )?$2 $3( // indirect)?\$" "$TESTENV_HOME/modules/$1/go.mod" ||
    die "modules/$1/go.mod does not require $2 $3 as versions.env says; run: cd testenv/modules/$1 && go get $2@$3 && go mod tidy"
}
require kube k8s.io/kubernetes "$KUBERNETES_VERSION"
require etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION"
require kwok sigs.k8s.io/kwok "$KWOK_VERSION"
require controller-gen sigs.k8s.io/controller-tools "$CONTROLLER_TOOLS_VERSION"
require controller-gen github.com/fluxcd/helm-controller/api "$HELM_CONTROLLER_API_VERSION"
require kustomize-controller github.com/fluxcd/kustomize-controller "$KUSTOMIZE_CONTROLLER_VERSION"
require kustomize-controller github.com/fluxcd/kustomize-controller/api "$KUSTOMIZE_CONTROLLER_VERSION"
require source-controller github.com/fluxcd/source-controller "$SOURCE_CONTROLLER_VERSION"
require source-controller github.com/fluxcd/source-controller/api "$SOURCE_CONTROLLER_VERSION"
require helm-controller github.com/fluxcd/helm-controller "$HELM_CONTROLLER_VERSION"
require helm-controller github.com/fluxcd/helm-controller/api "$HELM_CONTROLLER_VERSION"

module_dir() { go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'; }

built() { [ -x "$TESTENV_BIN/$1" ] && log "$1: cached" ; }

step=""
trap '[ -n "$step" ] && log "error: $step: build failed (see the output above)"' ERR
timed() { # timed NAME COMMAND...: runs a build step, logs how long it took; a failure stops the build
  local start=$SECONDS
  step=$1
  log "$1: building"
  "${@:2}"
  log "$1: built in $((SECONDS - start))s"
  step=""
}

build_kube() {
  local v=$KUBERNETES_VERSION major minor flags=""
  major=${v#v}; major=${major%%.*}; minor=${v#v*.}; minor=${minor%%.*}
  # Without these the binaries report v0.0.0, and clients that check the server version complain.
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=$v -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  done
  (cd "$TESTENV_HOME/modules/kube" && go build -ldflags "$flags" -o "$TESTENV_BIN/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl)
}

build_etcd() {
  (cd "$TESTENV_HOME/modules/etcd" && go build -o "$TESTENV_BIN/etcd" go.etcd.io/etcd/server/v3)
}

build_kwok() {
  (cd "$TESTENV_HOME/modules/kwok" && go build -o "$TESTENV_BIN/kwok" sigs.k8s.io/kwok/cmd/kwok)
}

# flux embeds cmd/flux/manifests/*.yaml, which its own Makefile generates: build a writable copy of the module
# with a placeholder there. `flux install` is unusable as a result; get, tree, reconcile and events work.
build_flux() {
  local src work
  src=$(module_dir "github.com/fluxcd/flux2/v2@$FLUX_VERSION")
  work=$(mktemp -d)
  cp -r "$src" "$work/flux2" && chmod -R u+w "$work/flux2"
  mkdir -p "$work/flux2/cmd/flux/manifests"
  echo "# placeholder: flux install is not used by the test cluster" > "$work/flux2/cmd/flux/manifests/placeholder.yaml"
  (cd "$work/flux2" && go build -ldflags "-X main.VERSION=${FLUX_VERSION#v}" -o "$TESTENV_BIN/flux" ./cmd/flux)
  rm -rf "$work"
}

# The real Flux controllers, each from a wrapper module carrying the upstream go.mod's replaces (and, for
# source-controller, pkg/artifact v0.18.0: the proxy here refuses v0.18.3's zip). Their go.sum came from
# `go mod tidy -e` (source-controller's own tests import a module the proxy lacks); the build needs no more.
# helm-controller v1.6.4: the proxy lists no version of it but serves this one by its exact name.
build_controller() { # build_controller NAME
  (cd "$TESTENV_HOME/modules/$1" && go build -o "$TESTENV_BIN/$1" "github.com/fluxcd/$1")
}

# Kustomization and source CRDs ship in the controllers' module zips; the HelmRelease CRD does not, so it is
# generated from helm-controller's API types with controller-gen, as helm-controller's Makefile does.
build_crds() {
  local d
  for m in "kustomize-controller@$KUSTOMIZE_CONTROLLER_VERSION" "source-controller@$SOURCE_CONTROLLER_VERSION"; do
    d=$(module_dir "github.com/fluxcd/$m")
    cp "$d"/config/crd/bases/*.yaml "$TESTENV_BIN/crds/"
  done
  chmod u+w "$TESTENV_BIN"/crds/*.yaml
  (cd "$TESTENV_HOME/modules/controller-gen" &&
    go build -o "$TESTENV_BIN/controller-gen" sigs.k8s.io/controller-tools/cmd/controller-gen &&
    "$TESTENV_BIN/controller-gen" crd:crdVersions=v1 paths=github.com/fluxcd/helm-controller/api/... \
      output:crd:dir="$TESTENV_BIN/crds")
  touch "$TESTENV_BIN/crds/.done"
}

# kwok's own stages, with pod-ready taught to leave alone the pods our fault stages own (see testenv/kwok/).
build_stages() {
  local d
  d=$(module_dir "sigs.k8s.io/kwok@$KWOK_VERSION")/kustomize/stage
  mkdir -p "$TESTENV_BIN/stages"
  cp "$d/node/fast/node-initialize.yaml" "$d/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" \
    "$d/pod/fast/pod-complete.yaml" "$d/pod/fast/pod-delete.yaml" "$TESTENV_BIN/stages/"
  sed "/^    matchExpressions:/r $TESTENV_HOME/kwok/not-a-fault.snippet" "$d/pod/fast/pod-ready.yaml" \
    > "$TESTENV_BIN/stages/pod-ready.yaml"
  chmod u+w "$TESTENV_BIN"/stages/*.yaml
  grep -q 'crash-loop' "$TESTENV_BIN/stages/pod-ready.yaml" || die "stages: could not patch kwok's pod-ready stage"
}

built etcd || timed etcd build_etcd
built kube-apiserver && built kubectl && built kube-controller-manager && built kube-scheduler || timed kubernetes build_kube
built kwok || timed kwok build_kwok
built flux || timed flux build_flux
built kustomize-controller || timed kustomize-controller build_controller kustomize-controller
built source-controller || timed source-controller build_controller source-controller
built helm-controller || timed helm-controller build_controller helm-controller
[ -f "$TESTENV_BIN/crds/.done" ] && log "crds: cached" || timed crds build_crds
[ -f "$TESTENV_BIN/stages/pod-ready.yaml" ] || timed stages build_stages
log "binaries in $TESTENV_BIN"
