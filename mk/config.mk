# mk/config.mk -- compiler, flags and dependencies (through pkg-config).
CC      ?= gcc
B       ?= build
PKGS    := nss nspr libcrypto libevent libmnl libseccomp
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)
CAPNG_LIBS  := $(shell pkg-config --libs libcap-ng 2>/dev/null)

WARN    := -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes \
           -Wmissing-prototypes -Wno-unused-parameter
CFLAGS  ?= -O2 -g
# snprintf truncation is intended where it is used (log lines, status)
ifneq ($(findstring clang,$(CC)),clang)
WARN    += -Wno-format-truncation
endif
override CFLAGS += -std=c17 -D_GNU_SOURCE -fno-strict-aliasing $(WARN) -Iinclude $(PKG_CFLAGS)
# SANITIZE=1: AddressSanitizer + UndefinedBehaviorSanitizer build (make check-asan)
ifeq ($(SANITIZE),1)
override CFLAGS += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
override LDFLAGS += -fsanitize=address,undefined
endif

# Hardening (not for the fuzz builds, whose flags testing/fuzz owns: their CFLAGS name
# -fsanitize=fuzzer): stack canaries, PIE, full RELRO, format checks, and
# _FORTIFY_SOURCE where the optimisation level allows it and ASan does not replace it
# (the __*_chk wrappers would hide accesses from the sanitizer).
# testing/unit/check-hardening verifies the result on pluto and whack (make unit).
ifeq ($(findstring fuzzer,$(CFLAGS)),)
HARDEN_CFLAGS := -fstack-protector-strong -fPIE -Wformat -Wformat-security
HARDEN_LDFLAGS := -pie -Wl,-z,relro,-z,now
HARDEN_FORTIFY := 0
ifneq ($(SANITIZE),1)
ifneq ($(filter -O2 -O3 -Os,$(CFLAGS)),)
HARDEN_CFLAGS += -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2
HARDEN_FORTIFY := 1
endif
endif
override CFLAGS += $(HARDEN_CFLAGS)
override LDFLAGS += $(HARDEN_LDFLAGS)
endif
