# mamori — the two commands of the README are `make run` and `make test`.
#   make        build build/mamori (the web UI is built and embedded)
#   make run    install what is missing, build, start the demo on http://127.0.0.1:8080
#   make test   install what is missing, build with ASan+UBSan, run every test
#   make bench  the benchmarks of bench/ (figures go to docs/performance.md)

BUILD      ?= build
TESTBUILD  ?= build-test
LISTEN     ?= 127.0.0.1:8080
WEB_SRC     = $(shell find web/src web/index.html web/vite.config.ts web/package.json -type f 2>/dev/null)

.PHONY: all deps run test bench fuzz clean web

all: $(BUILD)/mamori

deps:
	@scripts/deps.sh build

web: web/dist/index.html

web/dist/index.html: $(WEB_SRC) web/package-lock.json
	@scripts/deps.sh build >/dev/null
	cd web && npm run build --silent
	@touch $@

$(BUILD)/build.ninja:
	@scripts/deps.sh build
	meson setup $(BUILD) -Dtests=disabled

$(BUILD)/mamori: web/dist/index.html $(BUILD)/build.ninja FORCE
	ninja -C $(BUILD) mamori

run: deps $(BUILD)/mamori
	@scripts/run-demo.sh $(BUILD)/mamori $(LISTEN)

test:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory web/dist/index.html
	@scripts/test.sh $(TESTBUILD)

bench: $(BUILD)/mamori
	@scripts/deps.sh bench
	bench/run.sh $(BUILD)/mamori

clean:
	rm -rf $(BUILD) $(TESTBUILD) web/dist

FORCE:
