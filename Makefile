# Switchyard: the two commands of the README, and a few helpers.
#   make run    install what is missing, build release, serve the bundled example models on :8000
#               (Tests/Fixtures/models laid out as a repository in .build/example-models) with the
#               example experiments of deploy/examples/experiments.yaml; admin API on 127.0.0.1:8001,
#               state (revisions, statistics, admin token) in .switchyard/
#   make test   install what is missing, build, run the whole test suite (unit + integration)

SWIFT ?= swift
PORT ?= 8000
HOST ?= 0.0.0.0

.PHONY: run test build release deps loadtest clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product switchyard

run: release
	scripts/example-repository.sh .build/example-models
	.build/release/switchyard serve --host $(HOST) --port $(PORT) --repository .build/example-models \
	  --config deploy/examples/experiments.yaml

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel

loadtest:
	@scripts/install-deps.sh --with-loadtest-peers
	loadtests/http/bench.sh

clean:
	rm -rf .build
