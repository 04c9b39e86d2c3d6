//===- TunedConfigs.h - measured configs for gemm-compile ------*- C++ -*-===//
//
// A table of measured kernel times: (N, K, M, #gemm.config, microseconds),
// written from config sweeps on a GPU (scripts/bench/tuned-configs.py).
// gemm-compile takes a variant's configuration from it where the table has
// measurements inside the variant's M bucket, and from the model elsewhere.
//
//===----------------------------------------------------------------------===//

#ifndef GEMMGEN_TOOLS_TUNEDCONFIGS_H
#define GEMMGEN_TOOLS_TUNEDCONFIGS_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlir::gemm {

struct TunedMeasurement {
  int64_t n, k, m;
  std::string config; // #gemm.config text
  double us;
};

struct TunedConfigs {
  std::string chip;
  std::vector<TunedMeasurement> measurements;
};

/// Parses {"chip": "sm_90a", "measurements": [{"n", "k", "m", "config",
/// "us"}, ...]} (other keys are ignored). Checks the JSON's shape and
/// ranges, not the config text (gemm-compile parses that).
LogicalResult parseTunedConfigs(StringRef text, TunedConfigs &out,
                                std::string &error);

/// The configuration for (n, k) and M bucket [mLo, mHi]: among the configs
/// measured at every M the table has inside the bucket, the one with the
/// least sum over those M of time / best time at that M (the first in the
/// table on a tie). None when the table has no measurement in the bucket.
std::optional<std::string> pickTunedConfig(const TunedConfigs &table, int64_t n,
                                           int64_t k, int64_t mLo, int64_t mHi);

} // namespace mlir::gemm

#endif // GEMMGEN_TOOLS_TUNEDCONFIGS_H
