//===- BundleWriter.h - Compile a shape list into a bundle ------*- C++ -*-===//
//
// The core of gemm-compile, shared with the compiler library that libgemmrt
// loads to compile uncovered shapes in the background: one kernel variant
// per (N, K, M bucket), compiled in parallel, each in its own MLIRContext,
// written to a temporary directory beside the target and renamed into place
// (a failed or interrupted run leaves no half-written bundle).
//
//===----------------------------------------------------------------------===//

#ifndef GEMMGEN_TOOLS_BUNDLEWRITER_H
#define GEMMGEN_TOOLS_BUNDLEWRITER_H

#include "gemmgen/Tools/TunedConfigs.h"

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace mlir::gemm {

struct BundleOptions {
  /// Weights' (N, K); duplicates collapse.
  std::vector<std::pair<int64_t, int64_t>> nk;
  /// M buckets [lo, hi] (parseMBuckets) and their spec text (hashed).
  std::vector<std::pair<int64_t, int64_t>> buckets;
  std::string bucketSpec;
  std::string chip = "sm_90a";
  /// ptxas to assemble cubins with; empty: PTX only.
  std::string ptxas;
  /// A #gemm.config for every variant instead of the model's ("": model).
  std::string forcedConfig;
  /// Measured configurations (TunedConfigs.h): a variant whose bucket has
  /// measurements takes its config from them, the others from the model.
  /// Ignored when forcedConfig is set.
  TunedConfigs tuned;
  /// gemm-to-kernel's shift-tail-tiles: the last M and N tiles start at
  /// M - block_m and N - block_n, so that no TMA box reaches past x or y.
  bool shiftTailTiles = false;
  /// gemm-to-kernel's vector-push: split-K reductions move four fp32 per
  /// remote store (cluster_push) or load (cluster).
  bool vectorPush = false;
  /// gemm-to-kernel's tma-store: split-1 tiles go out through shared
  /// memory and TMA bulk stores.
  bool tmaStore = false;
  /// Parallel compile jobs (0: all cores).
  unsigned jobs = 0;
  /// Called with one line per compiled variant (may be null).
  std::function<void(const std::string &)> progress;
  /// Called with each error (a variant's, or writing the bundle).
  std::function<void(const std::string &)> error;
};

/// The ptxas gemm-compile uses when none is named: PATH, then the one found
/// when gemmgen was configured. "" when neither exists.
std::string findDefaultPtxas();

/// Compiles every variant and writes the bundle directory `outDir`
/// (replacing an existing one only once the new one is complete). Every
/// problem goes to options.error; returns failure if there was any.
/// `variantCount`, when given, gets the number of variants written.
LogicalResult writeBundle(const BundleOptions &options, StringRef outDir,
                          size_t *variantCount = nullptr);

} // namespace mlir::gemm

#endif // GEMMGEN_TOOLS_BUNDLEWRITER_H
