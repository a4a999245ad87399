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
	$(BIN) run --sut fixtures/sut/reference-exec.yaml --out $$(mktemp -d)/exec-reports

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
# and bootstrap server (needs Java 17 + Maven, or a Docker engine; the first
# run builds the Leshan peers into ~/.cache/lwm2m-conform/leshan).
LESHAN_MODE ?= auto
.PHONY: interop
interop: build
	LWM2M_CONFORM_LESHAN_MODE=$(LESHAN_MODE) $(GO) test -count=1 -v ./suites/interop -ginkgo.label-filter=interop
	@# Leshan's client as the SUT through the certusage, sni and validity
	@# areas (label x509); its known deviations are in the profile's
	@# baseline, so a change in Leshan's behaviour fails here.
	$(BIN) run --sut fixtures/sut/leshan-client.yaml --label x509 --parallel 4 --out $(REPORTS)/leshan-client
