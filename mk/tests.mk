# mk/tests.mk -- unit tests (cmocka), scenarios, interop, sanitizers, fuzzing.
UNIT_SRC  := $(wildcard testing/unit/test_*.c)
UNIT_BINS := $(patsubst testing/unit/%.c,$(B)/testing/unit/%,$(UNIT_SRC))
UNIT_HELPERS := $(filter-out testing/unit/test_%.c,$(wildcard testing/unit/*.c))

$(B)/testing/unit/%: testing/unit/%.c $(call obj,$(UNIT_HELPERS)) $(LIBS_ALL)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itesting/unit -DVECTORS_DIR='"$(VECTORS)"' -DSRCDIR='"$(CURDIR)"' \
	  $(LDFLAGS) -o $@ $< $(call obj,$(UNIT_HELPERS)) $(LIBS_ALL) $(PKG_LIBS) $(CMOCKA_LIBS)

# The shared test vectors (../shared/vectors); testing/vectors holds our own.
VECTORS ?= $(abspath $(CURDIR)/../shared/vectors)

# test_pluto_*.c also link the daemon's modules (all but main in pluto.c)
PLUTO_LIB_OBJS := $(call obj,$(filter-out programs/pluto/pluto.c,$(PLUTO_SRC)))
$(B)/testing/unit/test_pluto_%: testing/unit/test_pluto_%.c $(call obj,$(UNIT_HELPERS)) $(PLUTO_LIB_OBJS) $(LIBS_ALL)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itesting/unit -Iprograms/pluto -DVECTORS_DIR='"$(VECTORS)"' -DSRCDIR='"$(CURDIR)"' \
	  $(LDFLAGS) -o $@ $< $(call obj,$(UNIT_HELPERS)) $(PLUTO_LIB_OBJS) $(LIBS_ALL) $(PKG_LIBS) $(CAPNG_LIBS) $(CMOCKA_LIBS)

unit: $(UNIT_BINS) $(PLUTO) $(WHACK)
	@testing/unit/run-unit $(UNIT_BINS)
	@testing/unit/check-hardening $(if $(filter 1,$(HARDEN_FORTIFY)),--fortify) $(PLUTO) $(WHACK)

# Fuzz targets (clang libFuzzer); FUZZ_SECONDS per target.
FUZZ_SRC := $(wildcard testing/fuzz/fuzz_*.c)
FUZZ_SECONDS ?= 20
FUZZ_B := build-fuzz
fuzz:
	$(MAKE) B=$(FUZZ_B) CC=clang SANITIZE=1 \
	  CFLAGS="-O1 -g -fsanitize=fuzzer-no-link" $(FUZZ_B)/lib/libike.a $(FUZZ_B)/lib/libconf.a $(FUZZ_B)/lib/libcrypt.a
	@set -e; for f in $(FUZZ_SRC); do \
	  n=$$(basename $$f .c); \
	  clang -std=c17 -D_GNU_SOURCE -Iinclude $(PKG_CFLAGS) -O1 -g -fsanitize=fuzzer,address,undefined \
	    -o $(FUZZ_B)/$$n $$f $(FUZZ_B)/lib/libike.a $(FUZZ_B)/lib/libconf.a $(FUZZ_B)/lib/libcrypt.a $(FUZZ_B)/lib/libike.a $(PKG_LIBS); \
	  mkdir -p $(FUZZ_B)/corpus/$$n; \
	  echo "fuzz: $$n for $(FUZZ_SECONDS)s"; \
	  if ! $(FUZZ_B)/$$n -max_total_time=$(FUZZ_SECONDS) $(FUZZ_B)/corpus/$$n testing/fuzz/corpus/$$n \
	      >$(FUZZ_B)/$$n.log 2>&1; then tail -40 $(FUZZ_B)/$$n.log; echo "fuzz: $$n FAILED"; exit 1; fi; \
	  grep -E '^Done [0-9]+ runs' $(FUZZ_B)/$$n.log; \
	done
