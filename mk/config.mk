# mk/config.mk -- compiler, flags and dependencies (through pkg-config).
CC      ?= gcc
B       ?= build
PKGS    := nss nspr libevent libmnl
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
