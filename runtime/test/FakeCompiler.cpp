//===- FakeCompiler.cpp - A stand-in for libgemmgen_compiler.so -----------===//
//
// Implements the compiler library's C ABI (include/gemmgen-c/Compiler.h)
// without MLIR, so the runtime's background compilation can be tested in
// its own project: "compiling" copies the bundle directory named by
// FAKE_COMPILER_TEMPLATE to out_dir (through a temporary directory, as the
// real one does), after FAKE_COMPILER_DELAY_MS milliseconds. FAKE_COMPILER_FAIL=1
// makes it fail; FAKE_COMPILER_ABI overrides the ABI version it reports.
//
//===----------------------------------------------------------------------===//

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

namespace fs = std::filesystem;

#define FAKE_API extern "C" __attribute__((visibility("default")))

FAKE_API int gemmgen_compiler_abi_version(void) {
  const char *abi = std::getenv("FAKE_COMPILER_ABI");
  return abi && *abi ? std::atoi(abi) : 1;
}

FAKE_API const char *gemmgen_compiler_version(void) { return "fake 0"; }

FAKE_API int gemmgen_compile_bundle(const char *outDir, const char *chip,
                                    int64_t n, int64_t k, int64_t mMin,
                                    int64_t mMax, const char *ptxas,
                                    char *error, size_t errorLen) {
  if (const char *d = std::getenv("FAKE_COMPILER_DELAY_MS"))
    std::this_thread::sleep_for(std::chrono::milliseconds(std::atoi(d)));
  if (const char *f = std::getenv("FAKE_COMPILER_FAIL"); f && *f == '1') {
    std::snprintf(error, errorLen, "fake failure for %lldx%lld",
                  (long long)n, (long long)k);
    return 1;
  }
  const char *tmpl = std::getenv("FAKE_COMPILER_TEMPLATE");
  if (!tmpl) {
    std::snprintf(error, errorLen, "FAKE_COMPILER_TEMPLATE is not set");
    return 1;
  }
  std::error_code ec;
  std::string tmp = std::string(outDir) + ".tmp-fake";
  fs::remove_all(tmp, ec);
  fs::copy(tmpl, tmp, fs::copy_options::recursive, ec);
  if (!ec)
    fs::rename(tmp, outDir, ec);
  if (ec) {
    std::snprintf(error, errorLen, "copy failed: %s", ec.message().c_str());
    return 1;
  }
  return 0;
}
