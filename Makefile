# sinch.est development commands. `make help` lists them; CONTRIBUTING.md explains the layout.
# Every target creates what it needs (`make test` on a fresh clone works), and can be re-run.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.SUFFIXES:

PYTHON      ?= python3
VENV        := .venv
BIN         := $(CURDIR)/$(VENV)/bin
EMULATOR_HOST ?= 127.0.0.1
EMULATOR_PORT ?= 8765
# The emulator's SIP edge (UDP and TCP, same number) in `make emulator` and `make demo`; 0 = a free port.
SIP_PORT    ?= 5080
COLLECTION_LINK := .ansible/collections/ansible_collections/sinch/est

# The stages of `make test`, in order; "a+b" runs a and b in parallel (tools/run-stages.sh).
# integration and reliability each start their own emulators on free ports and spend much of
# their time waiting on them, so they share the two cores well.
# sip and sbc drive real SIP traffic (SIPp, Kamailio) with timing-sensitive cases (calls per
# second, failover timeouts): they run together, after the CPU-heavy integration group.
TEST_STAGES ?= install sanity-oldest+sanity-newest units-oldest units-newest emulator-test \
               integration+reliability sip+sbc eda lint docs-lint build importer molecule
# tests/reliability starts one emulator per pytest worker (session fixture) and resets it per
# test, so it runs under xdist; its tests mostly wait on ansible-playbook and the emulator.
RELIABILITY_WORKERS ?= 4

.PHONY: help install install-main install-oldest install-newest install-importer install-runtime \
        install-eda link demo test sanity sanity-oldest sanity-newest units units-oldest units-newest \
        emulator-test integration lint docs-lint build importer release molecule reliability bench \
        emulator test-live clean distclean eda install-sip sip sbc

help:  ## this list
	@awk 'BEGIN { FS = ":.*## " } /^[a-z-]+:.*## / { printf "  make %-15s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

## ---- environments -------------------------------------------------------------------------
install: install-main install-oldest install-newest install-eda install-sip link  ## .venv (+ .venv-oldest/.venv-newest for ansible-test, .venv-eda), SIPp and Kamailio, and the sinch.est link

install-main:
	@tools/mkvenv.sh $(VENV) $(PYTHON) tests/requirements.txt tests/emulator

# Exit 3 = that Python is not on this machine: say so loudly, the stages that need it skip.
install-oldest:
	@tools/mkvenv.sh .venv-oldest 3.10 tests/requirements-oldest.txt || [ $$? -eq 3 ]

install-newest:
	@tools/mkvenv.sh .venv-newest 3.12 tests/requirements-newest.txt || [ $$? -eq 3 ]

# ansible-rulebook in a venv of its own, and the Java 17+ runtime its rule engine needs
# (Debian's openjdk-17-jre-headless, installed only where no such java is on PATH).
install-eda:  ## .venv-eda: ansible-rulebook, ansible-core, the emulator; Java 17 where missing
	@tools/mkvenv.sh .venv-eda $(PYTHON) tests/requirements-eda.txt tests/emulator
	@if java -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])'; then \
		echo "install-eda: $$(java -version 2>&1 | head -n 1)"; \
	else \
		echo "install-eda: no Java 17+ runtime; installing openjdk-17-jre-headless"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
		java -version 2>&1 | head -n 1; \
	fi

# SIPp (Debian sip-tester) plays the SIP cases of tests/sip and the SIP bench; Kamailio is the SBC
# of tests/sbc. Installed from Debian only where the binary is not on PATH (as install-eda does Java).
install-sip:  ## SIPp and Kamailio (Debian sip-tester, kamailio) where missing
	@missing=""; \
	command -v sipp >/dev/null 2>&1 || missing="$$missing sip-tester"; \
	command -v kamailio >/dev/null 2>&1 || [ -x /usr/sbin/kamailio ] || missing="$$missing kamailio"; \
	if [ -n "$$missing" ]; then \
		echo "install-sip: installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null \
			|| { echo "install-sip: *** apt-get could not install$$missing ***" >&2; exit 1; }; \
	fi; \
	echo "install-sip: $$(sipp -v 2>/dev/null | grep -o 'SIPp v[^ ]*' | head -n 1), $$(PATH="$$PATH:/usr/sbin" kamailio -v 2>/dev/null | head -n 1 | cut -d' ' -f2-3)"

# galaxy-importer has its own venv (its attrs pin clashes with .venv's tools); .venv-runtime is the
# "fresh environment" of `make importer`: ansible-core and requests only.
install-importer:
	@tools/mkvenv.sh .venv-importer $(PYTHON) tests/requirements-importer.txt
install-runtime:
	@tools/mkvenv.sh .venv-runtime $(PYTHON) tests/requirements-runtime.txt

link:
	@mkdir -p $(dir $(COLLECTION_LINK))
	@ln -sfn ../../../.. $(COLLECTION_LINK)
	@test -f $(COLLECTION_LINK)/galaxy.yml && echo "link: $(COLLECTION_LINK) -> $(CURDIR)"

## ---- use ----------------------------------------------------------------------------------
# Ctrl-C: tools/demo.sh stops the emulator, prints one line and exits 130. make got the same
# SIGINT from the terminal and dies of it after this recipe, so its exit status says
# "interrupted"; taking 130 as success here only spares make's own "Error 130" line.
demo: install-main link  ## emulator + playbooks/site.yml twice (second run must be changed=0)
	@EST_SIP_PORT=$(SIP_PORT) tools/demo.sh || [ $$? -eq 130 ]

emulator: install-main  ## the emulator in the foreground on 127.0.0.1:8765, SIP on udp/tcp 127.0.0.1:5080
	$(BIN)/est-emulator --host $(EMULATOR_HOST) --port $(EMULATOR_PORT) --sip-port $(SIP_PORT)

## ---- tests --------------------------------------------------------------------------------
test:  ## everything CI runs, with a timing table per stage
	@tools/run-stages.sh $(TEST_STAGES)

sanity: sanity-oldest sanity-newest  ## ansible-test sanity, oldest (2.16/py3.10) and newest core (py3.12), no ignore file

# No ignore file and no --skip-test: every test runs. Tests whose tool is missing here
# (pslint needs pwsh; no .ps1 files) skip themselves.
sanity-oldest:
	@tools/ansible-test.sh oldest sanity
sanity-newest:
	@tools/ansible-test.sh newest sanity

units: units-oldest units-newest  ## ansible-test units on both cores (installs tests/unit/requirements.txt)

units-oldest:
	@tools/ansible-test.sh oldest units --requirements
units-newest:
	@tools/ansible-test.sh newest units --requirements

# A suite that is missing or collects no test fails its stage (pytest exits 4 or 5): never a silent skip.
emulator-test: install-main  ## pytest tests/emulator/tests
	@$(BIN)/python -m pytest -p no:cacheprovider tests/emulator/tests

integration: install-main  ## ansible-test integration, every target, against a fresh emulator
	@tools/integration.sh

lint: install-main link  ## ansible-lint, production profile
	@$(BIN)/ansible-lint --profile production

docs-lint: install-main  ## antsibull-docs lint-collection-docs --plugin-docs + antsibull-changelog lint
	@tools/docs-lint.sh

build: install-main  ## galaxy tarball into build/ (changelog released), installed and checked with ansible-doc
	@tools/build-check.sh

importer: install-main install-importer install-runtime link  ## galaxy-importer on the tarball (no warning), then the tarball alone in a fresh ansible-core + requests venv
	@tools/importer.sh

release: install-main  ## release galaxy.yml's version in the working tree (CHANGELOG.md, changelog.yaml), then make build
	@PATH="$(BIN):$$PATH" $(BIN)/antsibull-changelog release
	@$(MAKE) --no-print-directory build

molecule: install-main link  ## molecule test (extensions/molecule/default)
	@test -f extensions/molecule/default/molecule.yml
	@cd extensions && PATH="$(BIN):$$PATH" $(BIN)/molecule test

eda: install-eda link  ## the sinch.est.calls event source (tests/eda) and asr_watch.yml through ansible-rulebook
	@rm -f build/eda-figures.txt
	@PATH="$(CURDIR)/.venv-eda/bin:$$PATH" .venv-eda/bin/python -m pytest -p no:cacheprovider -q tests/eda
	@if [ -f build/eda-figures.txt ]; then echo "== measured (build/eda-figures.txt) =="; cat build/eda-figures.txt; fi

# Each suite starts its own emulator with --sip-port 0 and configures it through the modules only.
sip: install-main link install-sip  ## SIP calls with SIPp against the emulator's SIP edge (tests/sip)
	@PATH="$(BIN):$$PATH" $(BIN)/python -m pytest -p no:cacheprovider tests/sip

sbc: install-main link install-sip  ## the Kamailio SBC role against the emulator's SIP edge (tests/sbc)
	@PATH="$(BIN):$$PATH" $(BIN)/python -m pytest -p no:cacheprovider tests/sbc

reliability: install-main link  ## fault-injection tests (tests/reliability)
	@$(BIN)/python -m pytest -p no:cacheprovider -n $(RELIABILITY_WORKERS) tests/reliability

bench: install-main link install-sip  ## benchmarks (SIP load with SIPp included); writes docs/docsite/rst/performance.rst tables
	@PATH="$(BIN):$$PATH" $(BIN)/python tests/bench/run.py

test-live: install-main  ## integration targets against a real project (SINCH_* variables), else skipped
	@tools/test-live.sh

## ---- housekeeping -------------------------------------------------------------------------
clean:  ## build output, staged trees, ansible-test output (keeps the venvs)
	rm -rf build tests/output .pytest_cache
	find . -name __pycache__ -type d -not -path './.venv*' -prune -exec rm -rf {} +

distclean: clean  ## clean + the venvs and .ansible
	rm -rf $(VENV) .venv-oldest .venv-newest .venv-eda .venv-importer .venv-runtime .ansible
