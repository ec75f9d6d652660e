# rtflow: plain GNU make. `make help` lists targets and variables.
#
# Variants build out of tree under build/$(VARIANT)/ (release, debug, asan);
# the release binaries are copied to build/bin/. Every target that builds
# first runs `deps`, which installs missing Debian packages with apt-get.

VARIANT  ?= release
WERROR   ?= 0
V        ?= 0
FUZZ_SECONDS ?= 60
BENCH    ?=

CC       ?= cc
FUZZ_CC  ?= clang
BUILD    := build/$(VARIANT)
BIN      := build/bin

WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wformat=2 -Wvla -fno-common
ifeq ($(WERROR),1)
WARN     += -Werror
endif
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -I. -I/usr/include/libnl3
ifeq ($(VARIANT),release)
# Link-time optimisation: the per-sample path crosses many small functions
# in several files (keys, values, caches); fat objects keep the archives
# usable by a linker without the LTO plugin.
OPT      := -O2 -g -flto=auto -ffat-lto-objects
LDFLAGS  += -flto=auto
else ifeq ($(VARIANT),asan)
OPT      := -O1 -g -DSFL_TESTABLE -fsanitize=address,undefined \
            -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS  += -fsanitize=address,undefined
else
# debug, and any private variant name (VARIANT=mine) a developer builds
# beside the others.
OPT      := -O0 -g3 -DSFL_TESTABLE
endif
CFLAGS   ?=
ALL_CFLAGS := $(BASE_CFLAGS) -MMD -MP $(OPT) $(CFLAGS) -I$(BUILD)/duktape
LDLIBS_DUMP := -lpcap
LDLIBS_AGENT := -lpcap -lnl-route-3 -lnl-3 -lsystemd -lcap -lm
LDLIBS_ANALYZER := -lmicrohttpd -lcurl -lcrypto -lcjson -lpcap -lsystemd -lmaxminddb -lcares -lpthread -lm
# Unit tests and fuzz replays link every library of the tree.
LDLIBS_ALL := $(sort $(LDLIBS_DUMP) $(LDLIBS_AGENT) $(LDLIBS_ANALYZER))

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

.DELETE_ON_ERROR:
# Keep intermediate objects (unit-test and replay objects are built by
# pattern chains); make would otherwise delete them after every run.
.SECONDARY:
.PHONY: all deps test asan fuzz bench lint clean help check-headers ci run install

# Debian packages the build and the tests need. `deps` is idempotent and
# quick when everything is present; it runs apt-get update only when a
# package is missing. Set NO_DEPS=1 to skip it (e.g. on a non-Debian box).
DEB_PKGS := build-essential clang libclang-rt-14-dev libpcap-dev tcpdump \
            cppcheck clang-tidy python3 gzip valgrind pkg-config \
            libmicrohttpd-dev libcjson-dev libsystemd-dev libcap-dev \
            libnl-3-dev libnl-route-3-dev libnl-genl-3-dev \
            iproute2 iputils-ping iperf3 pmacct wrk curl ethtool \
            debootstrap systemd-container libmaxminddb-dev libc-ares-dev dnsmasq-base \
            libmaxmind-db-writer-perl duktape-dev libcurl4-openssl-dev libssl-dev \
            chromium fonts-dejavu-core

AGENT_BIN := $(if $(wildcard agent/main.c),$(BIN)/rtflow-agent)
ANALYZER_BIN := $(if $(wildcard analyzer/main.c),$(BIN)/rtflow-analyzer)

all: deps $(BIN)/rtflow-dump $(AGENT_BIN) $(ANALYZER_BIN)

deps:
ifneq ($(NO_DEPS),1)
	$(Q)missing=$$(for p in $(DEB_PKGS); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing $$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	$(Q)command -v npm >/dev/null || { \
	  echo "deps: installing nodejs npm"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null; }
endif

# npm packages (package.json: the /inc/ bundle's libraries, buble, the
# browser-test driver) are installed under build/npm, never committed.
NPM_DIR   := build/npm
NPM_STAMP := $(NPM_DIR)/node_modules/.installed

$(NPM_STAMP): package.json
	@mkdir -p $(NPM_DIR)
	$(Q)cp package.json $(NPM_DIR)/package.json
	$(call msg,NPM,$(NPM_DIR))cd $(NPM_DIR) && npm install --no-audit --no-fund --loglevel=error >/dev/null
	$(Q)touch $@

# Extra pieces the fragments in mk/*.mk add: objects of libanalyzer.a and
# prerequisites of the tests.
ANALYZER_EXTRA_OBJ :=
TEST_EXTRA :=

# ---- libsflow ---------------------------------------------------------
SFL_SRC  := $(wildcard sflow/*.c)
SFL_OBJ  := $(SFL_SRC:%.c=$(BUILD)/%.o)
SFL_LIB  := $(BUILD)/libsflow.a

DUMP_SRC := $(wildcard sflow/dump/*.c)
DUMP_OBJ := $(DUMP_SRC:%.c=$(BUILD)/%.o)

# rtflow-agent's units (agent/*.c, agent/*/*.c); all but main.c form
# libagent.a, which unit tests link. The binary arrives with agent/main.c.
AGENT_SRC := $(filter-out agent/main.c,$(wildcard agent/*.c agent/*/*.c))
AGENT_OBJ := $(AGENT_SRC:%.c=$(BUILD)/%.o)
AGENT_LIB := $(if $(AGENT_SRC),$(BUILD)/libagent.a)

# Code both daemons share (common/*.c) → libcommon.a.
COMMON_SRC := $(wildcard common/*.c)
COMMON_OBJ := $(COMMON_SRC:%.c=$(BUILD)/%.o)
COMMON_LIB := $(if $(COMMON_SRC),$(BUILD)/libcommon.a)

# rtflow-analyzer's units (analyzer/*.c, analyzer/*/*.c); all but main.c
# form libanalyzer.a. The binary arrives with analyzer/main.c.
ANALYZER_SRC := $(filter-out analyzer/main.c,$(wildcard analyzer/*.c analyzer/*/*.c))
ANALYZER_OBJ := $(ANALYZER_SRC:%.c=$(BUILD)/%.o)
ANALYZER_LIB := $(if $(ANALYZER_SRC),$(BUILD)/libanalyzer.a)

# duktape (JavaScript apps): Debian's amalgamated source (duktape-dev)
# built with our configuration, analyzer/js/duk_config.h. The source is
# copied beside that header so duktape.h's #include "duk_config.h" finds
# ours; it goes into libanalyzer.a, optimised in every variant (scripts
# run on it) and without our warnings (it is not our code).
DUK_DIR  := $(BUILD)/duktape
DUK_OBJ  := $(DUK_DIR)/duktape.o
DUK_HDRS := $(DUK_DIR)/duktape.h $(DUK_DIR)/duk_config.h
DUK_CFLAGS := -std=c99 -O2 -g -w \
              $(filter -fsanitize=% -fno-sanitize-recover=% -fno-omit-frame-pointer,$(OPT))
# Build paths that compile the analyzer's sources themselves (fuzzing,
# benchmarks) leave the script runtime out: nothing there runs scripts.
ANALYZER_NOJS_SRC := $(filter-out analyzer/js/%,$(ANALYZER_SRC))

$(DUK_DIR)/duktape.c $(DUK_DIR)/duktape.h: $(DUK_DIR)/%: /usr/share/duktape/%
	@mkdir -p $(DUK_DIR)
	$(Q)cp $< $@

$(DUK_DIR)/duk_config.h: analyzer/js/duk_config.h
	@mkdir -p $(DUK_DIR)
	$(Q)cp $< $@

$(DUK_OBJ): $(DUK_DIR)/duktape.c $(DUK_HDRS)
	$(call msg,CC,$@)$(CC) $(DUK_CFLAGS) -c -o $@ $<

$(ANALYZER_OBJ): | $(DUK_HDRS)

ALL_HDR := $(wildcard sflow/*.h sflow/dump/*.h agent/*.h agent/*/*.h common/*.h \
             analyzer/*.h analyzer/*/*.h)

# Every library of ours, in link order (dependencies point down).
OUR_LIBS := $(ANALYZER_LIB) $(AGENT_LIB) $(COMMON_LIB) $(SFL_LIB)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(call msg,CC,$<)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(SFL_LIB): $(SFL_OBJ)
	$(call msg,AR,$@)$(AR) rcs $@ $^

$(BUILD)/libagent.a: $(AGENT_OBJ)
	$(call msg,AR,$@)rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/libcommon.a: $(COMMON_OBJ)
	$(call msg,AR,$@)rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/libanalyzer.a: $(ANALYZER_OBJ) $(DUK_OBJ) $(ANALYZER_EXTRA_OBJ)
	$(call msg,AR,$@)rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/rtflow-dump: $(DUMP_OBJ) $(COMMON_LIB) $(SFL_LIB)
	$(call msg,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_DUMP)

$(BIN)/rtflow-dump: $(BUILD)/rtflow-dump
	@mkdir -p $(BIN)
	$(Q)cp $< $@

$(BUILD)/rtflow-agent: $(BUILD)/agent/main.o $(BUILD)/libagent.a $(COMMON_LIB) $(SFL_LIB)
	$(call msg,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_AGENT)

$(BIN)/rtflow-agent: $(BUILD)/rtflow-agent
	@mkdir -p $(BIN)
	$(Q)cp $< $@

$(BUILD)/rtflow-analyzer: $(BUILD)/analyzer/main.o $(BUILD)/libanalyzer.a $(COMMON_LIB) $(SFL_LIB)
	$(call msg,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ANALYZER)

$(BIN)/rtflow-analyzer: $(BUILD)/rtflow-analyzer
	@mkdir -p $(BIN)
	$(Q)cp $< $@

# ---- run ------------------------------------------------------------------
# `make run`: rtflow-analyzer in the foreground with conf/analyzer.conf
# (every property commented: the defaults) plus RUN_ARGS (-Dname=value ...).
# With build/bin/rtflow-agent built, an agent monitoring this host runs in
# the background and is stopped when the analyzer exits (Ctrl-C stops
# both): its config, build/run/agent.conf, polls counters every 20 s and
# samples the default-route interface (pcap, hsflowd's default rate) when
# run as root, and sends to the analyzer's sFlow port on 127.0.0.1.
RUN_ARGS ?=
RUN_POLLING ?= 20
run: deps all
	$(Q)prop() { v=$$(echo " $(RUN_ARGS)" | sed -n "s/.* -D$$1=\([0-9]*\).*/\1/p"); \
	  [ -n "$$v" ] || v=$$(sed -n "s/^[ \t]*$$1[ \t]*[=:][ \t]*\([0-9]*\).*/\1/p" \
	    conf/analyzer.conf | tail -1); echo "$${v:-$$2}"; }; \
	hport=$$(prop 'http\.port' 8008); sport=$$(prop 'sflow\.port' 6343); \
	echo "rtflow-analyzer: http://localhost:$$hport/ (sFlow on UDP $$sport; Ctrl-C stops)"; \
	agent_pid=; \
	if [ -x $(BIN)/rtflow-agent ]; then \
	  mkdir -p build/run; \
	  dev=$$(ip -o route show default 2>/dev/null | awk '{print $$5; exit}'); \
	  { printf 'sflow {\n  polling = $(RUN_POLLING)\n'; \
	    printf '  collector { ip = 127.0.0.1 udpport = %s }\n' "$$sport"; \
	    if [ -n "$$dev" ] && [ "$$(id -u)" = 0 ]; then printf '  pcap { dev = %s }\n' "$$dev"; fi; \
	    printf '}\n'; } > build/run/agent.conf; \
	  echo "rtflow-agent: build/run/agent.conf (counters$${dev:+, samples on $$dev when root})"; \
	  $(BIN)/rtflow-agent -d -f build/run/agent.conf & agent_pid=$$!; \
	fi; \
	trap 'if [ -n "$$agent_pid" ]; then kill $$agent_pid 2>/dev/null; wait $$agent_pid; fi' EXIT; \
	trap 'exit 0' INT TERM; \
	$(BIN)/rtflow-analyzer -f conf/analyzer.conf $(RUN_ARGS)

# ---- tests --------------------------------------------------------------
# Unit tests: tests/unit/<name>_test.c, each its own binary linked with
# libsflow. Fuzz targets: tests/fuzz/fuzz_<name>.c, replayed over
# tests/fuzz/corpus/<name>/ by tests/fuzz/replay.c in `make test`.
UNIT_SRC := $(wildcard tests/unit/*_test.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_NAMES := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%)
REPLAY_BIN := $(FUZZ_NAMES:%=$(BUILD)/tests/replay_%)
TEST_LIB_SRC := $(wildcard tests/lib/*.c)
TEST_LIB_OBJ := $(TEST_LIB_SRC:%.c=$(BUILD)/%.o)
DUMP_LIB_OBJ := $(filter-out $(BUILD)/sflow/dump/main.o,$(DUMP_OBJ))

$(BUILD)/tests/%_test: $(BUILD)/tests/unit/%_test.o $(TEST_LIB_OBJ) $(DUMP_LIB_OBJ) $(OUR_LIBS)
	@mkdir -p $(dir $@)
	$(call msg,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/tests/replay_%: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/replay.o $(DUMP_LIB_OBJ) $(OUR_LIBS)
	@mkdir -p $(dir $@)
	$(call msg,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

TEST_VARIANT ?= debug
test: deps
	$(Q)$(MAKE) --no-print-directory VARIANT=$(TEST_VARIANT) NO_DEPS=1 test-run

test-run: $(TEST_EXTRA) $(UNIT_BIN) $(REPLAY_BIN) $(BUILD)/rtflow-dump $(if $(AGENT_BIN),$(BUILD)/rtflow-agent) \
	  $(if $(ANALYZER_BIN),$(BUILD)/rtflow-analyzer)
	$(Q)BUILD=$(BUILD) tests/run.sh

asan: deps
	$(Q)$(MAKE) --no-print-directory VARIANT=asan NO_DEPS=1 test-run

# ---- fuzzing (libFuzzer) ---------------------------------------------
FUZZ_BUILD := build/fuzz
FUZZ_FLAGS := -std=c11 -D_GNU_SOURCE -I. -I/usr/include/libnl3 -g -O1 -DSFL_TESTABLE \
              -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_LIB_SRC := $(SFL_SRC) $(filter-out sflow/dump/main.c,$(DUMP_SRC)) $(AGENT_SRC) \
                $(COMMON_SRC) $(ANALYZER_NOJS_SRC)

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_SRC) $(ALL_HDR)
	@mkdir -p $(dir $@)
	$(call msg,FUZZ,$@)$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_LIB_SRC) $(LDLIBS_ALL)

fuzz: deps $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz_%)
	$(Q)for t in $(FUZZ_NAMES); do \
	  mkdir -p build/fuzz/new-$$t; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
	  $(FUZZ_BUILD)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=build/fuzz/ build/fuzz/new-$$t tests/fuzz/corpus/$$t || exit 1; \
	done

# ---- benchmarks ---------------------------------------------------------
BENCH_SRC := $(wildcard tests/bench/*.c)
BENCH_BIN := $(BENCH_SRC:tests/bench/%.c=build/release/bench/%)

build/release/bench/%: tests/bench/%.c $(SFL_SRC) $(COMMON_SRC) $(ANALYZER_NOJS_SRC) $(ALL_HDR)
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)$(CC) -std=c11 -D_GNU_SOURCE -I. -I/usr/include/libnl3 -O2 -g -flto=auto -o $@ $< \
	  $(SFL_SRC) $(COMMON_SRC) $(ANALYZER_NOJS_SRC) $(LDLIBS_ALL)

# Helper programs of the whole-system benchmarks (tests/bench/tools/*.c:
# load generators and sinks, not benchmarks themselves; linked with libsflow
# and common/).
BENCH_TOOLS := $(patsubst tests/bench/tools/%.c,build/release/bench/tools/%,\
                 $(wildcard tests/bench/tools/*.c))

build/release/bench/tools/%: tests/bench/tools/%.c $(SFL_SRC) $(COMMON_SRC) $(ALL_HDR)
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -I. -O2 -g -o $@ $< $(SFL_SRC) $(COMMON_SRC) \
	  -lpcap -lpthread

# C benchmarks (tests/bench/*.c) run first, then the whole-system ones
# (tests/bench/*.sh: daemons under load), which find the release binaries
# in build/release. BENCH=name runs only the benchmarks whose name has it.
BENCH_SH := $(wildcard tests/bench/*.sh)

bench: deps $(BENCH_BIN) $(BENCH_TOOLS)
	$(Q)$(MAKE) --no-print-directory VARIANT=release NO_DEPS=1 all
	$(Q)for b in $(BENCH_BIN); do \
	  case "$(BENCH)" in callgrind) ;; "") ;; *) case $$b in *$(BENCH)*) ;; *) continue;; esac;; esac; \
	  if [ "$(BENCH)" = callgrind ]; then valgrind --tool=callgrind --callgrind-out-file=build/callgrind.out.$${b##*/} $$b --quick; else $$b; fi || exit 1; \
	done
	$(Q)for s in $(BENCH_SH); do \
	  case "$(BENCH)" in callgrind) continue;; "") ;; *) case $$s in *$(BENCH)*) ;; *) continue;; esac;; esac; \
	  BUILD=build/release bash $$s || exit 1; \
	done

# ---- static checks ------------------------------------------------------
LINT_SRC := $(SFL_SRC) $(DUMP_SRC) $(AGENT_SRC) $(wildcard agent/main.c) $(COMMON_SRC) \
            $(ANALYZER_SRC) $(wildcard analyzer/main.c)
lint: deps $(DUK_HDRS)
	$(Q)cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,performance,portability \
	  --inline-suppr -I. $(LINT_SRC)
	$(Q)clang-tidy --quiet $(LINT_SRC) -- -std=c11 -D_GNU_SOURCE -I. -I/usr/include/libnl3 \
	  -I$(DUK_DIR) 2>/dev/null
	$(Q)tests/checksrc.sh $(LINT_SRC) $(ALL_HDR)

check-headers:
	$(Q)for h in $(ALL_HDR); do \
	  echo "#include \"$$h\"" | $(CC) $(BASE_CFLAGS) -fsyntax-only -x c - || exit 1; \
	done

ci:
	$(Q)$(MAKE) --no-print-directory WERROR=1 lint check-headers test asan

# ---- install --------------------------------------------------------
# Installs what `make` built: rtflow-dump to $(PREFIX)/bin, the daemons
# (rtflow-agent, rtflow-analyzer when built) to $(PREFIX)/sbin, conf/*.conf
# to $(SYSCONFDIR)/rtflow/ without overwriting a file already there, and
# conf/*.service to $(PREFIX)/lib/systemd/system with @SBINDIR@ and
# @SYSCONFDIR@ filled in. DESTDIR prefixes everything (packaging).
PREFIX     ?= /usr/local
SYSCONFDIR ?= /etc
DESTDIR    ?=
UNITDIR    ?= $(PREFIX)/lib/systemd/system

install:
	$(Q)for f in $(BIN)/rtflow-dump $(AGENT_BIN); do \
	  [ -x "$$f" ] || { echo "install: $$f is not built; run make first" >&2; exit 1; }; \
	done
	$(Q)install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/sbin \
	  $(DESTDIR)$(SYSCONFDIR)/rtflow $(DESTDIR)$(UNITDIR)
	$(Q)install -m 755 $(BIN)/rtflow-dump $(DESTDIR)$(PREFIX)/bin/
	$(Q)for d in rtflow-agent rtflow-analyzer; do \
	  [ ! -x $(BIN)/$$d ] || install -m 755 $(BIN)/$$d $(DESTDIR)$(PREFIX)/sbin/ || exit 1; \
	done
	$(Q)for f in $(wildcard conf/*.conf); do \
	  t=$(DESTDIR)$(SYSCONFDIR)/rtflow/$${f##*/}; \
	  if [ -e "$$t" ]; then echo "install: keeping existing $$t"; \
	  else install -m 644 "$$f" "$$t" || exit 1; fi; \
	done
	$(Q)for u in $(wildcard conf/*.service); do \
	  sed -e 's|@SBINDIR@|$(PREFIX)/sbin|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' "$$u" \
	    > $(DESTDIR)$(UNITDIR)/$${u##*/} && chmod 644 $(DESTDIR)$(UNITDIR)/$${u##*/} || exit 1; \
	done

clean:
	rm -rf build

help:
	@echo "targets:"
	@echo "  all (default)  build build/bin/rtflow-dump (and libsflow)"
	@echo "  deps           install missing Debian packages (apt-get)"
	@echo "  test           debug build; unit, golden, fuzz-corpus replay tests"
	@echo "  asan           the tests under AddressSanitizer + UBSan"
	@echo "  fuzz           libFuzzer targets for FUZZ_SECONDS each"
	@echo "  bench          decode/encode benchmarks (BENCH=callgrind for counts)"
	@echo "  lint           cppcheck, clang-tidy, tests/checksrc.sh"
	@echo "  check-headers  compile every header on its own"
	@echo "  ci             WERROR=1 lint check-headers test asan"
	@echo "  run            rtflow-analyzer on :8008 (and rtflow-agent if built)"
	@echo "  install        install build/bin/* (PREFIX=/usr/local DESTDIR= SYSCONFDIR=/etc)"
	@echo "  clean          remove build/"
	@echo "variables: VARIANT=release|debug|asan WERROR=1 V=1 FUZZ_SECONDS=N NO_DEPS=1"

include $(wildcard mk/*.mk)

-include $(shell find build -name '*.d' 2>/dev/null)
