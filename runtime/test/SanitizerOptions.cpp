//===- SanitizerOptions.cpp - Default options of the sanitizer runtimes ---===//
//
// Linked into every test executable (and the fuzzers). In a build with
// -DGEMMRT_SANITIZE=... the sanitizer runtimes call these hooks at start-up,
// so a report stops the process with a non-zero exit code whether the test
// runs under ctest or by hand; ASAN_OPTIONS / UBSAN_OPTIONS / TSAN_OPTIONS
// in the environment still override them. Without sanitizers nothing calls
// them.
//
//===----------------------------------------------------------------------===//

extern "C" {

__attribute__((used, visibility("default"))) const char *
__asan_default_options() {
  return "halt_on_error=1:abort_on_error=0:detect_leaks=1:"
         "detect_stack_use_after_return=1:check_initialization_order=1:"
         "strict_init_order=1";
}

__attribute__((used, visibility("default"))) const char *
__ubsan_default_options() {
  return "halt_on_error=1:print_stacktrace=1";
}

__attribute__((used, visibility("default"))) const char *
__tsan_default_options() {
  return "halt_on_error=1:second_deadlock_stack=1";
}

} // extern "C"
