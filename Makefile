# The two commands of README.md, plus the pieces they are made of.
.PHONY: demo test deps build build-asan lint fuzz bench clean

JOBS ?= $(shell nproc)

demo:                     ## install and build what is missing, run the demo (scripts/demo.sh); Ctrl-C stops it
	./scripts/demo.sh

test:                     ## set up, build with ASan+UBSan, run every test, fuzz smoke and lint
	./scripts/test.sh

deps:
	./scripts/install-deps.sh

build: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS)
	./scripts/install-ui.sh

build-asan: deps
	cmake --preset asan
	cmake --build --preset asan -j $(JOBS)

lint: build-asan
	./scripts/lint.sh

fuzz: build-asan          ## run every fuzz target for FUZZ_SECONDS (default 60) each
	./scripts/fuzz.sh build/asan/bin $${FUZZ_SECONDS:-60}

bench: build              ## run every benchmark (see bench/README.md)
	./scripts/bench.sh

clean:
	rm -rf build
