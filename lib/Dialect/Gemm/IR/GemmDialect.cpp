//===- GemmDialect.cpp - gemm dialect and attributes ----------------------===//

#include "gemmgen/Dialect/Gemm/IR/Gemm.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::gemm;

#include "gemmgen/Dialect/Gemm/IR/GemmEnums.cpp.inc"
#include "gemmgen/Dialect/Gemm/IR/GemmOpsDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "gemmgen/Dialect/Gemm/IR/GemmAttrs.cpp.inc"

void GemmDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "gemmgen/Dialect/Gemm/IR/GemmOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "gemmgen/Dialect/Gemm/IR/GemmAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// ConfigAttr
//===----------------------------------------------------------------------===//

int64_t ConfigAttr::getPushBufferBytes(int64_t blockM, int64_t blockN,
                                       int64_t splitK,
                                       ReductionKind reduction,
                                       ScheduleKind schedule) {
  if (reduction != ReductionKind::ClusterPush)
    return 0;
  // The m64nN fragment: rows on wgmma's 64-row side, n its width (block_m
  // and block_n, swapped for swap_ab).
  bool swap = schedule == ScheduleKind::SwapAB;
  int64_t rows = swap ? blockN : blockM, width = swap ? blockM : blockN;
  // Owner r sums the register pairs r, r + split_k, ... of the fragment
  // (n / 4 pairs): ceil(pairs / split_k) per owner, two words each, from
  // each of the split_k ranks.
  int64_t perOwner = (width / 4 + splitK - 1) / splitK;
  return splitK * perOwner * 2 * (rows / 64) * 128 * 4;
}

int64_t ConfigAttr::getStoreStagingBytes(int64_t blockM, ScheduleKind schedule,
                                         EpilogueKind epilogue) {
  if (epilogue != EpilogueKind::TmaStore ||
      schedule != ScheduleKind::Persistent)
    return 0;
  return blockM / 64 * 2 * 64 * 32 * 4;
}

/// Dynamic shared memory of a config: the operand ring (x and y tiles per
/// stage, bf16), or the fp32 tile that the `cluster` split-K reduction or a
/// k-group sum parks in the ring's space once the main loop is done, plus
/// the push buffer and the persistent tma_store staging, plus 1 KiB of
/// slack so that the ring can start on the 1 KiB boundary 128-byte
/// swizzling needs.
static int64_t dynamicSharedBytes(int64_t blockM, int64_t blockN,
                                  int64_t blockK, int64_t stages,
                                  int64_t splitK, ReductionKind reduction,
                                  int64_t kGroups, ScheduleKind schedule,
                                  EpilogueKind epilogue) {
  // simt has no ring: only the k-groups' partial sums, one fp32 word per
  // (token, row, group).
  if (schedule == ScheduleKind::Simt)
    return kGroups > 1 ? 4 * blockM * blockN * kGroups : 0;
  int64_t ring = stages * (blockM + blockN) * blockK * 2;
  bool parks =
      (splitK > 1 && reduction == ReductionKind::Cluster) || kGroups > 1;
  int64_t partial = parks ? 4 * blockM * blockN : 0;
  return std::max(ring, partial) +
         ConfigAttr::getPushBufferBytes(blockM, blockN, splitK, reduction,
                                        schedule) +
         ConfigAttr::getStoreStagingBytes(blockM, schedule, epilogue) + 1024;
}

int64_t ConfigAttr::getSharedMemoryBytes() const {
  return dynamicSharedBytes(getBlockM(), getBlockN(), getBlockK(), getStages(),
                            getSplitK(), getReduction(), getKGroups(),
                            getSchedule(), getEpilogue());
}

int64_t ConfigAttr::getTotalSharedMemoryBytes(
    int64_t blockM, int64_t blockN, int64_t blockK, int64_t stages,
    int64_t splitK, ReductionKind reduction, int64_t kGroups,
    ScheduleKind schedule, EpilogueKind epilogue) {
  // The mbarriers (two per stage) live in static shared memory.
  int64_t barriers = schedule == ScheduleKind::Simt ? 0 : 2 * stages * 8;
  return dynamicSharedBytes(blockM, blockN, blockK, stages, splitK, reduction,
                            kGroups, schedule, epilogue) +
         barriers;
}

int64_t ConfigAttr::getBlockThreads() const {
  // simt: one warp per weight row and k-group.
  if (getSchedule() == ScheduleKind::Simt)
    return 32 * getBlockN() / getWarpRows() * getKGroups();
  // One producer warpgroup plus one consumer warpgroup per 64 rows on the
  // 64-row side of wgmma (M for warp_specialized, the weight's N for swap_ab).
  int64_t rows64 = getSchedule() == ScheduleKind::SwapAB ? getBlockN() / 64
                                                          : getBlockM() / 64;
  return 128 * (1 + rows64 * getKGroups());
}

static bool isPowerOf2(int64_t v) { return v > 0 && (v & (v - 1)) == 0; }

/// The simt schedule's rules: warps of 16-byte loads, no ring, no split.
static LogicalResult verifySimt(function_ref<InFlightDiagnostic()> emitError,
                                int64_t blockM, int64_t blockN, int64_t blockK,
                                int64_t stages, int64_t splitK,
                                int64_t clusterM, int64_t clusterN,
                                RasterOrder raster, int64_t kGroups,
                                int64_t warpRows) {
  if (blockM < 1 || blockM > 8)
    return emitError() << "simt needs block_m (tokens per CTA) in 1..8, got "
                       << blockM;
  if (blockK <= 0 || blockK % 256 != 0 || blockK > 2048)
    return emitError() << "simt needs block_k to be a multiple of 256 up to "
                          "2048 (32 lanes x 8 bf16 per load, at most 8 loads "
                          "per lane in flight), got "
                       << blockK;
  if (stages != 1 && stages != 2)
    return emitError() << "simt needs stages = 1 or 2 (the weight chunks in "
                          "registers: 2 loads a step's chunks while the "
                          "previous step multiplies), got "
                       << stages;
  if (splitK != 1 || clusterM != 1 || clusterN != 1 ||
      raster != RasterOrder::AlongN)
    return emitError() << "simt needs split_k = 1, cluster 1x1 and raster = "
                          "along_n (a CTA owns whole rows of the weight)";
  if (!isPowerOf2(kGroups) || kGroups > 8)
    return emitError() << "simt needs k_groups of 1, 2, 4 or 8, got "
                       << kGroups;
  if (warpRows < 1 || warpRows > 8)
    return emitError() << "simt needs warp_rows in 1..8, got " << warpRows;
  if (blockN % warpRows != 0 || 32 * blockN / warpRows * kGroups > 1024)
    return emitError() << "simt needs block_n to be a multiple of warp_rows "
                          "and 32 * block_n / warp_rows * k_groups threads, "
                          "at most 1024 (one warp per warp_rows rows and "
                          "k-group), got block_n = "
                       << blockN << ", warp_rows = " << warpRows
                       << " and k_groups = " << kGroups;
  return success();
}

LogicalResult ConfigAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 int64_t blockM, int64_t blockN, int64_t blockK,
                                 int64_t stages, ScheduleKind schedule,
                                 int64_t splitK, ReductionKind reduction,
                                 int64_t clusterM, int64_t clusterN,
                                 RasterOrder raster, int64_t kGroups,
                                 int64_t warpRows, EpilogueKind epilogue) {
  if (blockM <= 0 || blockN <= 0)
    return emitError() << "block_m and block_n must be positive, got "
                       << blockM << " and " << blockN;
  if (splitK == 1 && reduction != ReductionKind::None)
    return emitError() << "reduction must be 'none' when split_k = 1";
  if (epilogue == EpilogueKind::TmaStore &&
      ((schedule != ScheduleKind::WarpSpecialized &&
        schedule != ScheduleKind::Persistent) ||
       splitK != 1 || blockN % 32 != 0))
    return emitError() << "epilogue = tma_store needs schedule = "
                          "warp_specialized or persistent, split_k = 1 and "
                          "block_n a multiple of 32 (whole 32-column chunks "
                          "of one tile), got schedule = "
                       << stringifyScheduleKind(schedule)
                       << ", split_k = " << splitK
                       << " and block_n = " << blockN;
  if (schedule == ScheduleKind::Simt)
    return verifySimt(emitError, blockM, blockN, blockK, stages, splitK,
                      clusterM, clusterN, raster, kGroups, warpRows);
  if (warpRows != 1)
    return emitError() << "warp_rows = " << warpRows
                       << " needs schedule = simt";
  if (blockK <= 0 || blockK % 64 != 0)
    return emitError() << "block_k must be a positive multiple of 64 "
                          "(128-byte swizzled rows), got "
                       << blockK;
  if (stages < 2)
    return emitError() << "stages must be at least 2, got " << stages;
  if (splitK < 1)
    return emitError() << "split_k must be at least 1, got " << splitK;
  if (splitK > 1 && reduction == ReductionKind::None)
    return emitError() << "split_k = " << splitK
                       << " needs a reduction ('cluster', 'cluster_push', "
                          "'workspace' or 'atomic')";
  bool clusterReduction = reduction == ReductionKind::Cluster ||
                          reduction == ReductionKind::ClusterPush;
  if (!isPowerOf2(clusterM) || !isPowerOf2(clusterN) ||
      clusterM * clusterN > 8)
    return emitError() << "cluster shape " << clusterM << "x" << clusterN
                       << " must be powers of two with at most 8 CTAs";
  // The cluster holds every split rank's multicast group.
  if (clusterReduction && splitK * clusterM * clusterN > 8)
    return emitError() << "reduction '" << stringifyReductionKind(reduction)
                       << "' needs split_k x cluster_m x cluster_n <= 8 (one "
                          "cluster of the portable size), got split_k = "
                       << splitK << " and cluster " << clusterM << "x"
                       << clusterN;

  if (kGroups != 1 && kGroups != 2)
    return emitError() << "k_groups must be 1 or 2, got " << kGroups;
  if (kGroups > 1) {
    // Two consumer warpgroups of 64 rows; each group owns every other ring
    // slot, so the ring must split evenly between them.
    if (schedule != ScheduleKind::WarpSpecialized || blockM != 64 ||
        (splitK != 1 && !clusterReduction))
      return emitError() << "k_groups = " << kGroups
                         << " needs schedule = warp_specialized, block_m = "
                            "64 and split_k = 1 or a cluster reduction";
    if (stages % kGroups != 0)
      return emitError() << "k_groups = " << kGroups
                         << " needs stages to be a multiple of it (each "
                            "group owns every other ring slot), got "
                         << stages;
  }
  // The tiles grid is walked in the hardware's launch order (N first); only
  // the persistent schedule's own tile loop can follow another order.
  if (raster != RasterOrder::AlongN && schedule != ScheduleKind::Persistent)
    return emitError() << "raster = " << stringifyRasterOrder(raster)
                       << " needs schedule = persistent (other schedules "
                          "launch one CTA per tile, in the hardware's order)";

  switch (schedule) {
  case ScheduleKind::Persistent:
    if (splitK != 1)
      return emitError() << "persistent needs split_k = 1 (a CTA walks whole "
                            "output tiles), got "
                         << splitK;
    // The runtime launches (SMs / cluster size) clusters; clusters of 4 or
    // more do not all fit at once on an H100 (30 of 4, not 33).
    if (clusterM * clusterN > 2)
      return emitError() << "persistent needs a cluster of at most 2 CTAs, got "
                         << clusterM << "x" << clusterN;
    [[fallthrough]];
  case ScheduleKind::WarpSpecialized:
    if (blockM != 64 && blockM != 128)
      return emitError() << stringifyScheduleKind(schedule)
                         << " needs block_m of 64 or 128 "
                            "(one consumer warpgroup per 64 rows), got "
                         << blockM;
    if (blockN % 8 != 0 || blockN > 256)
      return emitError() << stringifyScheduleKind(schedule)
                         << " needs block_n to be a multiple "
                            "of 8 up to 256 (the wgmma n), got "
                         << blockN;
    break;
  case ScheduleKind::Simt:
    llvm_unreachable("checked by verifySimt");
  case ScheduleKind::SwapAB:
    if (blockN != 64 && blockN != 128)
      return emitError() << "swap_ab needs block_n of 64 or 128 (weight rows "
                            "on the 64-row side of wgmma), got "
                         << blockN;
    if (blockM % 8 != 0 || blockM > 256)
      return emitError() << "swap_ab needs block_m to be a multiple of 8 up "
                            "to 256 (the wgmma n), got "
                         << blockM;
    break;
  }

  int64_t total =
      getTotalSharedMemoryBytes(blockM, blockN, blockK, stages, splitK,
                                reduction, kGroups, schedule, epilogue);
  if (total > kMaxSharedMemoryBytes)
    return emitError() << "needs " << total
                       << " bytes of shared memory, more than the "
                       << kMaxSharedMemoryBytes << " one CTA may use";
  return success();
}
