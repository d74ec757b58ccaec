# zairyu-tools: one non-recursive GNU Makefile.
#   make            build libzairyu and bin/zr-*
#   make check      all tests (unit, CLI, man pages, fuzz replay, software card)
#   make check-corpus CORPUS=DIR  the sweeps over a folder of real-world files
#   make demo       run the tools on examples/sample, results in out/
#   make sanitize   the same tests built with ASan+UBSan
#   make fuzz       libFuzzer targets (clang), FUZZ_SECONDS each
#   make bench      benchmarks against other tools (installs them if needed)
#   make install    PREFIX=/usr/local DESTDIR=

VERSION    = 0.1.0
SOVERSION  = 0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
LIBDIR    ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR    ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DATADIR   ?= $(PREFIX)/share/zairyu-tools

BUILD     ?= build
# Real-world files for make check-corpus and make bench (never needed by
# make check).
CORPUS    ?= ../shared/corpus
BIN       ?= bin
PKG_CONFIG ?= pkg-config
# poppler-glib and cairo render page thumbnails (lib/pdf/preview.c);
# libtiff reads scanner and fax TIFFs (lib/pdf/pdftiff.c).
PKGS       = libpcsclite libcrypto libjpeg libpng zlib libqpdf poppler-glib cairo \
	     libheif libwebp libtiff-4
# dlib (C++, Debian's libdlib-dev): only lib/image/face_dlib.cc sees its
# headers; the programs link it and the C++ runtime.
DLIB_PKG   = dlib-1
# The 68-point landmark model (Debian's libdlib-data), found at build
# time; ZR_FACE_MODEL overrides it at run time.
FACE_MODEL ?= $(firstword $(wildcard $(PREFIX)/share/dlib/shape_predictor_68_face_landmarks.dat) \
	     /usr/share/dlib/shape_predictor_68_face_landmarks.dat)
# libhpdf-dev 2.3.0 on Debian 12 ships no .pc file.
HPDF_LIBS ?= -lhpdf

# Find the dependencies (build, test and run); install them with scripts/deps
# when one is missing.
NODEPS_GOALS = clean distclean deps help
ifneq ($(filter-out $(NODEPS_GOALS),$(or $(MAKECMDGOALS),all)),)
ifeq ($(ZR_DEPS_CHECKED),)
ifneq ($(shell scripts/deps --check 2>/dev/null && echo yes),yes)
$(info zairyu-tools: dependencies missing: running scripts/deps to install them)
deps_rc := $(shell scripts/deps 1>&2; echo $$?)
ifneq ($(shell scripts/deps --check && echo yes),yes)
$(error dependencies still missing (scripts/deps exited $(deps_rc)); run 'sudo scripts/deps', see README.md)
endif
endif
export ZR_DEPS_CHECKED = 1
endif
endif

# CI (CI=true) turns warnings into errors.
ifeq ($(CI),true)
WERROR ?= 1
endif

CFLAGS    ?= -O2 -g
WARN       = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wconversion \
	     -Wformat=2 -Wvla
ifeq ($(WERROR),1)
WARN      += -Werror
endif
HARDEN    ?= -D_FORTIFY_SOURCE=2 -fstack-protector-strong
ZR_CPPFLAGS = -Ilib/include -Ilib/cli -Itests/unit -D_DEFAULT_SOURCE \
	     $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
ZR_CFLAGS  = $(WARN) $(HARDEN) -fPIC -MMD -MP $(CFLAGS)
ZR_LDLIBS  = $(shell $(PKG_CONFIG) --libs $(PKGS) $(DLIB_PKG) 2>/dev/null) \
	     $(HPDF_LIBS) -lstdc++ -lm
CXX       ?= g++
# FACE_CFLAGS: flags for the dlib file alone (make fuzz builds it
# optimised and uninstrumented: dlib's detector is third-party arithmetic).
FACE_CFLAGS ?= $(CFLAGS)
ZR_CXXFLAGS = -std=c++14 -Wall -Wextra -Wshadow $(HARDEN) -fPIC -MMD -MP \
	     $(FACE_CFLAGS) $(shell $(PKG_CONFIG) --cflags $(DLIB_PKG) 2>/dev/null)
ifeq ($(WERROR),1)
ZR_CXXFLAGS += -Werror
endif
CHECK_CFLAGS = $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS   = $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

# Sources: every lib/GROUP/*.c (but lib/cli) is libzairyu, every cmd/zr-*.c a tool
# (with its own parts in cmd/NAME/*.c, if any).
LIB_SRCS   = $(sort $(filter-out lib/cli/%,$(wildcard lib/*/*.c)))
LIB_CXX_SRCS = $(sort $(wildcard lib/*/*.cc))
CLI_SRCS   = $(sort $(wildcard lib/cli/*.c))
TOOL_SRCS  = $(sort $(wildcard cmd/zr-*.c))
UNIT_SRCS  = $(sort $(wildcard tests/unit/*.c))
SUITE_SRCS = $(sort $(wildcard tests/unit/check_*.c))
FUZZ_SRCS  = $(sort $(wildcard tests/fuzz/fuzz_*.c))
# What every fuzz target links: the shared helpers (temporary files, a
# tiny font) and the software card model (the card targets' scripted card).
FUZZ_UTIL  = tests/fuzz/fuzzutil.c
# The software card: model sources (also linked into the unit tests) and
# the vpcd client program (files named *main.c).
SIM_SRCS   = $(sort $(wildcard tests/cardsim/*.c))
SIM_MODEL  = $(filter-out %main.c,$(SIM_SRCS))
# Small programs the tests use to make inputs (tests/tools/NAME.c).
TEST_TOOL_SRCS = $(sort $(wildcard tests/tools/*.c))

LIB_OBJS   = $(LIB_SRCS:%.c=$(BUILD)/%.o) $(LIB_CXX_SRCS:%.cc=$(BUILD)/%.o)
CLI_OBJS   = $(CLI_SRCS:%.c=$(BUILD)/%.o)
UNIT_OBJS  = $(UNIT_SRCS:%.c=$(BUILD)/%.o) $(SIM_MODEL:%.c=$(BUILD)/%.o)
SIM_OBJS   = $(SIM_SRCS:%.c=$(BUILD)/%.o)
TOOLS      = $(TOOL_SRCS:cmd/%.c=$(BIN)/%)
FUZZ_BINS  = $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_OBJS  = $(FUZZ_UTIL:%.c=$(BUILD)/%.o) $(SIM_MODEL:%.c=$(BUILD)/%.o)
STATICLIB  = $(BUILD)/libzairyu.a
SHAREDLIB  = $(BUILD)/libzairyu.so.$(VERSION)
CLILIB     = $(BUILD)/libzrcli.a
UNIT       = $(BUILD)/check_main
CARDSIM    = $(if $(SIM_SRCS),$(BUILD)/zr-cardsim)
TEST_TOOLS = $(TEST_TOOL_SRCS:tests/tools/%.c=$(BUILD)/tools/%)
# Synthetic test inputs (tests/fixtures.sh), made before the tests run.
FIXTURES   = $(BUILD)/fixtures/.made
MANS       = $(sort $(wildcard man/man*/*.[1-9]))
HEADERS    = $(sort $(wildcard lib/include/zairyu/*.h))

.PHONY: all check check-unit check-cli check-man check-fuzz check-card check-corpus \
	sanitize fuzz bench demo install uninstall clean deps help
.DELETE_ON_ERROR:

all: $(TOOLS) $(STATICLIB) $(SHAREDLIB)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ZR_CPPFLAGS) $(ZR_CFLAGS) -c -o $@ $<

$(BUILD)/%.o: %.cc
	@mkdir -p $(@D)
	$(CXX) -Ilib/include $(ZR_CXXFLAGS) -c -o $@ $<

$(BUILD)/lib/image/face.o: ZR_CPPFLAGS += -DZR_FACE_MODEL_PATH='"$(FACE_MODEL)"'

$(BUILD)/tests/unit/%.o: tests/unit/%.c $(BUILD)/tests/suites.h
	@mkdir -p $(@D)
	$(CC) $(ZR_CPPFLAGS) -I$(BUILD)/tests $(CHECK_CFLAGS) $(ZR_CFLAGS) -c -o $@ $<

$(STATICLIB): $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(SHAREDLIB): $(LIB_OBJS)
	$(CC) -shared -Wl,-soname,libzairyu.so.$(SOVERSION) $(LDFLAGS) -o $@ $^ $(ZR_LDLIBS)
	ln -sf libzairyu.so.$(VERSION) $(BUILD)/libzairyu.so.$(SOVERSION)
	ln -sf libzairyu.so.$(SOVERSION) $(BUILD)/libzairyu.so

$(CLILIB): $(CLI_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

# Tools link libzairyu statically, so bin/ runs without LD_LIBRARY_PATH.
# A tool's own parts, when it has more than one file, are cmd/NAME/*.c
# for bin/zr-NAME (zr-cardtest: cmd/cardtest/).
.SECONDEXPANSION:
$(BIN)/zr-%: $(BUILD)/cmd/zr-%.o \
    $$(addprefix $(BUILD)/,$$(subst .c,.o,$$(wildcard cmd/$$*/*.c))) \
    $(CLILIB) $(STATICLIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(ZR_LDLIBS)

# Unit tests: one Check runner; each tests/unit/check_NAME.c exports
# Suite *zr_NAME_suite(void), listed in a generated header.
$(BUILD)/tests/suites.h: FORCE
	@mkdir -p $(@D)
	@{ for f in $(SUITE_SRCS); do n=$${f#tests/unit/check_}; n=$${n%.c}; \
	   [ $$n = main ] && continue; echo "ZR_SUITE($$n)"; done; } > $@.new; \
	cmp -s $@.new $@ 2>/dev/null && rm -f $@.new || mv $@.new $@
FORCE:

$(UNIT): $(UNIT_OBJS) $(CLILIB) $(STATICLIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(ZR_LDLIBS)

$(BUILD)/zr-cardsim: $(SIM_OBJS) $(STATICLIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(ZR_LDLIBS)

$(BUILD)/tools/%: $(BUILD)/tests/tools/%.o $(STATICLIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(ZR_LDLIBS)

$(FIXTURES): tests/fixtures.sh $(BUILD)/tools/mkfixture
	@sh tests/fixtures.sh "$(BUILD)"
	@touch $@

# Fuzz targets, built with gcc and a replay driver for make check.
$(BUILD)/fuzz/%: $(BUILD)/tests/fuzz/%.o $(BUILD)/tests/fuzz/driver.o \
		$(FUZZ_OBJS) $(STATICLIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(ZR_LDLIBS)

check: all $(UNIT) $(FUZZ_BINS) $(CARDSIM) $(TEST_TOOLS) $(FIXTURES)
	@sh tests/run-all.sh "$(BUILD)" "$(BIN)"

check-unit: $(UNIT) $(FIXTURES)
	@sh tests/run-all.sh "$(BUILD)" "$(BIN)" unit
check-cli: $(TOOLS) $(TEST_TOOLS) $(FIXTURES)
	@sh tests/run-all.sh "$(BUILD)" "$(BIN)" cli
check-man: $(TOOLS)
	@sh tests/run-all.sh "$(BUILD)" "$(BIN)" man
check-fuzz: $(FUZZ_BINS)
	@sh tests/run-all.sh "$(BUILD)" "$(BIN)" fuzz
check-card: $(TOOLS) $(CARDSIM)
	@sh tests/run-all.sh "$(BUILD)" "$(BIN)" card

# The real-world sweeps: every PDF and image under CORPUS (any folder),
# and the fuzz targets replaying it.
check-corpus: $(TOOLS) $(FUZZ_BINS) $(FIXTURES)
	@test -d "$(CORPUS)" || { echo "check-corpus: $(CORPUS): no such folder (make check-corpus CORPUS=DIR)"; exit 2; }
	@ZR_CORPUS="$$(cd "$(CORPUS)" && pwd)" sh tests/run-all.sh "$(BUILD)" "$(BIN)" corpus fuzz

SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	    -fno-omit-frame-pointer
# The dlib file is built optimised and uninstrumented, as for make fuzz:
# it is dlib's model loading and detector (third-party arithmetic) around
# one copy loop, and instrumented it took 2.2 s of every photo check
# against 0.9 s (most of the sanitised CLI tests' time).
sanitize:
	$(MAKE) BUILD=build/asan BIN=build/asan/bin HARDEN= \
		CFLAGS="$(SAN_FLAGS)" FACE_CFLAGS="-O2 -g" \
		LDFLAGS="-fsanitize=address,undefined" \
		ZR_SANITIZE=1 check

# libFuzzer: the library and each target rebuilt with clang.  Each target
# says its input limit (#define FUZZ_MAX_LEN, matching its seeds), passed
# as -max_len; its seeds are tests/fuzz/corpus/NAME and the folders its
# NAME.dirs lists (not the @CORPUS@ ones, which are for check-corpus).
# FUZZ_TARGETS picks some (make fuzz FUZZ_TARGETS=fuzz_pdf); the last line
# of each log (runs, exec/s, cov, ft) is printed.
FUZZ_SECONDS ?= 30
FUZZ_TARGETS ?= $(FUZZ_SRCS:tests/fuzz/%.c=%)
FUZZ_FLAGS = -O1 -g -fsanitize=fuzzer-no-link,address,undefined \
	     -fno-sanitize-recover=undefined \
	     -fsanitize-coverage-ignorelist=$(CURDIR)/tests/fuzz/coverage-ignore.txt
FUZZ_CLANG = build/fuzz-clang
# No allocation stack per malloc (about half the system time of fuzz_pdf);
# replay a finding with ASAN_OPTIONS=malloc_context_size=30 for its stacks.
FUZZ_ASAN = malloc_context_size=0
# The targets' input files (tests/fuzz/fuzzutil.c) in memory: on a disk
# /tmp, rewriting one per input cost fuzz_pdfcheck a third of its time.
FUZZ_TMPDIR ?= $(firstword $(wildcard /dev/shm) $(TMPDIR) /tmp)
fuzz:
	$(MAKE) CC=clang CXX=clang++ BUILD=$(FUZZ_CLANG) HARDEN= CFLAGS="$(FUZZ_FLAGS)" \
		FACE_CFLAGS="-O2 -g" \
		$(FUZZ_CLANG)/libzairyu.a $(FUZZ_OBJS:$(BUILD)/%=$(FUZZ_CLANG)/%)
	@failed=; for n in $(FUZZ_TARGETS); do f=tests/fuzz/$$n.c; \
	  ml=$$(sed -n 's/^#define FUZZ_MAX_LEN[ \t]*\([0-9]*\).*/\1/p' $$f | \
	    sed -n 1p); \
	  clang $(ZR_CPPFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer \
	    -fsanitize-link-c++-runtime -o $(FUZZ_CLANG)/$$n \
	    $$f $(FUZZ_OBJS:$(BUILD)/%=$(FUZZ_CLANG)/%) $(FUZZ_CLANG)/libzairyu.a \
	    $(ZR_LDLIBS) -lstdc++ || { failed="$$failed $$n"; continue; }; \
	  mkdir -p $(FUZZ_CLANG)/corpus/$$n $(FUZZ_CLANG)/crash/$$n; \
	  seeds=$$(sed -e '/^@CORPUS@/d' -e '/^#/d' -e '/^$$/d' \
	    tests/fuzz/$$n.dirs 2>/dev/null); \
	  echo "fuzz: $$n for $(FUZZ_SECONDS)s, -max_len=$$ml"; \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/fuzz/lsan.supp$${LSAN_OPTIONS:+:$$LSAN_OPTIONS} \
	  ASAN_OPTIONS=$(FUZZ_ASAN)$${ASAN_OPTIONS:+:$$ASAN_OPTIONS} \
	  TMPDIR=$(FUZZ_TMPDIR) $(FUZZ_CLANG)/$$n -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 \
	    -max_len=$$ml -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_CLANG)/crash/$$n/ \
	    $(FUZZ_CLANG)/corpus/$$n tests/fuzz/corpus/$$n $$seeds >/dev/null \
	    2>$(FUZZ_CLANG)/$$n.log || { tail -40 $(FUZZ_CLANG)/$$n.log; \
	    failed="$$failed $$n"; }; \
	  grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' $(FUZZ_CLANG)/$$n.log | tail -1; \
	  grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec)' \
	    $(FUZZ_CLANG)/$$n.log | tr '\n' ' '; echo; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: findings in:$$failed" \
	  "(inputs in $(FUZZ_CLANG)/crash/)"; exit 1; fi

bench: all
	@scripts/deps --bench
	@set -e; for b in tests/bench/*.sh; do [ -e "$$b" ] || continue; \
	  echo "== $$b"; ZR_CORPUS="$(CORPUS)" ZR_LDLIBS="$(ZR_LDLIBS)" \
	  sh "$$b" "$(BIN)"; done

demo: all
	@sh scripts/demo.sh "$(BIN)" examples/sample out

deps:
	scripts/deps

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) \
		$(DESTDIR)$(INCLUDEDIR)/zairyu $(DESTDIR)$(PKGCONFIGDIR)
	install -m 755 $(TOOLS) scripts/zr-renew $(DESTDIR)$(BINDIR)
	install -d $(DESTDIR)$(DATADIR)
	install -m 644 scripts/case.mk $(DESTDIR)$(DATADIR)
	install -m 644 man/zairyu-json.schema.json $(DESTDIR)$(DATADIR)
	install -m 644 $(STATICLIB) $(DESTDIR)$(LIBDIR)
	install -m 755 $(SHAREDLIB) $(DESTDIR)$(LIBDIR)
	ln -sf libzairyu.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libzairyu.so.$(SOVERSION)
	ln -sf libzairyu.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libzairyu.so
	install -m 644 $(HEADERS) $(DESTDIR)$(INCLUDEDIR)/zairyu
	set -e; for m in $(MANS); do s=$${m%/*}; s=$${s##*/}; \
	  install -d $(DESTDIR)$(MANDIR)/$$s; install -m 644 $$m $(DESTDIR)$(MANDIR)/$$s; done
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCLUDEDIR@|$(INCLUDEDIR)|; s|@VERSION@|$(VERSION)|' \
		lib/zairyu.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/zairyu.pc

uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(notdir $(TOOLS)) zr-renew)
	rm -rf $(DESTDIR)$(DATADIR)
	rm -f $(DESTDIR)$(LIBDIR)/libzairyu.a $(DESTDIR)$(LIBDIR)/libzairyu.so*
	rm -rf $(DESTDIR)$(INCLUDEDIR)/zairyu
	rm -f $(DESTDIR)$(PKGCONFIGDIR)/zairyu.pc
	for m in $(MANS); do s=$${m%/*}; s=$${s##*/}; rm -f $(DESTDIR)$(MANDIR)/$$s/$${m##*/}; done

clean:
	rm -rf $(BUILD) build bin out

help:
	@sed -n '2,9p' Makefile | sed 's/^# //'

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
