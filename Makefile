# iommusim: the two commands that matter on a fresh Debian 12 machine are
#   make run     build, then run the main job
#   make check   build, then run every test; the last line is "N passed, N failed"
# Both install missing build dependencies first (scripts/install-deps).

BUILD      ?= build
MESON_OPTS ?=
ASAN_BUILD ?= build-asan

.PHONY: all deps run check bench soak clean check-asan

all: $(BUILD)/build.ninja
	ninja -C $(BUILD)

deps:
	@scripts/install-deps

$(BUILD)/build.ninja:
	@scripts/install-deps
	meson setup $(BUILD) $(MESON_OPTS)

run: all
	./$(BUILD)/src/cli/iommusim
	@echo
	@echo '== register-level demo: an endpoint stops answering ATC invalidations =='
	./$(BUILD)/src/cli/iommusim hwtest docs/examples/atc-timeout.hwt

check: all
	@scripts/run-tests $(BUILD)

# AddressSanitizer + UndefinedBehaviorSanitizer, stopping at the first error.
check-asan:
	@scripts/install-deps
	@test -f $(ASAN_BUILD)/build.ninja || meson setup $(ASAN_BUILD) \
		-Db_sanitize=address,undefined -Dc_args=-fno-sanitize-recover=all \
		-Dbuildtype=debug
	ninja -C $(ASAN_BUILD)
	@UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		ASAN_OPTIONS=detect_leaks=1 IOMMUSIM_SWEEP_SEEDS=3 scripts/run-tests $(ASAN_BUILD)

# The shipped scenarios' seed sweep with 1,000 seeds per strategy.
soak: all
	IOMMUSIM_SWEEP_SEEDS=1000 meson test -C $(BUILD) shipped --print-errorlogs -t 50

bench: all
	./$(BUILD)/bench/bench_sim
	./$(BUILD)/bench/bench_hw
	./$(BUILD)/bench/bench_flagship
	./$(BUILD)/bench/bench_iopf
	./$(BUILD)/bench/zoo
	./$(BUILD)/bench/bench_trace
	./$(BUILD)/bench/bench_explore

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
