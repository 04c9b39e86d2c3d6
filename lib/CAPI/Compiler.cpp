//===- Compiler.cpp - C API of the gemmgen compiler library ---------------===//

#include "gemmgen-c/Compiler.h"

#include "gemmgen/Tools/BundleWriter.h"
#include "gemmgen/Tools/ShapeList.h"

#include "llvm/Support/FormatVariadic.h"

#include <cstdio>
#include <cstring>
#include <string>

#define GEMMGEN_C_API extern "C" __attribute__((visibility("default")))

namespace {
void setError(char *buf, size_t len, const std::string &msg) {
  if (buf && len)
    std::snprintf(buf, len, "%s", msg.c_str());
}
} // namespace

GEMMGEN_C_API int gemmgen_compiler_abi_version(void) {
  return GEMMGEN_COMPILER_ABI_VERSION;
}

GEMMGEN_C_API const char *gemmgen_compiler_version(void) {
  return "gemmgen " GEMMGEN_VERSION;
}

GEMMGEN_C_API int gemmgen_compile_bundle(const char *outDir, const char *chip,
                                         int64_t n, int64_t k, int64_t mMin,
                                         int64_t mMax, const char *ptxas,
                                         char *error, size_t errorLen) {
  setError(error, errorLen, "");
  using mlir::gemm::kMaxDim;
  if (!outDir || !*outDir || !chip) {
    setError(error, errorLen, "out_dir and chip must be non-empty strings");
    return 1;
  }
  if (n < 1 || k < 1 || n > kMaxDim || k > kMaxDim || mMin < 1 ||
      mMax < mMin || mMax > kMaxDim) {
    setError(error, errorLen,
             llvm::formatv("bad shape: n={0} k={1} m=[{2}, {3}] (want 1 <= "
                           "n, k and 1 <= m_min <= m_max <= {4})",
                           n, k, mMin, mMax, kMaxDim)
                 .str());
    return 1;
  }
  mlir::gemm::BundleOptions options;
  options.nk = {{n, k}};
  options.buckets = {{mMin, mMax}};
  options.bucketSpec = llvm::formatv("{0}-{1}", mMin, mMax).str();
  options.chip = chip;
  options.ptxas = ptxas ? std::string(ptxas) : mlir::gemm::findDefaultPtxas();
  options.jobs = 1;
  std::string errors;
  options.error = [&errors](const std::string &msg) {
    errors += (errors.empty() ? "" : "; ") + msg;
  };
  if (mlir::failed(mlir::gemm::writeBundle(options, outDir))) {
    setError(error, errorLen, errors.empty() ? "compilation failed" : errors);
    return 1;
  }
  return 0;
}
