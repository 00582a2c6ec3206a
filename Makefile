# SPDX-License-Identifier: GPL-2.0
# vasx — explore the virtual address space of a Linux process.

VERSION := 0.1.0

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=
CC ?= cc
AR ?= ar
PKG_CONFIG ?= pkg-config
KDIR ?= /lib/modules/$(shell uname -r)/build

CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Wshadow -Wpointer-arith -Wcast-align -Wwrite-strings \
	-Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wundef \
	-Wvla -Wnull-dereference -Wimplicit-fallthrough
DEFS := -D_GNU_SOURCE -DVASX_VERSION='"$(VERSION)"'
PKGS := ncursesw libproc2 libkmod
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)
ALL_CFLAGS = -std=c11 $(WARN) $(DEFS) -Iinclude -Itui $(PKG_CFLAGS) $(CFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS)
# cmocka's assertions are not known to stop, so checked pointers look nullable.
TEST_CFLAGS = $(ALL_CFLAGS) -Wno-null-dereference

ifeq ($(V),1)
Q :=
else
Q := @
endif

B ?= build
# The program: ./vasx for the default build directory, $(B)/vasx for any
# other (so a sanitizer build in another B never replaces ./vasx).
PROG := $(if $(filter build,$(B)),vasx,$(B)/vasx)
CORE_SRC := $(sort $(wildcard core/*.c))
TUI_SRC := $(sort $(filter-out tui/main.c,$(wildcard tui/*.c)))
TEST_SRC := $(sort $(wildcard tests/test_*.c))
TEST_HELPERS := $(sort $(wildcard tests/vasx-*.c))
BENCH_SRC := $(sort $(wildcard tests/bench_*.c))

CORE_OBJ := $(CORE_SRC:%.c=$(B)/%.o)
TUI_OBJ := $(TUI_SRC:%.c=$(B)/%.o)
TESTS := $(TEST_SRC:tests/%.c=$(B)/tests/%)
HELPERS := $(TEST_HELPERS:tests/%.c=$(B)/tests/%)
BENCHES := $(BENCH_SRC:tests/%.c=$(B)/tests/%)

ASAN_B := $(B)/asan
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
ASAN_CORE_OBJ := $(CORE_SRC:%.c=$(ASAN_B)/%.o)
ASAN_TUI_OBJ := $(TUI_SRC:%.c=$(ASAN_B)/%.o)
ASAN_TESTS := $(TEST_SRC:tests/%.c=$(ASAN_B)/tests/%)

.PHONY: all run check unit unit-asan bench fuzz install uninstall clean deps deps-test \
	deps-kernel module module-clean dkms-install dkms-uninstall helpers tests

all: $(PROG)

$(PROG): $(B)/tui/main.o $(B)/libvasxtui.a $(B)/libvasxcore.a
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(B)/libvasxcore.a: $(CORE_OBJ)
	@echo "  AR      $@"
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(B)/libvasxtui.a: $(TUI_OBJ)
	@echo "  AR      $@"
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(B)/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/tests/test_%: tests/test_%.c $(B)/libvasxtui.a $(B)/libvasxcore.a
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(TEST_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(B)/libvasxtui.a $(B)/libvasxcore.a $(PKG_LIBS) $(CMOCKA_LIBS)

$(B)/tests/bench_%: tests/bench_%.c $(B)/libvasxtui.a $(B)/libvasxcore.a
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(B)/libvasxtui.a $(B)/libvasxcore.a $(PKG_LIBS)

$(B)/tests/vasx-%: tests/vasx-%.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< -lpthread

$(ASAN_B)/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC/SAN  $<"
	$(Q)$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -c -o $@ $<

$(ASAN_B)/tests/test_%: tests/test_%.c $(ASAN_TUI_OBJ) $(ASAN_CORE_OBJ)
	@mkdir -p $(@D)
	@echo "  CC/SAN  $@"
	$(Q)$(CC) $(TEST_CFLAGS) $(ASAN_FLAGS) $(ALL_LDFLAGS) -o $@ $(filter %.c %.o,$^) $(PKG_LIBS) $(CMOCKA_LIBS)

helpers: $(HELPERS)
tests: $(TESTS) $(HELPERS)

# Set-up: install what is missing (apt-get as root, else print the command).
deps:
	$(Q)sh tests/deps.sh build
deps-test:
	$(Q)sh tests/deps.sh test
deps-kernel:
	$(Q)sh tests/deps.sh kernel

run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(abspath $(PROG)) $(ARGS)

# Every suite: unit tests, the same under ASan+UBSan, then the scripted
# suites (command line, screen tests in tmux, kernel tests under QEMU).
check: deps-test
	$(Q)$(MAKE) --no-print-directory all tests
	$(Q)$(MAKE) --no-print-directory $(ASAN_TESTS)
	$(Q)sh tests/run.sh $(B)

unit: $(TESTS)
	$(Q)sh tests/run.sh $(B) unit

unit-asan: $(ASAN_TESTS)
	$(Q)sh tests/run.sh $(B) asan

# Fuzz every parser for FUZZ_SECONDS each (default 5 minutes); make check
# runs the same targets for about 20 s each.
FUZZ_SECONDS ?= 300
fuzz: deps-test
	$(Q)FUZZ_SECONDS=$(FUZZ_SECONDS) B=$(abspath $(B)) sh tests/fuzz/run.sh

bench: deps-test
	$(Q)$(MAKE) --no-print-directory all helpers $(BENCHES)
	$(Q)sh tests/bench.sh $(B)

module:
	$(Q)if [ ! -d "$(KDIR)" ]; then \
		echo "make module: no kernel headers at $(KDIR)."; \
		echo "Install them (Debian: apt-get install linux-headers-\$$(uname -r)) or set KDIR=."; \
		exit 1; fi
	$(Q)$(MAKE) -C module KDIR=$(KDIR)

module-clean:
	$(Q)$(MAKE) -C module clean KDIR=$(KDIR) 2>/dev/null || true

dkms-install:
	$(Q)sh module/dkms-install.sh install $(VERSION)

dkms-uninstall:
	$(Q)sh module/dkms-install.sh uninstall $(VERSION)

install: $(PROG)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(PROG) $(DESTDIR)$(BINDIR)/vasx
	install -m 0644 man/vasx.1 $(DESTDIR)$(MANDIR)/man1/vasx.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/vasx $(DESTDIR)$(MANDIR)/man1/vasx.1

clean:
	rm -rf $(B) $(PROG)
	$(Q)$(MAKE) -C module clean KDIR=$(KDIR) >/dev/null 2>&1 || true

-include $(shell find $(B) -name '*.d' 2>/dev/null)
