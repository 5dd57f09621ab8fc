# WattBit: the two commands a fresh machine needs are `make demo` and `make test`.
SWIFT ?= swift
BIN := .build/release

.PHONY: setup build release demo test bench geodata screenshot docs clean

setup:
	@tools/setup

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release

# The whole Japan scenario on the embedded geodata: hubs → cable routes → fiber gaps → map.
demo: release
	@tools/demo

test: setup
	$(SWIFT) build -c release
	$(SWIFT) test

# docs/demo-map.png, the README's picture, from the demo's map.
screenshot: demo
	@tools/screenshot out/index.html docs/demo-map.png

# Regenerates the parameter tables in docs/planners/ from the planners' manifests.
docs: release
	@tools/gen-docs

bench: release
	@tools/bench/run

geodata:
	@tools/build-geodata

clean:
	rm -rf .build out
