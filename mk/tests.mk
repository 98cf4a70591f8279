# mk/tests.mk -- unit tests (cmocka), scenarios, interop, sanitizers, fuzzing.
UNIT_SRC  := $(wildcard testing/unit/test_*.c)
UNIT_BINS := $(patsubst testing/unit/%.c,$(B)/testing/unit/%,$(UNIT_SRC))
UNIT_HELPERS := $(filter-out testing/unit/test_%.c,$(wildcard testing/unit/*.c))
UNIT_HELPER_OBJS := $(call obj,$(UNIT_HELPERS))
# The helper objects are prerequisites only through the pattern rules below, which
# would make them intermediate files that make deletes after each run (and so
# rebuilds every time); they are kept.  Each test binary records the headers it
# includes (-MMD, picked up by rules.mk's -include of $(B)'s .d files).
.SECONDARY: $(UNIT_HELPER_OBJS)
UNIT_DEPFLAGS = -MMD -MP -MT $@ -MF $@.d

$(B)/testing/unit/%: testing/unit/%.c $(UNIT_HELPER_OBJS) $(LIBS_ALL)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(UNIT_DEPFLAGS) -Itesting/unit -DVECTORS_DIR='"$(VECTORS)"' -DSRCDIR='"$(CURDIR)"' \
	  $(LDFLAGS) -o $@ $< $(UNIT_HELPER_OBJS) $(LIBS_ALL) $(PKG_LIBS) $(CMOCKA_LIBS)

# The shared test vectors (../shared/vectors); testing/vectors holds our own.
VECTORS ?= $(abspath $(CURDIR)/../shared/vectors)

# test_pluto_*.c also link the daemon's modules (all but main in pluto.c)
PLUTO_LIB_OBJS := $(call obj,$(filter-out programs/pluto/pluto.c,$(PLUTO_SRC)))
$(B)/testing/unit/test_pluto_%: testing/unit/test_pluto_%.c $(UNIT_HELPER_OBJS) $(PLUTO_LIB_OBJS) $(LIBS_ALL)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(UNIT_DEPFLAGS) -Itesting/unit -Iprograms/pluto -DVECTORS_DIR='"$(VECTORS)"' -DSRCDIR='"$(CURDIR)"' \
	  $(LDFLAGS) -o $@ $< $(UNIT_HELPER_OBJS) $(PLUTO_LIB_OBJS) $(LIBS_ALL) $(PKG_LIBS) $(CAPNG_LIBS) $(CMOCKA_LIBS)

unit: $(UNIT_BINS) $(PLUTO) $(WHACK) $(UPDOWN_SCRIPT)
	@testing/unit/run-unit $(UNIT_BINS)
	@testing/unit/check-hardening $(if $(filter 1,$(HARDEN_FORTIFY)),--fortify) $(PLUTO) $(WHACK)
	@testing/unit/check-configs $(PLUTO)
	@testing/unit/check-man $(MAN_PAGES)

# Fuzz targets (clang libFuzzer); FUZZ_SECONDS per target.  testing/fuzz/README.md.
# Built with the project's warnings and FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION (a
# seeded crypt_random(), lib/libcrypt/init.c); fuzz_pluto_* also link the daemon's
# modules.  Before each run: the committed crash inputs (testing/fuzz/regress/<target>)
# are replayed, and the seeds are made (testing/fuzz/make-seeds from ../shared/vectors,
# and the target's own FUZZ_SEEDS mode where it has one).
FUZZ_SRC := $(wildcard testing/fuzz/fuzz_*.c)
FUZZ_SECONDS ?= 20
FUZZ_B := build-fuzz
FUZZ_DEFS := -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
FUZZ_WARN := $(filter-out -Wno-format-truncation,$(WARN))
FUZZ_PLUTO_OBJS := $(patsubst %.c,$(FUZZ_B)/%.o,$(filter-out programs/pluto/pluto.c,$(PLUTO_SRC)))
FUZZ_LIBS := $(FUZZ_B)/lib/libconf.a $(FUZZ_B)/lib/libike.a $(FUZZ_B)/lib/libcrypt.a $(FUZZ_B)/lib/libbase.a
.PHONY: fuzz-build fuzz-long
fuzz-build:
	$(MAKE) B=$(FUZZ_B) CC=clang SANITIZE=1 \
	  CFLAGS="-O1 -g $(FUZZ_DEFS) -fsanitize=fuzzer-no-link" $(FUZZ_LIBS) $(FUZZ_PLUTO_OBJS)
	@set -e; for f in $(FUZZ_SRC); do \
	  n=$$(basename $$f .c); \
	  case $$n in fuzz_pluto_*) extra="-Iprograms/pluto $(FUZZ_PLUTO_OBJS)"; xlibs="$(CAPNG_LIBS)";; \
	    *) extra=""; xlibs="";; esac; \
	  clang -std=c17 -D_GNU_SOURCE $(FUZZ_DEFS) $(FUZZ_WARN) -Iinclude $(PKG_CFLAGS) -O1 -g \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	    -o $(FUZZ_B)/$$n $$f $$extra $(FUZZ_LIBS) $(PKG_LIBS) $$xlibs; \
	done
	@rm -rf $(FUZZ_B)/seeds; mkdir -p $(FUZZ_B)/seeds
	@if [ -d "$(VECTORS)" ]; then testing/fuzz/make-seeds "$(VECTORS)" $(FUZZ_B)/seeds; fi
	@for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	  if grep -q FUZZ_SEEDS $$f; then FUZZ_SEEDS=$(FUZZ_B)/seeds/$$n $(FUZZ_B)/$$n >/dev/null 2>&1 || exit 1; fi; \
	done

fuzz: fuzz-build
	@set -e; for f in $(FUZZ_SRC); do \
	  n=$$(basename $$f .c); \
	  mkdir -p $(FUZZ_B)/corpus/$$n $(FUZZ_B)/seeds/$$n; \
	  if [ -d testing/fuzz/regress/$$n ]; then \
	    echo "fuzz: $$n: replaying testing/fuzz/regress/$$n"; \
	    if ! $(FUZZ_B)/$$n testing/fuzz/regress/$$n/* >$(FUZZ_B)/$$n.regress.log 2>&1; then \
	      tail -40 $(FUZZ_B)/$$n.regress.log; echo "fuzz: $$n regression FAILED"; exit 1; fi; \
	  fi; \
	  echo "fuzz: $$n for $(FUZZ_SECONDS)s"; \
	  if ! $(FUZZ_B)/$$n -max_total_time=$(FUZZ_SECONDS) $(FUZZ_B)/corpus/$$n \
	      $$(ls -d testing/fuzz/corpus/$$n $(FUZZ_B)/seeds/$$n 2>/dev/null) \
	      >$(FUZZ_B)/$$n.log 2>&1; then tail -40 $(FUZZ_B)/$$n.log; echo "fuzz: $$n FAILED"; exit 1; fi; \
	  grep -E '^Done [0-9]+ runs' $(FUZZ_B)/$$n.log; \
	  grep -E '^#[0-9]+[[:space:]]+DONE' $(FUZZ_B)/$$n.log || true; \
	done

# every target for FUZZ_SECONDS each (default 5 minutes); not part of `make check`
fuzz-long:
	$(MAKE) fuzz FUZZ_SECONDS=$(if $(filter command line,$(origin FUZZ_SECONDS)),$(FUZZ_SECONDS),300)
