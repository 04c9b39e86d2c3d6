#!/usr/bin/env bash
# runtime-sanitizers.sh - build and test libgemmrt (runtime/) under sanitizers.
#
#   scripts/runtime-sanitizers.sh [asan] [tsan] [fuzz]     (default: all three)
#
#   asan  build-rt-asan: -DGEMMRT_SANITIZE=address,undefined, every CPU test
#         (ctest -L cpu; the GPU tests and CUDA tools are built too)
#   tsan  build-rt-tsan: -DGEMMRT_SANITIZE=thread, every CPU test
#   fuzz  build-rt-fuzz: clang++ -DGEMMRT_BUILD_FUZZERS=ON, ctest -L fuzz: the
#         seed corpus once, then GEMMRT_FUZZ_SECONDS (60) of fuzzing. Skipped
#         (not failed) when clang++ cannot link -fsanitize=fuzzer.
#
# Environment: JOBS (2) for builds and ctest, BUILD_TYPE (Debug; the fuzz
# build is always RelWithDebInfo),
# GEMMRT_FUZZ_SECONDS (60), LABELS (cpu: the ctest label regex of the asan
# and tsan sections; 'cpu|gpu' adds the GPU tests, which skip without a
# device), CTEST_ARGS (extra ctest arguments).
# Idempotent: re-running reconfigures and rebuilds incrementally in the same
# build directories (ignored by git via /build*/). Exits non-zero if any
# section failed; every section runs regardless, and a summary with the time
# of each comes last.

set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JOBS="${JOBS:-2}"
BUILD_TYPE="${BUILD_TYPE:-Debug}"
FUZZ_SECONDS="${GEMMRT_FUZZ_SECONDS:-60}"
LABELS="${LABELS:-cpu}"
read -r -a EXTRA_CTEST <<<"${CTEST_ARGS:-}"

sections=("$@")
if [ ${#sections[@]} -eq 0 ]; then
  sections=(asan tsan fuzz)
fi
for s in "${sections[@]}"; do
  case "$s" in
  asan | tsan | fuzz) ;;
  *)
    echo "usage: $0 [asan] [tsan] [fuzz]" >&2
    exit 2
    ;;
  esac
done

GENERATOR=()
if command -v ninja >/dev/null 2>&1; then
  GENERATOR=(-G Ninja)
fi

summary=()
failed=0
start_all=$SECONDS

header() {
  echo
  echo "=============================================================================="
  echo "== $*"
  echo "=============================================================================="
}

step() {
  echo
  echo "---- $* ----"
}

# Records a section's outcome: record <name> <status: PASS|FAIL|SKIP> <seconds> [note]
record() {
  summary+=("$(printf '%-6s %-5s %5ss  %s' "$1" "$2" "$3" "${4:-}")")
  if [ "$2" = FAIL ]; then
    failed=1
  fi
}

# TSan (GCC 12) cannot map its shadow memory with more than 28 bits of mmap
# randomization (newer kernels default to 32); run its tests without ASLR then.
tsan_wrapper() {
  local bits
  bits="$(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null || echo 0)"
  if [ "$bits" -gt 28 ] && command -v setarch >/dev/null 2>&1; then
    echo "(vm.mmap_rnd_bits=$bits > 28: running TSan tests under setarch -R)" >&2
    echo "setarch $(uname -m) -R"
  fi
}

configure_build() { # <build dir> <build type> <cmake args...>
  local dir="$1" type="$2"
  shift 2
  step "configure $dir ($type)"
  cmake -S "$ROOT/runtime" -B "$ROOT/$dir" "${GENERATOR[@]}" \
    -DCMAKE_BUILD_TYPE="$type" "$@" || return 1
  step "build $dir (-j$JOBS)"
  cmake --build "$ROOT/$dir" -j "$JOBS" || return 1
}

run_asan() {
  header "ASan + UBSan: build-rt-asan (GEMMRT_SANITIZE=address,undefined), CPU tests"
  configure_build build-rt-asan "$BUILD_TYPE" -DGEMMRT_SANITIZE=address,undefined || return 1
  step "ctest -L '$LABELS'"
  ctest --test-dir "$ROOT/build-rt-asan" -L "$LABELS" -j "$JOBS" --output-on-failure \
    "${EXTRA_CTEST[@]}"
}

run_tsan() {
  header "TSan: build-rt-tsan (GEMMRT_SANITIZE=thread), CPU tests"
  # The CUDA tools are already built (and sanitizer-clean) in the ASan build.
  configure_build build-rt-tsan "$BUILD_TYPE" -DGEMMRT_SANITIZE=thread \
    -DGEMMRT_BUILD_GPU_TOOLS=OFF || return 1
  step "ctest -L '$LABELS'"
  local wrap
  wrap="$(tsan_wrapper)"
  # shellcheck disable=SC2086 # $wrap is a command prefix or empty
  $wrap ctest --test-dir "$ROOT/build-rt-tsan" -L "$LABELS" -j "$JOBS" \
    --output-on-failure "${EXTRA_CTEST[@]}"
}

have_libfuzzer() {
  command -v clang++ >/dev/null 2>&1 || return 1
  local tmp
  tmp="$(mktemp -d)"
  printf '%s\n' '#include <cstddef>' '#include <cstdint>' \
    'extern "C" int LLVMFuzzerTestOneInput(const uint8_t *, size_t) { return 0; }' \
    >"$tmp/f.cpp"
  clang++ -fsanitize=fuzzer,address,undefined "$tmp/f.cpp" -o "$tmp/f" >/dev/null 2>&1
  local rc=$?
  rm -rf "$tmp"
  return $rc
}

run_fuzz() {
  header "libFuzzer: build-rt-fuzz (clang, GEMMRT_BUILD_FUZZERS=ON), ${FUZZ_SECONDS} s of ManifestFuzzer"
  if ! have_libfuzzer; then
    echo "SKIPPED: no clang++ that links -fsanitize=fuzzer (install clang and libclang-rt-dev)"
    return 77
  fi
  # Optimized: at -O0 the fuzzer runs ~6x fewer inputs per second.
  configure_build build-rt-fuzz RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DGEMMRT_BUILD_FUZZERS=ON -DGEMMRT_BUILD_TESTS=OFF -DGEMMRT_BUILD_TOOLS=OFF \
    -DGEMMRT_BUILD_GPU_TOOLS=OFF -DGEMMRT_FUZZ_SECONDS="$FUZZ_SECONDS" || return 1
  local art="$ROOT/build-rt-fuzz/fuzz/artifacts"
  rm -f "$art"/* 2>/dev/null # a previous run's findings are not this run's
  step "ctest -L fuzz (corpus replay, then ${FUZZ_SECONDS} s of fuzzing)"
  ctest --test-dir "$ROOT/build-rt-fuzz" -L fuzz --output-on-failure "${EXTRA_CTEST[@]}"
  local rc=$?
  local log="$ROOT/build-rt-fuzz/Testing/Temporary/LastTest.log"
  if [ -f "$log" ]; then
    echo "fuzzer statistics:"
    grep -E '^(Done [0-9]+ runs|stat::)|DONE +cov:' "$log" | sed 's/^/  /'
  fi
  if compgen -G "$art/*" >/dev/null; then
    echo "fuzzer artifacts (crashes, leaks, timeouts) in $art:"
    ls -l "$art"
    rc=1
  fi
  return $rc
}

for s in "${sections[@]}"; do
  t0=$SECONDS
  "run_$s"
  rc=$?
  dt=$((SECONDS - t0))
  case $rc in
  0) record "$s" PASS "$dt" ;;
  77) record "$s" SKIP "$dt" "no clang++ with libFuzzer" ;;
  *) record "$s" FAIL "$dt" "exit code $rc" ;;
  esac
done

header "Summary (total $((SECONDS - start_all)) s)"
printf '%s\n' "${summary[@]}"
if [ $failed -ne 0 ]; then
  echo "runtime-sanitizers: FAILED"
  exit 1
fi
echo "runtime-sanitizers: all sections passed"
