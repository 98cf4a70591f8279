# mk/rules.mk -- libraries and programs.  Sources are found by wildcard: adding a
# module to a directory needs no Makefile change.
LIBBASE_SRC  := $(wildcard lib/libbase/*.c)
LIBIKE_SRC   := $(wildcard lib/libike/*.c lib/libike/codec/*.c)
LIBCRYPT_SRC := $(wildcard lib/libcrypt/*.c)
LIBCONF_SRC  := $(wildcard lib/libconf/*.c)
PLUTO_SRC    := $(wildcard programs/pluto/*.c)
WHACK_SRC    := $(wildcard programs/whack/*.c)

obj = $(patsubst %.c,$(B)/%.o,$(1))

LIBBASE  := $(B)/lib/libbase.a
LIBIKE   := $(B)/lib/libike.a
LIBCRYPT := $(B)/lib/libcrypt.a
LIBCONF  := $(B)/lib/libconf.a
# in link order: each library uses only those after it (libbase at the bottom)
LIBS_ALL := $(LIBCONF) $(LIBIKE) $(LIBCRYPT) $(LIBBASE)

PLUTO := $(B)/programs/pluto/pluto
WHACK := $(B)/programs/whack/whack
# the default updown script ("ipsec _updown"), beside pluto where pluto looks for it
UPDOWN_SCRIPT := $(B)/programs/pluto/_updown

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIBBASE): $(call obj,$(LIBBASE_SRC))
$(LIBIKE): $(call obj,$(LIBIKE_SRC))
$(LIBCRYPT): $(call obj,$(LIBCRYPT_SRC))
$(LIBCONF): $(call obj,$(LIBCONF_SRC))
$(B)/lib/%.a:
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(PLUTO): $(call obj,$(PLUTO_SRC)) $(LIBS_ALL)
	$(CC) $(LDFLAGS) -o $@ $(call obj,$(PLUTO_SRC)) $(LIBS_ALL) $(PKG_LIBS) $(CAPNG_LIBS)

$(UPDOWN_SCRIPT): programs/updown/_updown
	@mkdir -p $(dir $@)
	install -m 0755 $< $@

$(WHACK): $(call obj,$(WHACK_SRC)) $(LIBS_ALL)
	$(CC) $(LDFLAGS) -o $@ $(call obj,$(WHACK_SRC)) $(LIBS_ALL) $(PKG_LIBS)

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# ML-KEM and Keccak (ours, FIPS 203 / 202): -O3 lets GCC vectorize the NTT loops
# (ML-KEM-768 KeyGen+Encaps+Decaps about 10% faster); the sanitizer build keeps -O1.
ifneq ($(SANITIZE),1)
$(B)/lib/libcrypt/mlkem.o $(B)/lib/libcrypt/keccak.o: override CFLAGS += -O3
endif
