//===- SelectConfig.cpp - choose a tile configuration per op --------------===//
//
// An analytic model of the chip scores every candidate configuration at both
// ends of the op's M bucket; the cheapest (relative to the ideal time at each
// end) wins. Candidates are visited in a fixed order and only a strictly
// better score replaces the best, so the choice is deterministic.
//
//===----------------------------------------------------------------------===//

#include "gemmgen/Dialect/Gemm/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"

#include <algorithm>
#include <cmath>

namespace mlir::gemm {
#define GEN_PASS_DEF_GEMMSELECTCONFIG
#include "gemmgen/Dialect/Gemm/Transforms/Passes.h.inc"
} // namespace mlir::gemm

using namespace mlir;
using namespace mlir::gemm;

FailureOr<ChipModel> mlir::gemm::getChipModel(StringRef chip) {
  if (chip == "sm_90a")
    // H100 SXM5: 132 SMs, 227 KiB of shared memory per CTA, ~989 dense bf16
    // TFLOP/s, 3.35 TB/s HBM3. The fitted terms come from config sweeps on
    // an H100 (docs/perf/README.md); the resident clusters from
    // scripts/bench/cluster-occupancy.cu.
    return ChipModel{132,    ConfigAttr::kMaxSharedMemoryBytes,
                     989.0,  3350.0,
                     8000.0, 100.0,
                     200.0,  1.5,
                     10.0,   1.0,
                     100.0,  {132, 66, 30, 15}};
  return failure();
}

static int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

int64_t ChipModel::residentCtas(int64_t size) const {
  int64_t index = size <= 1 ? 0 : size <= 2 ? 1 : size <= 4 ? 2 : 3;
  // A model with fewer SMs (the pass's num-sms option) keeps no more
  // clusters than its SMs hold.
  return std::min(residentClusters[index], numSMs / size) * size;
}

double mlir::gemm::estimateMicroseconds(const ChipModel &chip,
                                        ConfigAttr config, int64_t m,
                                        int64_t n, int64_t k) {
  double bm = config.getBlockM(), bn = config.getBlockN();
  double bk = config.getBlockK();
  int64_t split = config.getSplitK();
  // A cluster launches whole clusters.
  int64_t clusterM = config.getClusterM(), clusterN = config.getClusterN();
  int64_t tiles =
      ceilDiv(ceilDiv(m, config.getBlockM()), clusterM) * clusterM *
      (ceilDiv(ceilDiv(n, config.getBlockN()), clusterN) * clusterN);
  int64_t ctas = tiles * split;
  // Whole clusters of clusterM x clusterN x split CTAs; the GPU holds only
  // so many at once.
  int64_t resident =
      std::max<int64_t>(1, chip.residentCtas(clusterM * clusterN * split));
  int64_t waves = ceilDiv(ctas, resident);
  // K steps of one CTA (split-K divides them between the CTAs of a tile).
  double kSteps = ceilDiv(ceilDiv(k, config.getBlockK()), split);

  // Tensor cores: the padded tile at the per-SM peak, derated for a single
  // consumer warpgroup (less latency hiding) and for narrow wgmma (the A
  // operand is re-read from shared memory for fewer columns).
  // swap_ab puts block_n on wgmma's 64-row side and block_m on its n side.
  bool swap = config.getSchedule() == ScheduleKind::SwapAB;
  double wgmmaRows = swap ? bn : bm, wgmmaN = swap ? bm : bn;
  double perSMFlops = chip.tensorTflops * 1e12 / chip.numSMs;
  double eff = (wgmmaRows == 128 ? 0.80 : 0.55) *
               std::min(1.0, 0.6 + 0.4 * wgmmaN / 256.0);
  double tCompute = waves * (bm * bn * kSteps * bk * 2) / (perSMFlops * eff);

  // Operand streaming: every CTA pulls its rows of x and y (rows past M or
  // N are zero-filled by TMA, not read) at what one CTA's TMA pipeline
  // streams, and no faster than its share of L2. In a multicast cluster
  // each CTA reads only its slice of y (x) and the others multicast theirs.
  // The CTAs running at once share L2's bandwidth (a sweep of full waves
  // of 128 x {128, 192, 256} tiles settled at ~8 TB/s in all).
  double active = std::min<double>(ctas, resident);
  double perSMBytes =
      std::min(chip.smStreamGBps, chip.l2GBps / active) * 1e9;
  double rows =
      std::min<double>(bm, m) / clusterN + std::min<double>(bn, n) / clusterM;
  double tileBytes = rows * kSteps * bk * 2;
  double tStream = waves * tileBytes / perSMBytes;

  // HBM: the unique operands and the fp32 output, once.
  double dramBytes = (double(m) * k + double(n) * k) * 2 + double(m) * n * 4;
  double tDram = dramBytes / (chip.dramGBps * 1e9);

  // Epilogue: fp32 tile stores, not overlapped with the main loop.
  double tEpilogue = waves * std::min<double>(bm, m) * bn * 4 / perSMBytes;

  // Each pipeline step has a latency floor (barrier round trips, TMA
  // issue), which small tiles cannot hide.
  double tSteps = waves * kSteps * chip.kStepNs * 1e-9;

  // Split-K through the cluster: two cluster barriers and each CTA reading
  // one tile's worth of partials from distributed shared memory. Every
  // wave of clusters pays it.
  double tReduce =
      split > 1 ? waves * (chip.clusterReduceUs * 1e-6 +
                           bm * bn * 4 / (chip.dsmemGBps * 1e9))
                : 0;

  // Launch, prologue and pipeline fill per wave; scheduling per CTA.
  double tFixed = chip.waveUs * 1e-6 * waves + chip.ctaNs * 1e-9 * ctas;
  return (std::max({tCompute, tStream, tDram, tSteps}) + tEpilogue + tReduce +
          tFixed) *
         1e6;
}

/// The time no kernel can beat: peak math or one pass over HBM.
static double idealMicroseconds(const ChipModel &chip, int64_t m, int64_t n,
                                int64_t k) {
  double flops = 2.0 * m * n * k;
  double bytes = (double(m) * k + double(n) * k) * 2 + double(m) * n * 4;
  return std::max(flops / (chip.tensorTflops * 1e12),
                  bytes / (chip.dramGBps * 1e9)) *
         1e6;
}

ConfigAttr mlir::gemm::selectConfig(MLIRContext *ctx, const ChipModel &chip,
                                    int64_t n, int64_t k, int64_t mMin,
                                    int64_t mMax) {
  // Past 16384 rows the best tile no longer changes; scoring the bucket's
  // top end there keeps huge buckets from drowning the small end.
  int64_t hi = std::min<int64_t>(mMax, 16384);
  int64_t lo = std::min(mMin, hi);
  // A bucket of one token: the simt schedule, which beat every tensor-core
  // tile at M = 1 on the four dsv4 shapes swept on an H100 (1.01-1.28x the
  // shipped decode kernels, docs/perf/README.md) and lost from M = 4. Its
  // best configs read a warp's whole share of K in one step (8 loads per
  // lane in flight): k_groups, a power of two up to 8, so that K / k_groups
  // is at most 2048, and 8 warps per CTA.
  if (mMax == 1) {
    int64_t kGroups = 1;
    while (kGroups < 8 && k > 2048 * kGroups)
      kGroups *= 2;
    return ConfigAttr::get(ctx, /*blockM=*/1, /*blockN=*/8 / kGroups,
                           /*blockK=*/2048, /*stages=*/1, ScheduleKind::Simt,
                           /*splitK=*/1, ReductionKind::None, /*clusterM=*/1,
                           /*clusterN=*/1, RasterOrder::AlongN, kGroups,
                           /*warpRows=*/1, EpilogueKind::Direct);
  }
  ConfigAttr best;
  double bestScore = 0;
  // swap_ab (tokens on wgmma's n side, 8-32 wide) for buckets of at most
  // 32 rows: measured 4-32% faster than 64-row tiles at M <= 32 on the
  // dsv4 shapes, and no faster at M = 64 (docs/perf/README.md).
  for (ScheduleKind schedule :
       {ScheduleKind::WarpSpecialized, ScheduleKind::SwapAB}) {
  bool swap = schedule == ScheduleKind::SwapAB;
  if (swap && mMax > 32)
    continue;
  // Named arrays: an ArrayRef of a braced list would dangle in the loop.
  // swap_ab goes narrowest first: on a tie (split 1, where the model sees
  // no cost in a wider n) the tile closest to M wins, as measured.
  static constexpr int64_t kBlockM[] = {128, 64}, kSwapBlockM[] = {8, 16, 32};
  static constexpr int64_t kBlockN[] = {256, 192, 128, 64, 32},
                           kSwapBlockN[] = {128, 64};
  for (int64_t blockM : swap ? ArrayRef<int64_t>(kSwapBlockM)
                             : ArrayRef<int64_t>(kBlockM)) {
    for (int64_t blockN : swap ? ArrayRef<int64_t>(kSwapBlockN)
                               : ArrayRef<int64_t>(kBlockN)) {
      // block_k = 128 (half the pipeline steps) is measured for the
      // single-consumer tiles of small M only.
      for (int64_t blockK : {64, 128}) {
      if (blockK == 128 && blockM != 64 && !swap)
        continue;
      int64_t kTiles = ceilDiv(k, blockK);
      // The deepest ring that fits, up to 8 stages (deeper buys little).
      int64_t stageBytes = (blockM + blockN) * blockK * 2;
      int64_t stages = std::min<int64_t>(
          8, (chip.maxSharedMemoryBytes - 1024) / (stageBytes + 16));
      if (stages < 2)
        continue;
      for (int64_t split : {1, 2, 4, 8}) {
      // Each CTA of a split keeps at least two K tiles to pipeline, and
      // the partial tile must fit where the ring was.
      if (split > 1 && (kTiles < 2 * split ||
                        4 * blockM * blockN > stages * stageBytes))
        continue;
      // Split-K sums through cluster_push (measured 12% faster than the
      // pull form on the dsv4 decode shapes, 64-row tiles with 4-8 stages).
      // Its buffer comes on top of the ring; where that would leave fewer
      // than 4 stages (large tiles), the pull form keeps the ring: the
      // model does not score pipeline depth.
      auto fits = [&](int64_t st, ReductionKind red) {
        return ConfigAttr::getTotalSharedMemoryBytes(
                   blockM, blockN, blockK, st, split, red,
                   /*kGroups=*/1, schedule) <=
               chip.maxSharedMemoryBytes;
      };
      ReductionKind reduction = ReductionKind::None;
      int64_t splitStages = stages;
      if (split > 1) {
        int64_t pushStages = stages;
        while (pushStages >= 2 && !fits(pushStages, ReductionKind::ClusterPush))
          --pushStages;
        reduction = pushStages >= std::min<int64_t>(stages, 4)
                        ? ReductionKind::ClusterPush
                        : ReductionKind::Cluster;
        if (reduction == ReductionKind::ClusterPush)
          splitStages = pushStages;
      }
      // The verifier's own sum: a candidate it would reject is skipped
      // rather than built (ConfigAttr::get asserts on invalid parameters).
      if (!fits(splitStages, reduction))
        continue;
      // Pairs of CTAs along M sharing the y tile (multicast): for the
      // two-consumer tiles without split-K.
      for (int64_t clusterM : {1, 2}) {
      if (clusterM > 1 &&
          (split > 1 || blockM != 128 || blockN % 16 != 0 || swap))
        continue;
      auto config =
          ConfigAttr::get(ctx, blockM, blockN, blockK, splitStages, schedule,
                          split, reduction, clusterM,
                          /*clusterN=*/1, RasterOrder::AlongN, /*kGroups=*/1,
                          /*warpRows=*/1, EpilogueKind::Direct);
      double score =
          estimateMicroseconds(chip, config, lo, n, k) /
              idealMicroseconds(chip, lo, n, k) +
          estimateMicroseconds(chip, config, hi, n, k) /
              idealMicroseconds(chip, hi, n, k);
      if (!best || score < bestScore) {
        best = config;
        bestScore = score;
      }
      }
      }
      }
    }
  }
  }
  return best;
}

namespace {
struct GemmSelectConfigPass
    : public mlir::gemm::impl::GemmSelectConfigBase<GemmSelectConfigPass> {
  using GemmSelectConfigBase::GemmSelectConfigBase;

  void runOnOperation() override {
    FailureOr<ChipModel> model = getChipModel(chip);
    if (failed(model)) {
      getOperation().emitError() << "gemm-select-config: unknown chip '"
                                 << chip << "' (known: sm_90a)";
      return signalPassFailure();
    }
    if (numSMs > 0)
      model->numSMs = numSMs;
    getOperation().walk([&](LinearBf16Fp32Op op) {
      if (op.getConfig())
        return;
      auto [mMin, mMax] = op.getMBucket();
      op.setConfigAttr(selectConfig(&getContext(), *model, op.getN(),
                                    op.getK(), mMin, mMax));
    });
  }
};
} // namespace
