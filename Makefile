# WattBit: the two commands a fresh machine needs are `make demo` and `make test`.
SWIFT ?= swift
BIN := .build/release

.PHONY: setup build release demo test bench geodata clean

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

bench: release
	@tools/bench/run

geodata:
	@tools/build-geodata

clean:
	rm -rf .build out
