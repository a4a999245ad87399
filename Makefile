# lwm2m-conform — the two commands most people need:
#   make conformance   run the catalogue against the built-in reference client, reports in reports/
#   make test          the harness's own tests (what CI runs)

GO      ?= go
BIN     := bin/lwm2m-conform
SUT     ?= reference
REPORTS ?= reports

.PHONY: all build test vet fixtures conformance bench fuzz clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/lwm2m-conform

vet:
	$(GO) vet ./...

# Unit, integration and suite tests. Fuzz targets run their seed corpora here;
# `make fuzz` runs the fuzzers themselves.
test: build vet
	$(GO) test -count=1 -timeout 15m ./...
	@# The whole catalogue once more through the exec path (the reference
	@# client as a separate process), as a third-party client would run.
	@# Its reports go to a temporary directory, removed afterwards.
	d=$$(mktemp -d) && trap 'rm -rf "$$d"' EXIT && $(BIN) run --sut fixtures/sut/reference-exec.yaml --out "$$d/exec-reports"

# Materialise every PKI world of the catalogue into fixtures/generated/.
fixtures: build
	$(BIN) certgen --out fixtures/generated

# The main job: the whole catalogue against the reference client (or SUT=profile.yaml).
conformance: build
	$(BIN) run --sut $(SUT) --out $(REPORTS)

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./certgen ./client/verify ./runner

# Every fuzz target in the repository, one after the other, each for
# $(FUZZTIME). Targets are found by name (func FuzzX in a _test.go file), so
# a new one is fuzzed without editing this file; go test fuzzes one target
# of one package at a time.
FUZZTIME ?= 60s
fuzz:
	@set -e; for pkg in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do \
		for f in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$pkg/*_test.go); do \
			echo "== $$pkg $$f ($(FUZZTIME))"; \
			$(GO) test $$pkg -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME); \
		done; \
	done

clean:
	rm -rf bin fixtures/generated
	find $(REPORTS) -mindepth 1 ! -name README.md -exec rm -rf {} +

# Interop with Eclipse Leshan: the reference client against Leshan's server
# and bootstrap server. The first run builds the Leshan peers with Maven
# (in a container if there is no mvn) into ~/.cache/lwm2m-conform/leshan;
# they then run as JVMs
# (LESHAN_MODE=process) or as containers of a Docker engine
# (LESHAN_MODE=container: Docker, Docker Desktop or Podman's Docker API; the
# image is built once from the same jars). auto: containers when an engine
# answers. The peers' logs: $(REPORTS)/interop-<mode>/.
LESHAN_MODE ?= auto
LESHAN_SUT  ?= fixtures/sut/leshan-client-device.yaml
.PHONY: interop interop-container harness-image
interop: build
	LWM2M_CONFORM_LESHAN_MODE=$(LESHAN_MODE) LWM2M_CONFORM_INTEROP_EVIDENCE=$(abspath $(REPORTS))/interop-$(LESHAN_MODE) \
		$(GO) test -count=1 -v ./suites/interop -ginkgo.label-filter=interop
	@# Leshan's client as the SUT through the certusage, sni and validity
	@# areas (label x509); its known deviations are in the profile's
	@# baseline, so a change in Leshan's behaviour fails here. Device mode:
	@# four Leshan clients started once and re-provisioned for each case
	@# through bootstrap, which cannot carry the trust-store cells; for
	@# those, LESHAN_SUT=fixtures/sut/leshan-client.yaml (a JVM per case).
	$(BIN) run --sut $(LESHAN_SUT) --label x509 --parallel 4 --out $(REPORTS)/leshan-client

# Container mode only (CI's second interop run, after .ci/container-engine.sh):
# the interop suite and the peers' container tests with Leshan in
# containers, then the harness's own image (docker/test-harness-image.sh).
interop-container: build
	LWM2M_CONFORM_LESHAN_MODE=container LWM2M_CONFORM_INTEROP_EVIDENCE=$(abspath $(REPORTS))/interop-container \
		$(GO) test -count=1 -v ./suites/interop -ginkgo.label-filter=interop
	LWM2M_CONFORM_LESHAN_MODE=container $(GO) test -count=1 -v -run '^TestContainer' ./peers/leshan
	docker/test-harness-image.sh $(REPORTS)/harness-image

# The harness as an image (docker/lwm2m-conform.Dockerfile): lwm2m-conform:latest.
harness-image:
	docker/build-harness-image.sh lwm2m-conform:latest
