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
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -I.
ifeq ($(VARIANT),release)
OPT      := -O2 -g
else ifeq ($(VARIANT),debug)
OPT      := -O0 -g3 -DSFL_TESTABLE
else ifeq ($(VARIANT),asan)
OPT      := -O1 -g -DSFL_TESTABLE -fsanitize=address,undefined \
            -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS  += -fsanitize=address,undefined
endif
CFLAGS   ?=
ALL_CFLAGS := $(BASE_CFLAGS) -MMD -MP $(OPT) $(CFLAGS)
LDLIBS_DUMP := -lpcap
LDLIBS_AGENT := -lpcap

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
.PHONY: all deps test asan fuzz bench lint clean help check-headers ci

# Debian packages the build and the tests need. `deps` is idempotent and
# quick when everything is present; it runs apt-get update only when a
# package is missing. Set NO_DEPS=1 to skip it (e.g. on a non-Debian box).
DEB_PKGS := build-essential clang libclang-rt-14-dev libpcap-dev tcpdump \
            cppcheck clang-tidy python3 gzip valgrind

AGENT_BIN := $(if $(wildcard agent/main.c),$(BIN)/rtflow-agent)

all: deps $(BIN)/rtflow-dump $(AGENT_BIN)

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
endif

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

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(call msg,CC,$<)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(SFL_LIB): $(SFL_OBJ)
	$(call msg,AR,$@)$(AR) rcs $@ $^

$(BUILD)/libagent.a: $(AGENT_OBJ)
	$(call msg,AR,$@)rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/rtflow-dump: $(DUMP_OBJ) $(SFL_LIB)
	$(call msg,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_DUMP)

$(BIN)/rtflow-dump: $(BUILD)/rtflow-dump
	@mkdir -p $(BIN)
	$(Q)cp $< $@

$(BUILD)/rtflow-agent: $(BUILD)/agent/main.o $(BUILD)/libagent.a $(SFL_LIB)
	$(call msg,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_AGENT)

$(BIN)/rtflow-agent: $(BUILD)/rtflow-agent
	@mkdir -p $(BIN)
	$(Q)cp $< $@

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

$(BUILD)/tests/%_test: $(BUILD)/tests/unit/%_test.o $(TEST_LIB_OBJ) $(DUMP_LIB_OBJ) $(AGENT_LIB) $(SFL_LIB)
	@mkdir -p $(dir $@)
	$(call msg,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_DUMP)

$(BUILD)/tests/replay_%: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/replay.o $(DUMP_LIB_OBJ) $(AGENT_LIB) $(SFL_LIB)
	@mkdir -p $(dir $@)
	$(call msg,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_DUMP)

TEST_VARIANT ?= debug
test: deps
	$(Q)$(MAKE) --no-print-directory VARIANT=$(TEST_VARIANT) NO_DEPS=1 test-run

test-run: $(UNIT_BIN) $(REPLAY_BIN) $(BUILD)/rtflow-dump $(if $(AGENT_BIN),$(BUILD)/rtflow-agent)
	$(Q)BUILD=$(BUILD) tests/run.sh

asan: deps
	$(Q)$(MAKE) --no-print-directory VARIANT=asan NO_DEPS=1 test-run

# ---- fuzzing (libFuzzer) ---------------------------------------------
FUZZ_BUILD := build/fuzz
FUZZ_FLAGS := -std=c11 -D_GNU_SOURCE -I. -g -O1 -DSFL_TESTABLE \
              -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_LIB_SRC := $(SFL_SRC) $(filter-out sflow/dump/main.c,$(DUMP_SRC)) $(AGENT_SRC)

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_SRC) $(wildcard sflow/*.h sflow/dump/*.h agent/*.h agent/*/*.h)
	@mkdir -p $(dir $@)
	$(call msg,FUZZ,$@)$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_LIB_SRC) $(LDLIBS_DUMP)

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

build/release/bench/%: tests/bench/%.c $(SFL_SRC) $(wildcard sflow/*.h)
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)$(CC) -std=c11 -D_GNU_SOURCE -I. -O2 -g -o $@ $< $(SFL_SRC) -lpcap

bench: deps $(BENCH_BIN)
	$(Q)for b in $(BENCH_BIN); do \
	  if [ "$(BENCH)" = callgrind ]; then valgrind --tool=callgrind --callgrind-out-file=build/callgrind.out.$${b##*/} $$b --quick; else $$b; fi || exit 1; \
	done

# ---- static checks ------------------------------------------------------
LINT_SRC := $(SFL_SRC) $(DUMP_SRC) $(AGENT_SRC)
lint: deps
	$(Q)cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,performance,portability \
	  --inline-suppr -I. $(LINT_SRC)
	$(Q)clang-tidy --quiet $(LINT_SRC) -- -std=c11 -D_GNU_SOURCE -I. 2>/dev/null
	$(Q)tests/checksrc.sh $(LINT_SRC) $(wildcard sflow/*.h sflow/dump/*.h agent/*.h agent/*/*.h)

check-headers:
	$(Q)for h in $(wildcard sflow/*.h sflow/dump/*.h agent/*.h agent/*/*.h); do \
	  echo "#include \"$$h\"" | $(CC) $(BASE_CFLAGS) -fsyntax-only -x c - || exit 1; \
	done

ci:
	$(Q)$(MAKE) --no-print-directory WERROR=1 lint check-headers test asan

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
	@echo "  clean          remove build/"
	@echo "variables: VARIANT=release|debug|asan WERROR=1 V=1 FUZZ_SECONDS=N NO_DEPS=1"

-include $(shell find build -name '*.d' 2>/dev/null)
