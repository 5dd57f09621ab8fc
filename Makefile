# WattBit: the two commands a fresh machine needs are `make demo` and `make test`.
SWIFT ?= swift
BIN := .build/release
# make install PREFIX=/usr/local DESTDIR=/staging WITH_QGIS=1 (QGIS_PLUGIN_DIR=…): see tools/install.
PREFIX ?= /usr/local
DESTDIR ?=
WITH_QGIS ?=
QGIS_PLUGIN_DIR ?=

.PHONY: setup build release demo test fuzz bench geodata screenshot docs clean install uninstall

setup:
	@tools/setup

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release

# The whole Japan scenario on the embedded geodata: hubs → cable routes → fiber gaps → map.
demo: release
	@tools/demo

# Unit and end-to-end tests, then the system tests in tools/tests/ (install, GDAL pipelines,
# QGIS provider under qgis_process); `tools/setup --test` installs GDAL and QGIS for them.
test:
	@tools/setup --test
	$(SWIFT) build -c release
	$(SWIFT) test
	@tools/tests/run-all
	@tools/fuzz --short

# Hostile and mutated input for every planner input (tools/fuzz); FUZZ_SECONDS of random
# mutations after every hand-made class on a file, stdin and a FIFO.
# Then libFuzzer on the Swift readers (GeoJSON, mesh CSV, AAIGrid), LIBFUZZER_SECONDS each;
# skipped, and said so, where the toolchain cannot build with -sanitize=fuzzer.
FUZZ_SECONDS ?= 1800
LIBFUZZER_SECONDS ?= 300
fuzz: release
	@tools/fuzz --seconds $(FUZZ_SECONDS)
	@tools/libfuzzer/run $(LIBFUZZER_SECONDS) || [ $$? -eq 69 ]

# docs/demo-map.png, the README's picture, from the demo's map.
screenshot: demo
	@tools/screenshot out/index.html docs/demo-map.png

# Regenerates the parameter tables in docs/planners/ from the planners' manifests.
docs: release
	@tools/gen-docs

# bin/, libexec/wattbit (shipped plugins), share/wattbit/geodata, man pages, completions;
# WITH_QGIS=1 also puts the QGIS Processing provider where QGIS finds it.
install: release
	@tools/install install --prefix "$(PREFIX)" $(if $(DESTDIR),--destdir "$(DESTDIR)") \
		$(if $(WITH_QGIS),--with-qgis) $(if $(QGIS_PLUGIN_DIR),--qgis-plugin-dir "$(QGIS_PLUGIN_DIR)")

uninstall:
	@tools/install uninstall --prefix "$(PREFIX)" $(if $(DESTDIR),--destdir "$(DESTDIR)")

bench: release
	@tools/bench/run

geodata:
	@tools/build-geodata

clean:
	rm -rf .build out
