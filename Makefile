# gridrisk - one non-recursive Makefile.
#
#   make            build bin/gridrisk (and the bench and test programs on demand)
#   make run        install missing packages, build, run the default Pakistan scenario,
#                   draw its one-page picture (make report)
#                   (RUN_SCENARIO=inputs/rbts/rbts.yaml RUN_TRIALS=100000 for RBTS)
#   make test       install missing packages, build and run the cmocka suites and the
#                   bad-input catalogue (tests/bad/run.sh, cases in tests/bad/cases.tsv)
#   make bench      kernel benchmarks with checksums (fails if a variant disagrees)
#   make asan       test suite under AddressSanitizer + UndefinedBehaviorSanitizer
#   make tsan       test suite under ThreadSanitizer
#   make fuzz       build the libFuzzer harnesses tests/fuzz/fuzz_*.c (clang) and run each
#                   for FUZZ_SECONDS (default 60); fails on any crash, hang, leak or
#                   sanitizer report
#   make fuzz-regress  run every harness once over its seeds and crash reproducers (part
#                   of make test)
#   make mutate     mutation testing (tests/mutate.sh): each one-line change to the supply,
#                   dispatch and fiscal code must fail a test; by default (CI) the
#                   hand-written mutants and a fixed sample of operator swaps, 6 per hot
#                   function (MUTATE_ARGS=--quick: hand-written only; MUTATE_ARGS="-n 0":
#                   every swap, about half an hour)
#   make bench-native  the suite built with -march=native, its CSV beside the portable one's
#   make bench-portable  the suite without the run-time choice of AVX2/AVX-512 paths
#                   (kernels/rng.h), as on a processor without them; its CSV beside the
#                   default build's
#   make deps       install the Debian packages (as root; otherwise prints the command)
#   make MPI=1      the MPI x OpenMP build (make deps-mpi installs Open MPI and its HDF5);
#                   tests/check_mpi.py compares its runs under mpirun with the serial build
#   make install    PREFIX=/usr/local DESTDIR=
#   make clean
#
# Variants build into their own trees: build/rel, build/asan, build/tsan, build/fuzz.

PREFIX   ?= /usr/local
DESTDIR  ?=
VARIANT  ?= rel
# MPI=1: the hybrid MPI x OpenMP build (model/par.h) with mpicc against Debian's Open MPI and
# its HDF5, in build/mpi; the default build is serial and needs no MPI.
ifeq ($(MPI),1)
VARIANT  := mpi
endif
BUILD    := build/$(VARIANT)
# hdf5-serial by name: with libhdf5-openmpi-dev installed too, Debian points plain hdf5 at it
PKGS_mpi := gsl hdf5-openmpi yaml-0.1 nettle libdeflate
PKGS     := $(or $(PKGS_$(VARIANT)),gsl hdf5-serial yaml-0.1 nettle libdeflate)
TESTPKGS := cmocka
# Build and test: the C toolchain and libraries; clang with libomp (TSan) and
# libclang-rt (libFuzzer); clang-format (style check); h5py, xarray with both
# netCDF engines, matplotlib, Jupyter and R with ncdf4 (the clients the
# result file is tested with).
DEBS     := build-essential pkg-config libgsl-dev libhdf5-dev libyaml-dev nettle-dev libdeflate-dev librandom123-dev \
            libcmocka-dev hdf5-tools clang libomp-dev libclang-rt-dev clang-format \
            python3-h5py python3-xarray python3-h5netcdf python3-netcdf4 python3-matplotlib \
            jupyter-nbconvert python3-ipykernel python3-yaml r-base-core r-cran-ncdf4 netcdf-bin \
            procps

# -ffp-contract=off: no fused multiply-adds, so every build variant and
# compiler flag set gives the same bits (tests compare runs exactly).
# -falign-functions=64: every function starts on a cache line, so a hot loop keeps its place
# against the 32- and 64-byte fetch boundaries whatever else changes in the program. Without
# it, adding kernels/zrun.c (never called in the trials) moved adequacy_run_diff and slowed the
# RBTS end to end 9% and the adequacy/diff row 26% (make bench, five runs at 0015954); with it
# both are back where they were (issue 19, closing note of stop 39).
ALIGN    := -falign-functions=64
OPT_rel  := -O3 -DNDEBUG $(ALIGN)
# make bench-native: the same code tuned for this CPU (results equal the portable build's:
# -ffp-contract=off and no fast-math, so no instruction set changes a result)
OPT_native := -O3 -DNDEBUG -march=native $(ALIGN)
# make bench-portable: the portable paths alone (GR_RNG_PORTABLE: no run-time choice of the
# AVX2 or AVX-512 code of kernels/rng.c; the same bits, as a processor without them runs)
OPT_portable := -O3 -DNDEBUG -DGR_RNG_PORTABLE $(ALIGN)
# float-cast-overflow: a double out of an integer's range (a negative count cast to size_t) is
# undefined, and gcc's -fsanitize=undefined does not include the check
OPT_asan := -O1 -fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer -fno-sanitize-recover=all
OPT_tsan := -O1 -g -fsanitize=thread
# ThreadSanitizer cannot see libgomp's barriers (it is not instrumented) and
# reports false races; the tsan variant builds with clang and LLVM's libomp,
# whose Archer tool tells TSan about OpenMP synchronisation.
ARCHER   := $(firstword $(wildcard /usr/lib/llvm-*/lib/libarcher.so))
CC_tsan  := clang
OMP_tsan := -fopenmp=libomp
OPT_dbg  := -O0
CC_mpi   := mpicc
OPT_mpi  := -O3 -DNDEBUG -DGR_MPI $(ALIGN)
# the MPI variant's packages (make deps-mpi): mpicc, mpirun, the parallel HDF5
DEBS_MPI := libhdf5-openmpi-dev openmpi-bin
# libFuzzer: the library is instrumented for coverage (fuzzer-no-link) and
# sanitizers; only the harness links libFuzzer's main (-fsanitize=fuzzer).
CC_fuzz  := clang
OMP_fuzz := -fopenmp=libomp
OPT_fuzz := -O1 -g -fsanitize=address,undefined -fsanitize=fuzzer-no-link \
            -fno-omit-frame-pointer -fno-sanitize-recover=all
WARN     := -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion \
            -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TEST_CFLAGS = $(shell pkg-config --cflags $(TESTPKGS) 2>/dev/null)
TEST_LIBS   = $(shell pkg-config --libs $(TESTPKGS) 2>/dev/null)
CFLAGS   ?= -g
CC_DEFAULT := $(if $(filter default,$(origin CC)),cc,$(CC))
CC       := $(or $(CC_$(VARIANT)),$(CC_DEFAULT))
OMPFLAG  := $(or $(OMP_$(VARIANT)),-fopenmp)
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(OMPFLAG) -ffp-contract=off -fno-trapping-math $(EXTRA_INC) \
             $(OPT_$(VARIANT)) $(WARN) $(PKG_CFLAGS) $(CFLAGS) -MMD -MP
ALL_LDFLAGS = $(OMPFLAG) $(OPT_$(VARIANT)) $(LDFLAGS)
LIBS     = $(PKG_LIBS) -lhdf5_hl -lm

LIB_SRC  := $(wildcard kernels/*.c) $(wildcard inputs/*.c) $(wildcard outputs/*.c) \
            $(filter-out model/main.c,$(wildcard model/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libgridrisk.a
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o) $(BUILD)/tests/testutil.o
BIN      := $(BUILD)/bin/gridrisk
BENCH    := $(BUILD)/bin/gridrisk-bench
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/bin/%)
FUZZ_SECONDS ?= 60

.PHONY: all run test bench bench-native bench-portable deps deps-mpi check-deps asan tsan fuzz fuzz-regress mutate install clean format format-check
# keep test objects (make would delete them as intermediates)
.SECONDARY:
# bin/gridrisk is the release build's (with MPI=1 the MPI build's, as the README says): a
# sanitizer or benchmark variant (make VARIANT=asan) builds only its own tree, so that it
# never replaces the program users and the README's figures run
ifneq ($(filter rel mpi,$(VARIANT)),)
all: bin/gridrisk
else
all: $(BIN)
endif

bin/gridrisk: $(BIN)
	@mkdir -p bin
	cp $< $@

$(BIN): $(BUILD)/model/main.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# The build's git revision, stored in every result file: the header is
# rewritten only when the revision changes, so it costs no rebuild otherwise.
GIT_REV := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
.PHONY: FORCE
# The compiler and its code-generation flags as a C string (quotes and
# backslashes escaped; written with $(file), so no shell quoting is involved):
# what gridrisk-bench records. Every object depends on $(BUILD)/cflags, the
# same string, rewritten only when it changes: a change of the code-generation
# flags (ALIGN, say) rebuilds the objects, as a change of sources does
# (warnings and include paths are not in it).
BUILD_FLAGS_C = $(subst ",\",$(subst \,\\,$(strip $(CC) -std=c11 $(OMPFLAG) -ffp-contract=off -fno-trapping-math $(OPT_$(VARIANT)) $(CFLAGS))))
$(BUILD)/cflags: FORCE
	@:$(shell mkdir -p $(@D))$(file >$@.new,$(BUILD_FLAGS_C))
	@if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi
$(BUILD)/gitrev.h: FORCE
	@:$(shell mkdir -p $(@D))$(file >$@.new,#define GRIDRISK_GIT_REV "$(GIT_REV)")$(file >>$@.new,#define GRIDRISK_CFLAGS "$(BUILD_FLAGS_C)")
	@if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi
$(BUILD)/model/main.o: $(BUILD)/gitrev.h
$(BUILD)/model/main.o: EXTRA_INC := -I$(BUILD)
$(BUILD)/bench/bench.o: $(BUILD)/gitrev.h
$(BUILD)/bench/bench.o: EXTRA_INC := -I$(BUILD)

$(LIB): $(LIB_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/%.o: %.c $(BUILD)/cflags
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(if $(filter tests/%,$<),$(TEST_CFLAGS)) -c -o $@ $<

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(BUILD)/tests/testutil.o $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) $(TEST_LIBS)

$(BENCH): $(BUILD)/bench/bench.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/bin/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(LIBS)

# --- dependencies ----------------------------------------------------------
# check-deps installs what is missing (root) or says how; deps always installs.
check-deps:
	@missing=$$(for p in $(DEBS); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; \
	    done); \
	if [ -n "$$missing" ]; then echo "missing Debian packages:" $$missing; \
	    $(MAKE) --no-print-directory deps; fi

deps:
	@if [ "$$(id -u)" = 0 ]; then \
	    echo "installing: $(DEBS)"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(DEBS); \
	else \
	    echo "missing packages; run:"; \
	    echo "  sudo apt-get install -y $(DEBS)"; exit 1; fi

deps-mpi:
	@if [ "$$(id -u)" = 0 ]; then \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(DEBS_MPI); \
	else echo "run: sudo apt-get install -y $(DEBS_MPI)"; exit 1; fi

# --- running ---------------------------------------------------------------
RUN_SCENARIO ?= inputs/pakistan/pakistan.yaml
RUN_OUT      ?= results/pakistan.h5
RUN_TRIALS   ?= 10000

run: check-deps
	@$(MAKE) --no-print-directory bin/gridrisk
	@mkdir -p $(dir $(RUN_OUT))
	bin/gridrisk run $(RUN_SCENARIO) -o $(RUN_OUT) -n $(RUN_TRIALS)
	@$(MAKE) --no-print-directory report

# A one-page picture of the last run (examples/dashboard.py; needs matplotlib).
RUN_PNG ?= $(RUN_OUT:.h5=.png)
.PHONY: report
report:
	@if /usr/bin/python3 -c 'import matplotlib, h5py' 2>/dev/null; then \
	    /usr/bin/python3 examples/dashboard.py $(RUN_OUT) -o $(RUN_PNG) && echo "picture: $(RUN_PNG)"; \
	else echo "report skipped: /usr/bin/python3 lacks matplotlib or h5py (make deps installs them)"; fi

# The fuzzers' seeds and crash reproducers first, so that the last line is
# the suite's count ("tests: N passed, M failed").
test: check-deps
	@$(MAKE) --no-print-directory fuzz-regress
	@$(MAKE) --no-print-directory test-only

.PHONY: test-only
# Under ThreadSanitizer only the suites that run threads are worth its cost (and not the
# bad-input catalogue, whose cases end in one thread before any parallel region).
RUN_TESTS_tsan := $(filter %/test_sim %/test_cli %/test_pakistan %/test_harness %/test_sens,$(TEST_BIN))
RUN_TESTS := $(or $(RUN_TESTS_$(VARIANT)),$(TEST_BIN))
test-only: $(RUN_TESTS) $(BIN) $(if $(filter rel,$(VARIANT)),$(BENCH))
	@pass=0; failn=0; fail=0; for t in $(RUN_TESTS); do \
	    GRIDRISK_BIN=$(BIN) $(TEST_ENV_$(VARIANT)) $$t > $$t.log 2>&1 || fail=1; cat $$t.log; \
	    p=$$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' $$t.log); \
	    f=$$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' $$t.log); \
	    pass=$$((pass + $${p:-0})); failn=$$((failn + $${f:-0})); done; \
	if [ "$(VARIANT)" = rel ]; then \
	    tests/scripts/inputs_doc.sh $(BIN) --check || fail=1; \
	    tests/check_examples.sh $(BIN) > $(BUILD)/tests/examples.log 2>&1 || fail=1; \
	    cat $(BUILD)/tests/examples.log; \
	    p=$$(sed -n 's/^examples: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' $(BUILD)/tests/examples.log); \
	    f=$$(sed -n 's/^examples: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' $(BUILD)/tests/examples.log); \
	    pass=$$((pass + $${p:-0})); failn=$$((failn + $${f:-1})); \
	    for c in check_pras check_rts check_calibration check_profiles check_resume check_slurm check_bench; do \
	    /usr/bin/python3 tests/$$c.py $(BIN) > $(BUILD)/tests/$$c.log 2>&1 || fail=1; \
	    grep -v '^ok ' $(BUILD)/tests/$$c.log; \
	    p=$$(sed -n 's/^[a-z]*: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' $(BUILD)/tests/$$c.log); \
	    f=$$(sed -n 's/^[a-z]*: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' $(BUILD)/tests/$$c.log); \
	    pass=$$((pass + $${p:-0})); failn=$$((failn + $${f:-1})); done; fi; \
	if [ "$(VARIANT)" != tsan ]; then \
	$(TEST_ENV_$(VARIANT)) tests/bad/run.sh $(BIN) > $(BUILD)/tests/catalogue.log 2>&1 || fail=1; \
	cat $(BUILD)/tests/catalogue.log; \
	p=$$(sed -n 's/^catalogue: \([0-9]*\) passed, \([0-9]*\) failed$$/\1/p' $(BUILD)/tests/catalogue.log); \
	f=$$(sed -n 's/^catalogue: \([0-9]*\) passed, \([0-9]*\) failed$$/\2/p' $(BUILD)/tests/catalogue.log); \
	pass=$$((pass + $${p:-0})); failn=$$((failn + $${f:-1})); fi; \
	if [ $$fail = 0 ]; then echo "all test suites passed ($(VARIANT))"; \
	else echo "TEST FAILURES ($(VARIANT))"; [ $$failn -gt 0 ] || failn=1; fi; \
	echo "tests: $$pass passed, $$failn failed"; [ $$fail = 0 ]

# The suite (bench/README.md): every kernel 5 times, the table on stdout and
# the CSV in bench/results/HOST-DATE.csv.
BENCH_HOST := $(shell hostname -s 2>/dev/null | tr -c 'A-Za-z0-9._\n-' _)
BENCH_CSV ?= bench/results/$(or $(BENCH_HOST),host)-$(shell date -u +%Y-%m-%d).csv
bench: check-deps
	@$(MAKE) --no-print-directory $(BENCH)
	@mkdir -p '$(dir $(BENCH_CSV))'
	$(BENCH) --csv '$(BENCH_CSV)' $(BENCH_ARGS)
# beside it: the build with -march=native (build/native), into HOST-DATE-native.csv
bench-native: check-deps
	@$(MAKE) --no-print-directory VARIANT=native bench BENCH_CSV='$(BENCH_CSV:.csv=-native.csv)'
# beside it: the portable paths alone (build/portable), into HOST-DATE-portable.csv
bench-portable: check-deps
	@$(MAKE) --no-print-directory VARIANT=portable bench BENCH_CSV='$(BENCH_CSV:.csv=-portable.csv)'

TEST_ENV_tsan := TSAN_OPTIONS="halt_on_error=1 exitcode=66 ignore_noninstrumented_modules=1 suppressions=$(CURDIR)/tests/tsan.supp" $(if $(ARCHER),OMP_TOOL_LIBRARIES=$(ARCHER)) \
                GRIDRISK_TEST_QUICK=1
asan:
	@$(MAKE) --no-print-directory VARIANT=asan test-only
tsan:
	@$(MAKE) --no-print-directory VARIANT=tsan test-only

# Fuzzing builds in build/fuzz (VARIANT=fuzz); see tests/fuzz/run.sh.
fuzz: check-deps
	@$(MAKE) --no-print-directory VARIANT=fuzz fuzz-run
fuzz-regress:
	@$(MAKE) --no-print-directory VARIANT=fuzz fuzz-regress-run

.PHONY: fuzz-run fuzz-regress-run
fuzz-run: $(FUZZ_BIN)
	tests/fuzz/run.sh fuzz $(BUILD) $(FUZZ_SECONDS) $(FUZZ_BIN)
fuzz-regress-run: $(FUZZ_BIN)
	tests/fuzz/run.sh regress $(BUILD) $(FUZZ_BIN)

# Every README figure regenerated and compared (about 13 minutes; CI checks all but the costliest
# four blocks, see .ci/run): after a change to the model or the draws, `--write` rewrites them.
.PHONY: readme-check
readme-check: $(BIN)
	/usr/bin/python3 tests/scripts/readme_figures.py $(BIN) --check

# Mutants are built and tested in a scratch copy of the tree (its build/rel and
# build/asan seeded from this tree's), so this tree and its build are left alone.
mutate: check-deps
	tests/mutate.sh $(MUTATE_ARGS)

# Style: one checked-in .clang-format; CI fails on any difference.
FMT_SRC = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
format:
	clang-format -i $(FMT_SRC)
format-check:
	@clang-format --dry-run -Werror $(FMT_SRC) && echo "format: $(words $(FMT_SRC)) files match .clang-format"

install: bin/gridrisk
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 bin/gridrisk $(DESTDIR)$(PREFIX)/bin/gridrisk

clean:
	rm -rf build bin

-include $(LIB_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(BUILD)/model/main.d $(BUILD)/bench/bench.d \
         $(FUZZ_SRC:%.c=$(BUILD)/%.d)
