# Every target bootstraps its own virtualenv: a fresh clone needs only python3, make and git.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
GRAPHIQL := gateway/static/graphiql
PEER_HIVE ?= ../shared/peer-hive
EXPLORER_PATCHED := $(GRAPHIQL)/plugin-explorer/.enum-lists
GRAPHIQL_PACKAGES := graphiql@3.8.3 react@18.2.0 react-dom@18.2.0 @graphiql/plugin-explorer@1.0.2 js-cookie@3.0.5
# The staff dashboard's bar chart (gateway/http/dashboard.py): Chart.js's UMD build, one file, no dependencies.
CHARTJS := gateway/static/chartjs
CHARTJS_VERSION := 4.5.1

.PHONY: demo test browser-test lint sim bench bench-peer serve graphiql-assets dashboard-assets node-packages codegen-check clean mutate cluster cluster-kill deploy-check schema schema-check

demo: $(STAMP) $(GRAPHIQL)/graphiql.min.js $(EXPLORER_PATCHED) $(CHARTJS)/chart.umd.min.js ## gateway on :8000 with simulated back ends and demo data
	$(BIN)/gateway demo

GRAPHQL_HTTP_AUDIT := tests/graphql_http_audit

test: $(STAMP) $(GRAPHIQL)/graphiql.min.js $(EXPLORER_PATCHED) $(CHARTJS)/chart.umd.min.js node-packages ## the whole test suite (PostgreSQL/Redis variants too when their URLs are set)
	$(BIN)/pytest -q -n auto --dist loadfile

browser-test: $(STAMP) $(GRAPHIQL)/graphiql.min.js $(EXPLORER_PATCHED) $(CHARTJS)/chart.umd.min.js ## GraphiQL and the staff dashboard in headless Chromium (needs apt's chromium and chromium-driver); not part of make test
	GATEWAY_BROWSER_TESTS=1 $(BIN)/pytest -q tests/e2e/browser

lint: $(STAMP) ## ruff and mypy --strict
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

schema: $(STAMP) ## regenerate schema.graphql from the code
	$(BIN)/python -m gateway schema print > schema.graphql

schema-check: $(STAMP) ## fail on a breaking schema change since the previous main not declared in CHANGELOG.md
	$(BIN)/python -m gateway schema check

mutate: $(STAMP) ## mutation testing of the security- and resilience-critical modules (slow: see .ci/mutate)
	$(BIN)/python .ci/mutate $(MODULES)

sim: $(STAMP) ## the three simulators alone, in the foreground, on 8101-8103
	$(BIN)/python -m fixtures

bench: $(STAMP) ## latency, back-end calls, throughput and memory of the overview
	$(BIN)/python -m bench

bench-peer: $(STAMP) ## side by side with Hive Gateway + GraphQL Mesh ($(PEER_HIVE); npm, wrk; ROUNDS=3 for a shorter run)
	GATEWAY_RATE_LIMIT_POINTS=0 PROJECT=$(CURDIR) $(PEER_HIVE)/run.sh

serve: $(STAMP) ## the gateway alone, configured by GATEWAY_* variables
	$(BIN)/gateway serve

# The cluster: 3 replicas sharing PostgreSQL and Redis behind HAProxy (Debian's haproxy package).
# CLUSTER_PORT (HAProxy; replicas on the next 3, simulators from +10), CLUSTER_DATABASE_URL
# (made afresh: its name starts with gateway_cluster), CLUSTER_REDIS_URL.
cluster: $(STAMP) ## 3 replicas behind HAProxy on :8200, sharing PostgreSQL and Redis, until Ctrl-C
	$(BIN)/python -m bench.cluster up

cluster-kill: $(STAMP) ## the cluster under load, one replica SIGKILLed: failed requests and shared state
	$(BIN)/python -m bench.cluster kill

deploy-check: $(STAMP) ## render and validate the Kubernetes manifests, the compose file and the Dockerfile, offline
	kubectl kustomize deploy/k8s/overlays/production | $(BIN)/kubernetes-validate --strict -
	$(BIN)/docker-compose -f compose.yaml config --quiet
	$(BIN)/hadolint Dockerfile

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# GraphiQL's page must load with no internet: its assets are packed from the npm registry once.
graphiql-assets $(GRAPHIQL)/graphiql.min.js:
	@if command -v npm >/dev/null; then \
	  tmp=$$(mktemp -d) && (cd $$tmp && npm pack --silent $(GRAPHIQL_PACKAGES) >/dev/null) && \
	  mkdir -p $(GRAPHIQL)/plugin-explorer && \
	  for tgz in $$tmp/*.tgz; do tar -xzf $$tgz -C $$tmp --one-top-level=$$(basename $$tgz .tgz); done && \
	  cp $$tmp/graphiql-3.8.3/package/graphiql.min.js $$tmp/graphiql-3.8.3/package/graphiql.min.css \
	     $$tmp/react-18.2.0/package/umd/react.production.min.js \
	     $$tmp/react-dom-18.2.0/package/umd/react-dom.production.min.js \
	     $$tmp/js-cookie-3.0.5/package/dist/js.cookie.min.js $(GRAPHIQL)/ && \
	  cp $$tmp/graphiql-plugin-explorer-1.0.2/package/dist/index.umd.js \
	     $$tmp/graphiql-plugin-explorer-1.0.2/package/dist/style.css $(GRAPHIQL)/plugin-explorer/ && \
	  $(PYTHON) .ci/patch_graphiql_explorer.py $(GRAPHIQL)/plugin-explorer/index.umd.js && \
	  rm -rf $$tmp; \
	else echo "npm not found: GraphiQL will say its assets are missing; the API works without it."; fi

# The dashboard's chart library, packed like GraphiQL's (pinned; its licence beside it).
dashboard-assets $(CHARTJS)/chart.umd.min.js:
	@if command -v npm >/dev/null; then \
	  tmp=$$(mktemp -d) && (cd $$tmp && npm pack --silent chart.js@$(CHARTJS_VERSION) >/dev/null) && \
	  tar -xzf $$tmp/chart.js-$(CHARTJS_VERSION).tgz -C $$tmp && mkdir -p $(CHARTJS) && \
	  cp $$tmp/package/dist/chart.umd.min.js $$tmp/package/dist/chart.umd.min.js.map $$tmp/package/LICENSE.md $(CHARTJS)/ && \
	  rm -rf $$tmp; \
	else echo "npm not found: the dashboard shows its figures as tables only, without the chart."; fi

# The Explorer's value widget for lists of enum values (.ci/patch_graphiql_explorer.py says why).
$(EXPLORER_PATCHED): $(GRAPHIQL)/graphiql.min.js .ci/patch_graphiql_explorer.py
	@if [ -f $(GRAPHIQL)/plugin-explorer/index.umd.js ]; then \
	  $(PYTHON) .ci/patch_graphiql_explorer.py $(GRAPHIQL)/plugin-explorer/index.umd.js && touch $@; fi

# The npm packages tests run under node (graphql-http's audit), from their committed lock files.
node-packages: $(GRAPHQL_HTTP_AUDIT)/node_modules/.package-lock.json

$(GRAPHQL_HTTP_AUDIT)/node_modules/.package-lock.json: $(GRAPHQL_HTTP_AUDIT)/package-lock.json
	@if command -v npm >/dev/null; then cd $(GRAPHQL_HTTP_AUDIT) && npm ci --no-audit --no-fund --silent; \
	else echo "npm not found: the graphql-http audit test skips (and fails in CI)."; fi

# A front end's types from the schema: GraphQL Code Generator on examples/frontend/operations,
# then tsc --strict. The schema is the committed schema.graphql, or printed from the code without one.
FRONTEND := examples/frontend

codegen-check: $(STAMP) $(FRONTEND)/node_modules/.package-lock.json ## generated TypeScript compiles under tsc --strict
	@if [ -f schema.graphql ]; then schema=../../schema.graphql; \
	else mkdir -p var && $(BIN)/python -c 'from gateway.schema import schema; print(schema.as_str())' > var/schema.graphql && \
	  schema=../../var/schema.graphql; fi; \
	cd $(FRONTEND) && rm -rf src/generated && \
	GATEWAY_SCHEMA=$$schema npx --no-install graphql-codegen --config codegen.ts --silent && \
	npx --no-install tsc --noEmit -p tsconfig.json && echo "codegen-check: generated types compile under tsc --strict"

$(FRONTEND)/node_modules/.package-lock.json: $(FRONTEND)/package-lock.json
	cd $(FRONTEND) && npm ci --no-audit --no-fund --silent

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache $(GRAPHIQL) $(CHARTJS) $(GRAPHQL_HTTP_AUDIT)/node_modules $(FRONTEND)/node_modules $(FRONTEND)/src/generated
