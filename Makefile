# Gennaker's Makefile: `make help` lists the targets.
SHELL := /bin/bash
GO ?= go
BIN := bin/gennaker

.PHONY: help up build frontend generate test test-e2e test-go test-frontend bench vet fmt clean

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-15s %s\n", $$1, $$2}'

up: build ## build everything (dashboard included) and run `gennaker up` on 127.0.0.1:8080
	./$(BIN) up $(ARGS)

build: frontend ## build the dashboard and the gennaker binary into bin/
	$(GO) build -o $(BIN) ./cmd/gennaker
	$(GO) build -o bin/hello ./examples/hello

frontend: ## build the React dashboard into frontend/dist (needs Node 20 and npm)
	@if [ -f frontend/package.json ]; then cd frontend && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build; fi

generate: ## regenerate graph/ from schema.graphqls and schema/ (one resolvers/<part>.resolvers.go each) (and the frontend's typed documents)
	$(GO) generate ./...
	@if [ -f frontend/package.json ]; then cd frontend && npm run codegen; fi

test: ## run every test: Go (SQLite and a private MariaDB), Vitest, then the e2e in Chromium
	./scripts/test.sh

test-e2e: ## the dashboard's end-to-end tests in Chromium against a fresh gennaker up --demo
	./scripts/e2e.sh

bench: ## run the benchmarks quoted in docs/benchmarks.md
	./scripts/bench.sh

vet: ## go vet and gofmt check
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }

clean: ## remove build output and the local state directory
	rm -rf bin .gennaker frontend/dist/assets frontend/dist/index.html
