//===- Passes.h - gemm dialect passes ---------------------------*- C++ -*-===//

#ifndef GEMMGEN_DIALECT_GEMM_TRANSFORMS_PASSES_H
#define GEMMGEN_DIALECT_GEMM_TRANSFORMS_PASSES_H

#include "gemmgen/Dialect/Gemm/IR/Gemm.h"
#include "mlir/Pass/Pass.h"

namespace mlir::gemm {

/// A target chip as the configuration model sees it.
struct ChipModel {
  int64_t numSMs;
  int64_t maxSharedMemoryBytes;
  double tensorTflops;  // dense bf16 peak
  double dramGBps;      // HBM bandwidth
  // Fitted on measurements (docs/perf/README.md, config sweeps):
  double l2GBps;        // L2 to SM bandwidth, all SMs together
  double smStreamGBps;  // what one CTA's TMA pipeline streams
  double kStepNs;       // latency floor of one pipeline step
  double waveUs;        // launch, prologue and pipeline fill per wave
  double ctaNs;         // cost of each CTA (scheduling, barrier set-up)
  double clusterReduceUs; // split-K: the cluster barriers, per wave
  double dsmemGBps;     // split-K: partials read through DSMEM, per CTA
  // Clusters of 1, 2, 4 and 8 CTAs that are resident at once when each CTA
  // takes a whole SM's shared memory (cudaOccupancyMaxActiveClusters): a
  // cluster must fit in one GPC, so clusters of 4 and 8 leave SMs idle.
  int64_t residentClusters[4];

  /// CTAs that run at once in clusters of `size` CTAs (1, 2, 4 or 8).
  int64_t residentCtas(int64_t size) const;
};

/// The model of `chip` (only sm_90a today), or failure.
FailureOr<ChipModel> getChipModel(StringRef chip);

/// The configuration the model picks for one shape and M bucket.
ConfigAttr selectConfig(MLIRContext *ctx, const ChipModel &chip, int64_t n,
                        int64_t k, int64_t mMin, int64_t mMax);

/// Estimated microseconds of one call with `config` at M = `m`.
double estimateMicroseconds(const ChipModel &chip, ConfigAttr config,
                            int64_t m, int64_t n, int64_t k);

#define GEN_PASS_DECL
#include "gemmgen/Dialect/Gemm/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "gemmgen/Dialect/Gemm/Transforms/Passes.h.inc"

} // namespace mlir::gemm

#endif // GEMMGEN_DIALECT_GEMM_TRANSFORMS_PASSES_H
