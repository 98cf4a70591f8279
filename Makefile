# Interlude -- an IKEv2 daemon built around the Intermediate Exchange (RFC 9242).
#
#   make            build libraries, pluto and whack into build/
#   make demo       (root) install dependencies, build, run west/east through IKE_INTERMEDIATE
#   make check      (root) install dependencies, run the whole test suite
#   make unit       unit tests only
#   make netns      network-namespace scenarios (root)
#   make interop    scenarios against Debian's libreswan (root)
#   make uml        scenarios in User-Mode-Linux guests with kernel ESP (root, /dev/net/tun)
#   make check-asan the unit tests and scenarios under ASan+UBSan
#   make fuzz       build the libFuzzer targets and run each for FUZZ_SECONDS
#   make bench      benchmarks (testing/bench)
#   make bench-scale  a million IKE SAs at once (testing/bench/scale)
#   make man        the man pages (scdoc) into build/man
#   make install    PREFIX=/usr/local DESTDIR= (mk/install.mk); make uninstall
include mk/config.mk
include mk/rules.mk
include mk/tests.mk
include mk/install.mk

.PHONY: all deps demo check unit netns interop uml check-asan fuzz bench bench-scale clean
.DEFAULT_GOAL := all

all: $(PLUTO) $(WHACK) $(UPDOWN_SCRIPT)

deps:
	testing/install-deps

demo: deps
	$(MAKE) all
	testing/netns/run --demo testing/netns/demo

# a scenario is a directory holding a steps file
NETNS_SCENARIOS := $(sort $(dir $(wildcard testing/netns/*/steps)))
INTEROP_SCENARIOS := $(sort $(dir $(wildcard testing/interop/*/steps)))
UML_SCENARIOS := $(sort $(dir $(wildcard testing/uml/*/steps)))

# NETNS_JOBS runners side by side (their scenarios mostly wait for timers)
NETNS_JOBS ?= 2
netns: all
	testing/netns/run-parallel $(NETNS_JOBS) testing/netns/run $(NETNS_SCENARIOS)

interop: all
	testing/interop/run $(INTEROP_SCENARIOS)

uml: all
	testing/uml/run $(UML_SCENARIOS)

check-asan:
	$(MAKE) B=build-asan SANITIZE=1 unit
	$(MAKE) B=build-asan SANITIZE=1 all
	B=build-asan testing/netns/run-parallel $(NETNS_JOBS) testing/netns/run $(NETNS_SCENARIOS)

check: deps
	$(MAKE) all
	$(MAKE) unit
	$(MAKE) netns
	$(MAKE) interop
	$(MAKE) uml
	$(MAKE) check-asan
	$(MAKE) fuzz
	@echo "check: all suites passed"

# the yardsticks of bench_crypto, when installed (libsodium-dev, nettle-dev)
BENCH_CRYPTO := $(B)/testing/bench/bench_crypto
BENCH_XFLAGS := $(shell pkg-config --exists libsodium 2>/dev/null && echo -DBENCH_SODIUM \
	  $$(pkg-config --cflags libsodium)) $(shell pkg-config --exists nettle hogweed 2>/dev/null && \
	  echo -DBENCH_NETTLE $$(pkg-config --cflags nettle hogweed))
BENCH_XLIBS := $(shell pkg-config --exists libsodium 2>/dev/null && pkg-config --libs libsodium) \
	  $(shell pkg-config --exists nettle hogweed 2>/dev/null && pkg-config --libs nettle hogweed && echo -lgmp)
$(BENCH_CRYPTO): testing/bench/bench_crypto.c $(LIBS_ALL)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(BENCH_XFLAGS) $(LDFLAGS) -o $@ $< $(LIBS_ALL) $(PKG_LIBS) $(BENCH_XLIBS)

# benchmarks: never part of `make check`; BENCH_N IKE SAs per suite
BENCH_N ?= 5000
BENCH_RUNS ?= 3
bench: all $(BENCH_CRYPTO)
	testing/bench/run $(BENCH_N) $(BENCH_RUNS)

# scale mode: BENCH_SCALE_N IKE SAs kept up at once (testing/bench/scale)
BENCH_SCALE_N ?= 1000000
bench-scale: all
	testing/bench/scale $(BENCH_SCALE_N)

clean:
	rm -rf build build-asan build-fuzz
