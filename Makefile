# flux-deps: every command a developer or CI runs. `make help` lists them.
# The project's pinned Node.js 24 (npm package `node`) runs everything; the machine's own node is not used.
NODE    := node_modules/node/bin/node
MOCHA   := $(NODE) node_modules/mocha/bin/mocha.js
TSC     := $(NODE) node_modules/typescript/bin/tsc
PROFILE ?= flux

.PHONY: help tools build dist release-artifacts test test-unit test-dist test-cluster typecheck bench testenv-build testenv-up testenv-down clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{ printf "  %-14s %s\n", $$1, $$2 }'

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

build: node_modules/.installed ## bundle dist/flux-deps.mjs and write bin/flux-deps, bin/kubectl-flux_deps
	$(NODE) scripts/build.ts

typecheck: node_modules/.installed ## tsc --noEmit over src, test and scripts
	$(TSC) -p .

test: test-unit test-dist test-cluster ## everything: unit and golden tests, release artifacts, then the cluster tests

# Graphviz checks that `tree -o dot` renders; tmux gives the terminal tests a real TTY; Chromium opens `tree -o html`
# in html-browser.test.ts (driven by playwright-core, which downloads nothing). Debian's packages, installed when
# missing (machines here run as root).
tools:
	@command -v dot >/dev/null && command -v tmux >/dev/null && command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq graphviz tmux chromium >/dev/null; } \
	  || { echo "install Graphviz (dot), tmux and Chromium to run the tests"; exit 1; }

test-unit: build typecheck tools ## pure model/render tests, golden files, the built executables (no cluster)
	$(MOCHA) --reporter-option suite=unit 'test/unit/**/*.test.ts'

test-cluster: build tools testenv-build ## tests against a real kube-apiserver (PROFILE=flux: scheduler, kwok, the Flux controllers)
	testenv/with-cluster.sh $(PROFILE) $(MOCHA) --reporter-option suite=cluster --timeout 60000 'test/cluster/**/*.test.ts'

dist: release-artifacts ## single executables, release archives with sha256, krew and Flux plugin manifests (into plugin/)
	cp dist-release/plugin/flux-deps.yaml dist-release/plugin/deps.yaml plugin/

release-artifacts: build
	$(NODE) scripts/dist.ts dist-release

# Tests the artifacts without touching the committed manifests in plugin/ (the amd64 archive's sum changes per build).
test-dist: release-artifacts testenv-build ## the release artifacts: executables without Node, manifests, flux plugin install
	$(MOCHA) --reporter-option suite=dist --timeout 120000 'test/dist/**/*.test.ts'

# The cascade benchmark runs on the real controllers (profile flux) in a state dir of its own: the base benches
# leave objects behind (Deployments among them) that a controller manager would act on.
bench: build testenv-build tools ## start-up, tree, waits and cascade recovery (real controllers, ~20 min) against the flux CLI and kubectl, as ratios
	$(NODE) scripts/bench.ts
	$(NODE) scripts/bench-picture.ts
	TESTENV_DIR=$(CURDIR)/.testenv-bench testenv/with-cluster.sh base $(NODE) scripts/bench-tree.ts
	TESTENV_DIR=$(CURDIR)/.testenv-bench testenv/with-cluster.sh base $(NODE) scripts/bench-wait.ts
	TESTENV_DIR=$(CURDIR)/.testenv-bench testenv/with-cluster.sh base $(NODE) scripts/bench-why.ts
	TESTENV_DIR=$(CURDIR)/.testenv-bench testenv/with-cluster.sh base $(NODE) scripts/bench-exec.ts
	TESTENV_DIR=$(CURDIR)/.testenv-bench testenv/with-cluster.sh base $(NODE) scripts/bench-soak.ts
	TESTENV_DIR=$(CURDIR)/.testenv-bench-flux testenv/with-cluster.sh flux $(NODE) scripts/bench-cascade.ts

testenv-build: ## build the test cluster's binaries (cold ~24 min with the three Flux controllers, then cached by version)
	testenv/build.sh

testenv-up: ## start a test cluster for development: make testenv-up [PROFILE=base|full|flux]
	testenv/up.sh $(PROFILE)

testenv-down: ## stop it, exactly the processes it started
	testenv/down.sh

clean: ## remove build output (not the test cluster's binary cache)
	rm -rf dist bin
