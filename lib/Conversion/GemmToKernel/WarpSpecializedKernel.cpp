//===- WarpSpecializedKernel.cpp - TMA + mbarrier + wgmma kernel ----------===//
//
// The `warp_specialized` schedule. One CTA computes a block_m x block_n tile
// of out. Warpgroup 0 is the producer: one thread issues TMA loads of x and
// y tiles into a ring of `stages` shared-memory slots, each completing on a
// "full" mbarrier. Warpgroups 1..block_m/64 are consumers: each waits for a
// slot, issues wgmma m64n{block_n}k16 on its 64 rows, and releases the slot
// of the previous step on an "empty" mbarrier once that step's wgmma group
// has retired. The epilogue writes fp32 straight from the accumulator
// registers, masked against M and N. Loads past M, N or K read zeros (TMA
// out-of-bounds fill), which is what makes any shape correct.
//
// The `swap_ab` schedule is the same CTA computing out^T = y * x^T: the
// y tile (block_n weight rows) is wgmma's A operand, 64 rows per consumer
// warpgroup, and the x tile (block_m tokens) its B operand, the wgmma n.
// At decode M the weight then fills the tile instead of padding rows of x;
// the epilogue stores the transposed fragment, 4 bytes per element.
//
// The `persistent` schedule is the same CTA launched once per SM (per
// cluster of SMs): it walks output tiles ct = cluster, cluster + clusters,
// ... and its ring and barrier phases run on across tiles, so the producer
// loads the next tile while the consumers store the last one.
//
// With tma-store, a split-1 tile goes out through shared memory instead:
// each consumer warpgroup writes 32-column chunks of its 64 rows into a
// staging buffer laid out as the out descriptor's 128-byte-swizzled box,
// and one thread stores each chunk with a TMA bulk store (rows past M and
// columns past N are clipped by TMA), two chunks in flight.
//
// Shared memory: [x ring: stages x block_k/64 chunks of block_m x 64 bf16]
// [y ring: stages x block_k/64 chunks of block_n x 64 bf16], every chunk a
// 128-byte-swizzled, 1 KiB-aligned TMA box; with `cluster_push`, then the
// push buffer (fp32 slices the other split ranks store into); with
// tma-store in the persistent schedule, then the staging buffers (one-tile
// kernels stage in the ring, free once the main loop is done).
//
//===----------------------------------------------------------------------===//

#include "gemmgen/Conversion/GemmToKernel/GemmToKernel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

using namespace mlir;
using namespace mlir::gemm;

namespace {
/// Cluster tiles along M per band of the grouped raster: with clusters of
/// 2 along M and 128-row tiles, 2048 rows of x against a wave of ~8 N tiles.
constexpr int64_t kRasterGroup = 8;
/// tma-store: a staged chunk is 64 rows x 32 fp32 columns, one 128-byte
/// swizzled row each (the widest box 128-byte swizzling allows); each
/// consumer warpgroup has two, so that one fills while the other drains.
constexpr int64_t kStoreCols = 32;
constexpr int64_t kStoreChunkBytes = 64 * kStoreCols * 4;
constexpr int64_t kStoreBuffers = 2;

/// Builds the kernel body; keeps the shape, the config and the common values
/// at hand so that each part of the kernel is a short method.
class WarpSpecializedBuilder {
public:
  WarpSpecializedBuilder(ImplicitLocOpBuilder &b, LinearBf16Fp32Op op,
                         const WarpSpecializedOptions &options)
      : b(b), ctx(b.getContext()), config(*op.getConfig()), n(op.getN()),
        k(op.getK()), shiftTail(options.shiftTailTiles),
        vectorPush(options.vectorPush),
        tmaStore(config.getEpilogue() == EpilogueKind::TmaStore) {
    blockM = config.getBlockM();
    blockN = config.getBlockN();
    blockK = config.getBlockK();
    stages = config.getStages();
    swap = config.getSchedule() == ScheduleKind::SwapAB;
    // The wgmma fragment: fragRows on its 64-row side (one consumer
    // warpgroup each 64), fragN its n.
    fragRows = swap ? blockN : blockM;
    fragN = swap ? blockM : blockN;
    rowGroups = fragRows / 64;
    kGroups = config.getKGroups();
    consumers = rowGroups * kGroups;
    splitK = config.getSplitK();
    push = config.getReduction() == ReductionKind::ClusterPush;
    persistent = config.getSchedule() == ScheduleKind::Persistent;
    // The push form's start-up arrival is one phase per kernel and its wait
    // one per tile: one tile per CTA (the verifier keeps split-K out of the
    // persistent schedule).
    assert(!(push && persistent) && "cluster_push needs one tile per CTA");
    clusterM = config.getClusterM();
    clusterN = config.getClusterN();
    assert(!(swap && clusterM * clusterN > 1) &&
           "swap_ab has no multicast clusters (the conversion checks)");
    yRows = blockN / clusterM;
    xRows = blockM / clusterN;
    // CTAs whose loads land in this CTA's ring: its column of the cluster
    // (the y slices) and its row (the x slices).
    writers = clusterM + clusterN - 1;
    chunks = blockK / 64;
    kTiles = (k + blockK - 1) / blockK;
    workgroup = gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  }

  void build(gpu::GPUFuncOp func);

private:
  Value cIdx(int64_t v) { return arith::ConstantIndexOp::create(b, v); }
  Value cI64(int64_t v) { return arith::ConstantIntOp::create(b, v, 64); }

  MemRefType chunkType(int64_t rows) {
    return MemRefType::get({rows, 64}, b.getBF16Type(), MemRefLayoutAttrInterface(),
                           workgroup);
  }
  nvgpu::TensorMapDescriptorType descType(int64_t rows) {
    // The descriptor's box: rows x 64 bf16 (128 bytes), 128-byte swizzle,
    // zero fill out of bounds.
    auto box = MemRefType::get({rows, 64}, b.getBF16Type(),
                               MemRefLayoutAttrInterface(), b.getI64IntegerAttr(3));
    return nvgpu::TensorMapDescriptorType::get(
        ctx, box, nvgpu::TensorMapSwizzleKind::SWIZZLE_128B,
        nvgpu::TensorMapL2PromoKind::L2PROMO_256B,
        nvgpu::TensorMapOOBKind::OOB_ZERO,
        nvgpu::TensorMapInterleaveKind::INTERLEAVE_NONE);
  }

  /// Byte offsets (from the aligned ring start) of chunk `j` of stage `s`.
  Value xChunkOffset(Value s, int64_t j) {
    Value stageOff = arith::MulIOp::create(b, s, cIdx(blockM * blockK * 2));
    return arith::AddIOp::create(b, stageOff, cIdx(j * blockM * 128));
  }
  Value yChunkOffset(Value s, int64_t j) {
    Value stageOff = arith::MulIOp::create(b, s, cIdx(blockN * blockK * 2));
    return arith::AddIOp::create(
        b, stageOff, cIdx(stages * blockM * blockK * 2 + j * blockN * 128));
  }

  /// (stage, phase parity) of k-step `kt`.
  std::pair<Value, Value> slotAndParity(Value kt) {
    Value s = arith::RemUIOp::create(b, kt, cIdx(stages));
    Value round = arith::DivUIOp::create(b, kt, cIdx(stages));
    Value parity = arith::RemUIOp::create(b, round, cIdx(2));
    Value bit = arith::IndexCastOp::create(b, b.getI1Type(), parity);
    return {s, bit};
  }

  /// A wgmma shared-memory descriptor for a 128-byte-swizzled K-major tile
  /// at shared address `addr`: start address (addr & 0x3FFFF) >> 4, leading
  /// byte offset 1, stride byte offset 1024 B (8 rows of 128 B), swizzle
  /// mode 128 B (bit 62).
  Value smemDescriptor(Value addr) {
    Value a64 = arith::IndexCastOp::create(b, b.getI64Type(), addr);
    Value masked = arith::AndIOp::create(b, a64, cI64(0x3FFFF));
    Value start = arith::ShRUIOp::create(b, masked, cI64(4));
    const int64_t hi = (int64_t(1) << 62) | (int64_t(1024 >> 4) << 32) |
                       (int64_t(1) << 16);
    return arith::OrIOp::create(b, start, cI64(hi));
  }

  /// Arrives on barrier `index` of `group` in the shared memory of cluster
  /// CTA `rank`. Release at CTA scope is enough (as in CUTLASS): the
  /// consumers only read the slot, and cluster scope made every k-step wait
  /// for the release.
  void remoteArrive(Value group, Value index, Value rank) {
    auto sharedPtr = LLVM::LLVMPointerType::get(ctx, 3);
    auto clusterPtr = LLVM::LLVMPointerType::get(ctx, 7);
    Value addr = nvgpu::MBarrierGetOp::create(b, b.getI32Type(), group, index);
    Value local = LLVM::IntToPtrOp::create(b, sharedPtr, addr);
    Value r32 = arith::IndexCastOp::create(b, b.getI32Type(), rank);
    Value remote = NVVM::MapaOp::create(b, clusterPtr, local, r32);
    NVVM::MBarrierArriveOp::create(b, Type(), remote, Value(),
                                   NVVM::MemScopeKind::CTA, false);
  }

  /// The cluster rank of the t-th CTA that writes this CTA's ring: t <
  /// cluster_m walks its column (itself included), the rest its row
  /// without itself.
  Value releaseRank(Value t) {
    Value inColumn = arith::AddIOp::create(
        b, clusterX, arith::MulIOp::create(b, t, cIdx(clusterN)));
    if (clusterN == 1)
      return withGroupBase(inColumn);
    Value i = arith::SubIOp::create(
        b, arith::MaxUIOp::create(b, t, cIdx(clusterM)), cIdx(clusterM));
    Value skipSelf = arith::SelectOp::create(
        b, arith::CmpIOp::create(b, arith::CmpIPredicate::ult, i, clusterX), i,
        arith::AddIOp::create(b, i, cIdx(1)));
    Value inRow = arith::AddIOp::create(
        b, skipSelf, arith::MulIOp::create(b, clusterY, cIdx(clusterN)));
    return withGroupBase(arith::SelectOp::create(
        b,
        arith::CmpIOp::create(b, arith::CmpIPredicate::ult, t, cIdx(clusterM)),
        inColumn, inRow));
  }

  /// A rank within this CTA's multicast group made a cluster rank: with
  /// split-K the cluster is split_k such groups, one per split rank.
  Value withGroupBase(Value rank) {
    return groupBase ? arith::AddIOp::create(b, rank, groupBase).getResult()
                     : rank;
  }

  /// The cluster rank (i32) of the CTA of split rank `r` that computes
  /// the same output tile as this one.
  Value splitPeerRank(int64_t r) {
    if (!groupRank)
      return arith::ConstantIntOp::create(b, r, 32);
    Value rank =
        arith::AddIOp::create(b, cIdx(r * clusterM * clusterN), groupRank);
    return arith::IndexCastOp::create(b, b.getI32Type(), rank);
  }

  void buildKRange();
  /// shift-tail-tiles: moves m0 and n0 back so that the tile ends at M and
  /// N where it would reach past them (and they hold a whole tile).
  void shiftTailTile();
  /// Persistent schedule: the cluster's index and count, and the number
  /// of cluster tiles for this call's M.
  void buildTileSpace(Value bx, Value by);
  /// Sets n0 and m0 to cluster tile `ct` (persistent schedule).
  void setTile(Value ct);
  /// Wraps `body(base)` in the loop over this CTA's tiles (persistent) or
  /// calls it once with base 0; base is the ring step of the tile's first
  /// k-step.
  void forEachTile(function_ref<void(Value base)> body);
  void buildProducer();
  void buildProducerTile(Value base);
  /// TMA load of `rows` rows of a 64-wide chunk into the ring at
  /// `chunkOff`: rows row0 + slice * rows on, placed slice * rows rows into
  /// the chunk (slice null: the whole tile from row0), multicast to `mask`.
  void loadSlice(Value desc, Value chunkOff, Value kc, Value row0, Value slice,
                 int64_t rows, Value mask, Value stage);
  void buildConsumer(Value tid, Value wg);
  /// The main loop and epilogue of one consumer warpgroup for one tile;
  /// `group` is its k-group (ring steps group, group + kGroups, ...).
  void buildConsumerTile(Value base, Value cw, Value ltid, Value isLeader,
                         Value rowsOff, int64_t group);
  /// k-groups: group 0 adds the other groups' accumulators (through shared
  /// memory, in group order); returns the sum in group 0, null elsewhere.
  Value buildGroupSum(Value acc, Value ltid, int64_t group);
  /// bar.sync `id` over `threads` threads (the consumer warpgroups: the
  /// producer never joins a named barrier); `aligned = false` where the
  /// threads reach it from different instructions (barrier.sync).
  void namedBarrier(int64_t id, int64_t threads, bool aligned = true);
  /// A shared-memory pointer to the ring's first byte: the fp32 scratch of
  /// the reductions, which reuse the ring once the main loop is done.
  Value ringPtr();
  /// The fp32 word `index` (i64) of the scratch at `base` (ringPtr()).
  Value scratchWord(Value base, Value index);
  /// Consumer release of ring slot `slot`: one arrival per warpgroup, or
  /// one per writer CTA of a multicast cluster.
  void releaseSlot(Value slot, Value ltid, Value isLeader);
  /// Positions of this thread's accumulator fragment in out; `storePair`
  /// writes register pair p (masked).
  void buildFragmentPositions(Value cw, Value ltid);
  void storePair(int64_t p, Value e0, Value e1);
  void storePairAt(Value p, Value e0, Value e1, Value valid);
  /// Masked stores of a pair at column `col`, element offset `off`.
  void storeMasked(Value col, Value off, Value rowOkV, Value e0, Value e1);
  /// swap_ab: stores of a pair at tokens `token` and `token` + 1 (rows of
  /// out), column offset `nOff` (i64), masked by `nOk` and against M.
  void storeTransposed(Value token, Value nOff, Value nOk, Value e0,
                       Value e1);
  void buildEpilogue(Value acc);
  /// tma-store: the tile through the staging buffers and TMA bulk stores.
  void buildTmaStoreEpilogue(Value acc, Value cw, Value ltid, Value isLeader);
  /// The rows from `firstRow` of consumer warpgroup `wg`.
  void buildTmaStoreRows(Value acc, int64_t wg, Value ltid, Value isLeader,
                         Value firstRow, int64_t ringBytes);
  void buildClusterReduction(Value acc, Value cw, Value ltid);
  /// vector-push: the pull form with four values per remote load (the
  /// partial parked in the push buffer's layout, in the ring).
  void buildVectorClusterReduction(Value acc, Value cw, Value ltid);
  void buildClusterPushReduction(Value acc, Value cw, Value ltid);
  /// The vector layout of split-K slices (vector-push): section s holds, for
  /// owner s, owned pairs j of every thread; pairs j = 2g, 2g + 1 of thread
  /// t are four words at g * 4 * threads + t * 4 (a warp's 16-byte accesses
  /// consecutive), an odd last pair two words at (perOwner - 1) * 2 *
  /// threads + t * 2. Returns word (s, j, e) from `base`.
  Value vectorSliceWord(Value base, Value section, int64_t j, int64_t e,
                        Value thread64);
  /// Pairs per owner: ceil(pairs / split_k), pairs = fragN / 4.
  int64_t pairsPerOwner() const { return (fragN / 4 + splitK - 1) / splitK; }
  /// Values one vector access moves at owned pair j (even): 4 (j and
  /// j + 1), or 2 for an odd last pair.
  int64_t vectorWidth(int64_t j) const {
    return j + 1 < pairsPerOwner() ? 4 : 2;
  }
  /// The owned pairs j, j + 1, ... that one vector access covers: the
  /// values of this rank's accumulator for owner `r` (pairs past the tile,
  /// where pairs % split_k != 0, are left out).
  SmallVector<Value> ownedValues(Value acc, int64_t r, int64_t j);
  /// Whether warp ltid / 32 of consumer warpgroup cw holds any row below M:
  /// a warp of the m64nN fragment holds 16 rows, so at small M most warps
  /// of a tile have nothing to reduce or store (uniform in the warp).
  Value warpHasRows(Value cw, Value ltid);
  /// Builds `body` under `scf.if cond`.
  void buildIf(Value cond, function_ref<void()> body);

  ImplicitLocOpBuilder &b;
  MLIRContext *ctx;
  ConfigAttr config;
  int64_t n, k, blockM, blockN, blockK, stages, consumers, chunks, kTiles;
  // The last tiles start at M - block_m and N - block_n (shiftTailTile).
  bool shiftTail;
  // Split-K moves four values per remote store (cluster_push) or remote
  // load (cluster) (vector-push).
  bool vectorPush;
  // epilogue = tma_store: the tile goes out by TMA stores; kernel argument
  // 2 is out's descriptor.
  bool tmaStore;
  // swap_ab: y is wgmma's A operand and x its B (out^T = y * x^T).
  bool swap = false;
  // The accumulator fragment's rows (on wgmma's 64-row side) and its n:
  // block_m and block_n, or block_n and block_m with swap_ab.
  int64_t fragRows, fragN;
  // Consumer warpgroups per k-group (one per 64 rows) and k-groups: group
  // g takes ring steps g, g + kGroups, ...; consumers = rowGroups * kGroups.
  int64_t rowGroups, kGroups;
  int64_t splitK;
  // Split-K partials go to their owners by remote stores (cluster_push).
  bool push = false;
  bool persistent;
  // CTAs along M and N per cluster; the rows of y (x) each CTA loads and
  // multicasts to the others of its cluster column (row).
  int64_t clusterM, clusterN, yRows, xRows, writers;
  gpu::AddressSpaceAttr workgroup;

  // Values shared by the parts of the kernel (outPtr: out's descriptor
  // with tma-store).
  Value descX, descY, outPtr, mArg, ldcArg;
  Value smem, pad, alignedBase, full, empty, m0, n0, isThread0;
  // This CTA's share of the K tiles (all of them without split-K).
  Value kBegin, kCount, splitRank;
  // Position of this CTA in its multicast group: cx along N, cy along M.
  // The cluster is (cluster_n, cluster_m, split_k) CTAs: the group of
  // split rank z starts at cluster rank groupBase = z * cluster_m *
  // cluster_n, and this CTA's cluster rank is groupBase + groupRank,
  // groupRank = cx + cy * cluster_n (both null without a multicast group).
  Value clusterX, clusterY, groupBase, groupRank;
  // Persistent schedule: this CTA's cluster, the number of clusters, the
  // cluster tiles along N and in all.
  Value clusterIdx, numClusters, clusterTilesN, clusterTiles;
  Value persistentX, persistentY;
  int64_t clusterTilesNCount = 0;
  // Fragment positions (buildFragmentPositions): its rows are out's rows,
  // or out's columns with swap_ab (then rowOff is the column and colBase
  // the first token).
  Value colBase, rowOk[2], rowOff[2], mIndex;
};
} // namespace

void WarpSpecializedBuilder::build(gpu::GPUFuncOp func) {
  Block &entry = func.getBody().front();
  b.setInsertionPointToStart(&entry);

  descX = UnrealizedConversionCastOp::create(b, descType(xRows),
                                             entry.getArgument(0))
              .getResult(0);
  descY = UnrealizedConversionCastOp::create(b, descType(yRows),
                                             entry.getArgument(1))
              .getResult(0);
  outPtr = entry.getArgument(2);
  mArg = entry.getArgument(3);
  ldcArg = entry.getArgument(4);

  // Programmatic dependent launch: the next kernel in the stream may be
  // scheduled now, so its launch and prologue overlap this one; it waits
  // for this grid's completion itself (griddepcontrol.wait below).
  NVVM::GriddepcontrolOp::create(b, NVVM::GridDepActionKind::launch_dependents);
  Value tid = gpu::ThreadIdOp::create(b, gpu::Dimension::x);
  Value wg = arith::DivUIOp::create(b, tid, cIdx(128));
  Value bx = gpu::BlockIdOp::create(b, gpu::Dimension::x);
  Value by = gpu::BlockIdOp::create(b, gpu::Dimension::y);
  if (persistent) {
    buildTileSpace(bx, by);
  } else {
    n0 = arith::MulIOp::create(b, bx, cIdx(blockN));
    m0 = arith::MulIOp::create(b, by, cIdx(blockM));
    shiftTailTile();
  }
  buildKRange();

  // The ring starts at the first 1 KiB boundary of dynamic shared memory
  // (128-byte swizzling repeats every 1 KiB; the config reserves the slack).
  auto smemType = MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                                  MemRefLayoutAttrInterface(), workgroup);
  smem = gpu::DynamicSharedMemoryOp::create(b, smemType);
  Value base = memref::ExtractAlignedPointerAsIndexOp::create(b, smem);
  Value rem = arith::RemUIOp::create(b, base, cIdx(1024));
  Value gap = arith::SubIOp::create(b, cIdx(1024), rem);
  pad = arith::RemUIOp::create(b, gap, cIdx(1024));
  alignedBase = arith::AddIOp::create(b, base, pad);

  auto barType = nvgpu::MBarrierGroupType::get(ctx, workgroup, stages);
  full = nvgpu::MBarrierCreateOp::create(b, barType);
  empty = nvgpu::MBarrierCreateOp::create(b, barType);
  isThread0 = arith::CmpIOp::create(b, arith::CmpIPredicate::eq, tid, cIdx(0));
  {
    auto init = scf::IfOp::create(b, isThread0, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(init.thenBlock());
    for (int64_t s = 0; s < stages; ++s) {
      // full: the producer's expect_tx arrival plus the TMA bytes (its own
      // and those the other CTAs of the cluster multicast here);
      // empty: one arrival per consumer warpgroup of every CTA whose slot
      // this CTA's loads write (its cluster row and column); of one k-group
      // only, the one that owns the slot.
      nvgpu::MBarrierInitOp::create(b, full, cIdx(1), cIdx(s), Value());
      nvgpu::MBarrierInitOp::create(b, empty, cIdx(rowGroups * writers),
                                    cIdx(s), Value());
    }
    nvgpu::TmaPrefetchOp::create(b, descX, Value());
    nvgpu::TmaPrefetchOp::create(b, descY, Value());
    if (writers > 1)
      NVVM::FenceMbarrierInitOp::create(b);
  }
  if (writers > 1) {
    // The other CTAs' multicasts and arrivals may only start once every
    // barrier of the cluster is initialized.
    Value rank = arith::IndexCastOp::create(
        b, b.getIndexType(), NVVM::ClusterId::create(b, b.getI32Type()));
    groupRank = rank;
    if (splitK > 1) {
      groupRank = arith::RemUIOp::create(b, rank, cIdx(clusterM * clusterN));
      groupBase = arith::SubIOp::create(b, rank, groupRank);
    }
    clusterX = arith::RemUIOp::create(b, groupRank, cIdx(clusterN));
    clusterY = arith::DivUIOp::create(b, groupRank, cIdx(clusterN));
    NVVM::ClusterArriveOp::create(b, b.getUnitAttr());
    NVVM::ClusterWaitOp::create(b, b.getUnitAttr());
  } else {
    gpu::BarrierOp::create(b);
  }
  if (splitK > 1 && push) {
    // A CTA may write into another's shared memory only once that CTA has
    // started: every thread arrives here and the pushing threads wait on
    // this phase just before their first remote store, long after.
    NVVM::ClusterArriveRelaxedOp::create(b, b.getUnitAttr());
  }
  // Nothing before this point touches global memory (the descriptors are
  // kernel parameters): wait for the previous grid here, once the barriers
  // are set up, before the first load of x or y and any store to out.
  NVVM::GriddepcontrolOp::create(b, NVVM::GridDepActionKind::wait);

  Value isProducer =
      arith::CmpIOp::create(b, arith::CmpIPredicate::eq, wg, cIdx(0));
  auto roles = scf::IfOp::create(b, isProducer, /*withElseRegion=*/true);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(roles.thenBlock());
    buildProducer();
    b.setInsertionPointToStart(roles.elseBlock());
    buildConsumer(tid, wg);
  }
  if (writers > 1 && splitK == 1) {
    // The other CTAs still arrive on this CTA's empty barriers until their
    // last k-step: keep its shared memory until the whole cluster is done.
    // With split-K the reduction's cluster barriers come after every
    // consumer's last arrival and keep it as long (the producer, which
    // leaves early, must not arrive on a barrier phase of theirs).
    NVVM::ClusterArriveOp::create(b, UnitAttr());
    NVVM::ClusterWaitOp::create(b, UnitAttr());
  }
  gpu::ReturnOp::create(b);
}

void WarpSpecializedBuilder::buildTileSpace(Value bx, Value by) {
  // Grid: (cluster_n * clusters, cluster_m, 1) with clusters (cluster_n,
  // cluster_m, 1); a cluster tile is cluster_n x cluster_m output tiles.
  Value gx = gpu::GridDimOp::create(b, gpu::Dimension::x);
  clusterIdx = arith::DivUIOp::create(b, bx, cIdx(clusterN));
  numClusters = arith::DivUIOp::create(b, gx, cIdx(clusterN));
  int64_t tilesN = (n + blockN - 1) / blockN;
  clusterTilesNCount = (tilesN + clusterN - 1) / clusterN;
  clusterTilesN = cIdx(clusterTilesNCount);
  Value m = arith::IndexCastOp::create(b, b.getIndexType(), mArg);
  Value tilesM = arith::DivUIOp::create(
      b, arith::AddIOp::create(b, m, cIdx(blockM - 1)), cIdx(blockM));
  Value clusterTilesM = arith::DivUIOp::create(
      b, arith::AddIOp::create(b, tilesM, cIdx(clusterM - 1)), cIdx(clusterM));
  clusterTiles = arith::MulIOp::create(b, clusterTilesM, clusterTilesN);
  // The CTA's place in its cluster, from the block index (the cluster
  // rank is x + y * cluster_n, as the multicast masks assume).
  persistentX = arith::RemUIOp::create(b, bx, cIdx(clusterN));
  persistentY = by;
}

void WarpSpecializedBuilder::setTile(Value ct) {
  // along_n: consecutive clusters take consecutive tiles along N, so the
  // CTAs running at once share the x rows of a few M tiles.
  Value ctN = arith::RemUIOp::create(b, ct, clusterTilesN);
  Value ctM = arith::DivUIOp::create(b, ct, clusterTilesN);
  if (config.getRaster() == RasterOrder::AlongM) {
    // along_m: consecutive clusters walk M first.
    Value clusterTilesM =
        arith::DivUIOp::create(b, clusterTiles, clusterTilesN);
    ctM = arith::RemUIOp::create(b, ct, clusterTilesM);
    ctN = arith::DivUIOp::create(b, ct, clusterTilesM);
  } else if (config.getRaster() == RasterOrder::Grouped) {
    // grouped: bands of kRasterGroup cluster tiles along M, each walked M
    // first. The clusters running at once then cover a few M tiles by a
    // few N tiles, so both x and y rows are reused from L2 when neither
    // fits whole (along_n rereads all of y per wave of clusters).
    Value clusterTilesM =
        arith::DivUIOp::create(b, clusterTiles, clusterTilesN);
    Value perBand = cIdx(clusterTilesNCount * kRasterGroup);
    Value firstM = arith::MulIOp::create(
        b, arith::DivUIOp::create(b, ct, perBand), cIdx(kRasterGroup));
    Value rows = arith::MinUIOp::create(
        b, arith::SubIOp::create(b, clusterTilesM, firstM), cIdx(kRasterGroup));
    Value inBand = arith::RemUIOp::create(b, ct, perBand);
    ctM = arith::AddIOp::create(b, firstM,
                                arith::RemUIOp::create(b, inBand, rows));
    ctN = arith::DivUIOp::create(b, inBand, rows);
  }
  Value tileN = arith::AddIOp::create(
      b, arith::MulIOp::create(b, ctN, cIdx(clusterN)), persistentX);
  Value tileM = arith::AddIOp::create(
      b, arith::MulIOp::create(b, ctM, cIdx(clusterM)), persistentY);
  n0 = arith::MulIOp::create(b, tileN, cIdx(blockN));
  m0 = arith::MulIOp::create(b, tileM, cIdx(blockM));
  shiftTailTile();
}

void WarpSpecializedBuilder::shiftTailTile() {
  if (!shiftTail)
    return;
  // Every CTA that shares a multicast slice computes the same m0 (n0) from
  // the same block index, so the slices still line up.
  if (n >= blockN && n % blockN != 0)
    n0 = arith::MinUIOp::create(b, n0, cIdx(n - blockN));
  Value m = arith::IndexCastOp::create(b, b.getIndexType(), mArg);
  Value whole =
      arith::CmpIOp::create(b, arith::CmpIPredicate::uge, m, cIdx(blockM));
  // M - block_m wraps when M < block_m: then the select keeps m0.
  Value last = arith::SubIOp::create(b, m, cIdx(blockM));
  m0 = arith::SelectOp::create(b, whole, arith::MinUIOp::create(b, m0, last),
                               m0);
}

void WarpSpecializedBuilder::forEachTile(function_ref<void(Value)> body) {
  if (!persistent) {
    body(cIdx(0));
    return;
  }
  scf::ForOp::create(
      b, clusterIdx, clusterTiles, numClusters, ValueRange{cIdx(0)},
      [&](OpBuilder &ob, Location loc, Value ct, ValueRange iter) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(ob.getInsertionBlock(), ob.getInsertionPoint());
        setTile(ct);
        body(iter[0]);
        scf::YieldOp::create(
            b, ValueRange{arith::AddIOp::create(b, iter[0], kCount)});
      });
}

void WarpSpecializedBuilder::buildKRange() {
  if (splitK == 1) {
    kBegin = cIdx(0);
    kCount = cIdx(kTiles);
    return;
  }
  // The split_k CTAs of a cluster (grid z) share the K tiles as evenly as
  // possible: the first kTiles % split_k ranks take one more.
  splitRank = gpu::BlockIdOp::create(b, gpu::Dimension::z);
  int64_t base = kTiles / splitK, rem = kTiles % splitK;
  Value lower = arith::MinUIOp::create(b, splitRank, cIdx(rem));
  kBegin = arith::AddIOp::create(
      b, arith::MulIOp::create(b, splitRank, cIdx(base)), lower);
  Value takesExtra =
      arith::CmpIOp::create(b, arith::CmpIPredicate::ult, splitRank, cIdx(rem));
  kCount = arith::SelectOp::create(b, takesExtra, cIdx(base + 1), cIdx(base));
}

void WarpSpecializedBuilder::buildProducer() {
  // With two consumer warpgroups the register file is the limit: hand the
  // producer's registers to the consumers.
  if (consumers == 2)
    NVVM::SetMaxRegisterOp::create(b, 40, NVVM::SetMaxRegisterAction::decrease);
  auto only0 = scf::IfOp::create(b, isThread0, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(only0.thenBlock());
  forEachTile([&](Value base) { buildProducerTile(base); });
}

void WarpSpecializedBuilder::buildProducerTile(Value base) {
  OpBuilder::InsertionGuard guard(b);
  auto loop = scf::ForOp::create(b, cIdx(0), kCount, cIdx(1));
  b.setInsertionPointToStart(loop.getBody());
  Value kt = loop.getInductionVar();
  // The ring step runs on across tiles (base): slot and phase follow it.
  auto [s, parity] = slotAndParity(arith::AddIOp::create(b, base, kt));
  // Wait until the consumers released the slot (the first round passes: a
  // fresh barrier has completed the phase before phase 0).
  Value notParity = arith::XOrIOp::create(
      b, parity, arith::ConstantIntOp::create(b, 1, 1));
  Value ticks = cIdx(10000000);
  nvgpu::MBarrierTryWaitParityOp::create(b, empty, notParity, ticks, s);
  int64_t txBytes = (blockM + blockN) * blockK * 2;
  // y goes to this CTA's cluster column (ranks cx + j * cluster_n), x to
  // its row (ranks i + cy * cluster_n), in its split rank's group.
  Value yMask, xMask;
  if (clusterM > 1) {
    int64_t column = 0;
    for (int64_t j = 0; j < clusterM; ++j)
      column |= int64_t(1) << (j * clusterN);
    yMask = arith::ShLIOp::create(
        b, arith::ConstantIntOp::create(b, column, 16),
        arith::IndexCastOp::create(b, b.getI16Type(),
                                   withGroupBase(clusterX)));
  }
  if (clusterN > 1)
    xMask = arith::ShLIOp::create(
        b, arith::ConstantIntOp::create(b, (1 << clusterN) - 1, 16),
        arith::IndexCastOp::create(
            b, b.getI16Type(),
            withGroupBase(arith::MulIOp::create(b, clusterY, cIdx(clusterN)))));
  nvgpu::MBarrierArriveExpectTxOp::create(b, full, cIdx(txBytes), s, Value());
  Value kBase = arith::MulIOp::create(
      b, arith::AddIOp::create(b, kBegin, kt), cIdx(blockK));
  for (int64_t j = 0; j < chunks; ++j) {
    Value kc = arith::AddIOp::create(b, kBase, cIdx(j * 64));
    // This CTA's slice of the x tile goes to the same place in every CTA of
    // its cluster row, its slice of y to its cluster column.
    loadSlice(descX, xChunkOffset(s, j), kc, m0,
              clusterN > 1 ? clusterX : Value(), xRows, xMask, s);
    loadSlice(descY, yChunkOffset(s, j), kc, n0,
              clusterM > 1 ? clusterY : Value(), yRows, yMask, s);
  }
}

void WarpSpecializedBuilder::loadSlice(Value desc, Value chunkOff, Value kc,
                                       Value row0, Value slice, int64_t rows,
                                       Value mask, Value stage) {
  Value off = arith::AddIOp::create(b, pad, chunkOff);
  Value row = row0;
  if (slice) {
    off = arith::AddIOp::create(
        b, off, arith::MulIOp::create(b, slice, cIdx(rows * 128)));
    row = arith::AddIOp::create(b, row0,
                                arith::MulIOp::create(b, slice, cIdx(rows)));
  }
  Value dst =
      memref::ViewOp::create(b, chunkType(rows), smem, off, ValueRange());
  nvgpu::TmaAsyncLoadOp::create(b, dst, full, desc, ValueRange{kc, row}, stage,
                                mask, Value());
}

void WarpSpecializedBuilder::buildConsumer(Value tid, Value wg) {
  if (consumers == 2)
    NVVM::SetMaxRegisterOp::create(b, 232,
                                   NVVM::SetMaxRegisterAction::increase);
  Value consumer = arith::SubIOp::create(b, wg, cIdx(1));
  Value ltid = arith::RemUIOp::create(b, tid, cIdx(128));
  Value isLeader =
      arith::CmpIOp::create(b, arith::CmpIPredicate::eq, ltid, cIdx(0));
  if (kGroups == 1) {
    // This warpgroup's 64 rows inside each chunk of its A operand (x, or
    // y with swap_ab).
    Value rowsOff = arith::MulIOp::create(b, consumer, cIdx(64 * 128));
    forEachTile([&](Value base) {
      buildConsumerTile(base, consumer, ltid, isLeader, rowsOff, 0);
    });
    // The staging must outlive the bulk stores' reads of it.
    if (tmaStore)
      buildIf(isLeader, [&] {
        NVVM::CpAsyncBulkWaitGroupOp::create(b, 0, b.getUnitAttr());
      });
    return;
  }
  // k-groups (block_m = 64, one warpgroup per group): warpgroup g takes the
  // ring steps g, g + kGroups, ... The group is known per branch, so each
  // one's step sequence is built with constants.
  auto isGroup0 =
      arith::CmpIOp::create(b, arith::CmpIPredicate::eq, consumer, cIdx(0));
  auto groups = scf::IfOp::create(b, isGroup0, /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  for (int64_t g = 0; g < kGroups; ++g) {
    b.setInsertionPointToStart(g == 0 ? groups.thenBlock()
                                      : groups.elseBlock());
    buildConsumerTile(cIdx(0), cIdx(0), ltid, isLeader, cIdx(0), g);
    // Group 0 stores the sum: its staging must outlive the bulk stores.
    if (tmaStore && g == 0)
      buildIf(isLeader, [&] {
        NVVM::CpAsyncBulkWaitGroupOp::create(b, 0, b.getUnitAttr());
      });
  }
}

void WarpSpecializedBuilder::releaseSlot(Value slot, Value ltid,
                                         Value isLeader) {
  // With a multicast cluster, thread t of the warpgroup arrives on the
  // t-th CTA that writes this CTA's ring (releaseRank).
  Value releases = writers == 1
                       ? isLeader
                       : arith::CmpIOp::create(b, arith::CmpIPredicate::ult,
                                               ltid, cIdx(writers))
                             .getResult();
  auto relIf = scf::IfOp::create(b, releases, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(relIf.thenBlock());
  if (writers == 1)
    nvgpu::MBarrierArriveOp::create(b, empty, slot);
  else
    remoteArrive(empty, slot, releaseRank(ltid));
}

void WarpSpecializedBuilder::buildConsumerTile(Value base, Value cw, Value ltid,
                                               Value isLeader, Value rowsOff,
                                               int64_t group) {
  auto accType = LLVM::LLVMStructType::getLiteral(
      ctx, SmallVector<Type>(fragN / 2, b.getF32Type()));
  auto shape = NVVM::MMAShapeAttr::get(ctx, 64, fragN, 16);
  Value ticks = cIdx(10000000);

  // Ring step of this warpgroup's j-th k-step.
  auto ringStep = [&](Value j) {
    Value own =
        kGroups == 1
            ? j
            : arith::AddIOp::create(
                  b, arith::MulIOp::create(b, j, cIdx(kGroups)), cIdx(group));
    return arith::AddIOp::create(b, base, own);
  };
  // This warpgroup's k-steps: all of kCount, or its share of the k-groups'
  // (ceil((kCount - group) / kGroups); kCount varies by split rank).
  Value steps = kCount;
  if (kGroups > 1 && splitK == 1)
    steps = cIdx((kTiles - group + kGroups - 1) / kGroups);
  else if (kGroups > 1)
    steps = arith::DivUIOp::create(
        b, arith::AddIOp::create(b, kCount, cIdx(kGroups - 1 - group)),
        cIdx(kGroups));

  // One k-step: wait for the slot, issue its wgmma group, keep one group in
  // flight. The first step starts from scale-d = 0 on an undefined
  // accumulator, so nothing writes the accumulator registers before the
  // first wgmma (zero-initializing them made ptxas inject warpgroup.arrive,
  // C7519), and it is emitted here, before the loop: left to LLVM, the
  // loop's `kt > 0` release condition got the first iteration peeled, and
  // in the peeled shape ptxas serialized every wgmma (C7520).
  auto step = [&](Value kt, Value acc, bool first) {
    auto [s, parity] = slotAndParity(ringStep(kt));
    nvgpu::MBarrierTryWaitParityOp::create(b, full, parity, ticks, s);
    NVVM::WgmmaFenceAlignedOp::create(b);
    for (int64_t j = 0; j < chunks; ++j) {
      // A: this warpgroup's 64 rows of x (of y with swap_ab); B: the
      // whole tile of the other operand. Both are K-major.
      Value aAddr = arith::AddIOp::create(
          b, alignedBase,
          arith::AddIOp::create(
              b, swap ? yChunkOffset(s, j) : xChunkOffset(s, j), rowsOff));
      Value bAddr = arith::AddIOp::create(
          b, alignedBase, swap ? xChunkOffset(s, j) : yChunkOffset(s, j));
      Value descA = smemDescriptor(aAddr);
      Value descB = smemDescriptor(bAddr);
      for (int64_t kk = 0; kk < 4; ++kk) {
        // +32 bytes (2 in descriptor units) per k16 step inside the
        // 128-byte swizzled row.
        Value da = kk ? arith::AddIOp::create(b, descA, cI64(2 * kk)) : descA;
        Value db = kk ? arith::AddIOp::create(b, descB, cI64(2 * kk)) : descB;
        bool zero = first && j == 0 && kk == 0;
        acc = NVVM::WgmmaMmaAsyncOp::create(
            b, accType, acc, da, db, shape, NVVM::WGMMATypes::bf16,
            NVVM::WGMMATypes::bf16, NVVM::WGMMATypes::f32,
            zero ? NVVM::WGMMAScaleOut::zero : NVVM::WGMMAScaleOut::one,
            NVVM::WGMMAScaleIn::one, NVVM::WGMMAScaleIn::one,
            NVVM::MMALayout::row, NVVM::MMALayout::col, /*satfinite=*/nullptr);
      }
    }
    NVVM::WgmmaGroupSyncAlignedOp::create(b);
    NVVM::WgmmaWaitGroupSyncOp::create(b, 1);
    return acc;
  };

  Value acc0 = step(cIdx(0), LLVM::UndefOp::create(b, accType), true);
  auto loop = scf::ForOp::create(
      b, cIdx(1), steps, cIdx(1), ValueRange{acc0},
      [&](OpBuilder &ob, Location loc, Value kt, ValueRange iter) {
        // Build the body with the class's builder, placed in the loop.
        OpBuilder::InsertionGuard bodyGuard(b);
        b.setInsertionPoint(ob.getInsertionBlock(), ob.getInsertionPoint());
        Value acc = step(kt, iter[0], false);
        // The group before this one has retired: its slot goes back to the
        // producer.
        Value prev = arith::RemUIOp::create(
            b, arith::AddIOp::create(b, ringStep(kt), cIdx(stages - kGroups)),
            cIdx(stages));
        releaseSlot(prev, ltid, isLeader);
        scf::YieldOp::create(b, acc);
      });
  NVVM::WgmmaWaitGroupSyncOp::create(b, 0);
  if (persistent) {
    // The ring runs on into the next tile: the last step's slot goes back
    // too (without a next tile nothing waits for it).
    Value last = arith::RemUIOp::create(
        b,
        arith::AddIOp::create(b, base,
                              arith::SubIOp::create(b, kCount, cIdx(1))),
        cIdx(stages));
    releaseSlot(last, ltid, isLeader);
  }
  Value acc = loop.getResult(0);
  if (kGroups > 1) {
    acc = buildGroupSum(acc, ltid, group);
    if (!acc)
      return;
  }
  if (tmaStore)
    return buildTmaStoreEpilogue(acc, cw, ltid, isLeader);
  buildFragmentPositions(cw, ltid);
  if (splitK == 1)
    buildEpilogue(acc);
  else if (push)
    buildClusterPushReduction(acc, cw, ltid);
  else
    buildClusterReduction(acc, cw, ltid);
}

Value WarpSpecializedBuilder::warpHasRows(Value cw, Value ltid) {
  // With swap_ab the fragment's rows are weight rows (bounded by N): all
  // live but at the tile past N's end.
  Value warp = arith::DivUIOp::create(b, ltid, cIdx(32));
  Value firstRow = arith::AddIOp::create(
      b, swap ? n0 : m0,
      arith::AddIOp::create(b, arith::MulIOp::create(b, cw, cIdx(64)),
                            arith::MulIOp::create(b, warp, cIdx(16))));
  Value bound = swap ? cIdx(n)
                     : arith::IndexCastOp::create(b, b.getIndexType(), mArg)
                           .getResult();
  return arith::CmpIOp::create(b, arith::CmpIPredicate::ult, firstRow, bound);
}

void WarpSpecializedBuilder::buildIf(Value cond, function_ref<void()> body) {
  auto ifOp = scf::IfOp::create(b, cond, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  body();
}

Value WarpSpecializedBuilder::buildGroupSum(Value acc, Value ltid,
                                            int64_t group) {
  Type f32 = b.getF32Type();
  Value basePtr = ringPtr();
  Value ltid64 = arith::IndexCastOp::create(b, b.getI64Type(), ltid);
  // Value i of a thread of group g >= 1 at [(g - 1) * n / 2 + i][thread]: a
  // warp's accesses are consecutive words. The ring is free once every
  // group is past its last wgmma (all loads landed: each was waited for).
  auto slot = [&](int64_t g, int64_t i) {
    return scratchWord(
        basePtr, arith::AddIOp::create(b, ltid64,
                                       cI64(((g - 1) * fragN / 2 + i) * 128)));
  };
  // Named barrier 2 over all consumer warpgroups: once for the ring to be
  // free, once for the partials to be there. Each group reaches it from
  // its own branch (its own copy of the code), so not bar.sync: .aligned
  // would require one instruction for all (compute-sanitizer synccheck
  // reports "divergent threads" against it).
  auto consumersBarrier = [&] {
    namedBarrier(2, consumers * 128, /*aligned=*/false);
  };
  consumersBarrier();
  // Warps without rows below M neither park nor add: their sums are never
  // stored (the groups' warps w hold the same rows).
  Value live = warpHasRows(cIdx(0), ltid);
  if (group != 0) {
    buildIf(live, [&] {
      for (int64_t i = 0; i < fragN / 2; ++i)
        LLVM::StoreOp::create(b, LLVM::ExtractValueOp::create(b, acc, i),
                              slot(group, i), /*alignment=*/4);
    });
    consumersBarrier();
    return Value();
  }
  consumersBarrier();
  // Group 0's sum, then group 1's, ...: the same order on every run.
  auto sumIf = scf::IfOp::create(b, acc.getType(), live,
                                 /*withElseRegion=*/true);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(sumIf.thenBlock());
    Value sumAcc = acc;
    for (int64_t i = 0; i < fragN / 2; ++i) {
      Value sum = LLVM::ExtractValueOp::create(b, sumAcc, i);
      for (int64_t g = 1; g < kGroups; ++g)
        sum = arith::AddFOp::create(
            b, sum, LLVM::LoadOp::create(b, f32, slot(g, i), /*alignment=*/4));
      sumAcc = LLVM::InsertValueOp::create(b, sumAcc, sum, i);
    }
    scf::YieldOp::create(b, sumAcc);
    b.setInsertionPointToStart(sumIf.elseBlock());
    scf::YieldOp::create(b, acc);
  }
  return sumIf.getResult(0);
}

void WarpSpecializedBuilder::namedBarrier(int64_t id, int64_t threads,
                                          bool aligned) {
  Value idV = arith::ConstantIntOp::create(b, id, 32);
  Value count = arith::ConstantIntOp::create(b, threads, 32);
  if (aligned) {
    NVVM::BarrierOp::create(b, Type(), idV, count, nullptr, Value());
    return;
  }
  // nvvm.barrier is always bar.sync (.aligned: every participating thread
  // at the same instruction); barrier.sync lets the warps arrive from
  // different code. The memory clobber keeps shared-memory accesses on
  // their side of it, as the intrinsic's semantics do.
  LLVM::InlineAsmOp::create(b, TypeRange(), ValueRange{idV, count},
                            "barrier.sync $0, $1;", "r,r,~{memory}",
                            /*has_side_effects=*/true,
                            /*is_align_stack=*/false,
                            LLVM::tailcallkind::TailCallKind::None,
                            LLVM::AsmDialectAttr(), ArrayAttr());
}

Value WarpSpecializedBuilder::ringPtr() {
  Value base64 = arith::IndexCastOp::create(b, b.getI64Type(), alignedBase);
  return LLVM::IntToPtrOp::create(b, LLVM::LLVMPointerType::get(ctx, 3),
                                  base64);
}

Value WarpSpecializedBuilder::scratchWord(Value base, Value index) {
  return LLVM::GEPOp::create(b, LLVM::LLVMPointerType::get(ctx, 3),
                             b.getF32Type(), base, ValueRange{index})
      .getResult();
}

void WarpSpecializedBuilder::buildFragmentPositions(Value cw, Value ltid) {
  // wgmma m64nN f32 fragment: register pair p of lane l in warp w holds
  // row w*16 + l/4 + 8*(p%2), columns (p/2)*8 + (l%4)*2 + {0, 1}.
  // With swap_ab the rows are columns of out (from n0) and the columns
  // tokens (from m0).
  Value warp = arith::DivUIOp::create(b, ltid, cIdx(32));
  Value lane = arith::RemUIOp::create(b, ltid, cIdx(32));
  Value rowBase = arith::AddIOp::create(
      b, swap ? n0 : m0,
      arith::AddIOp::create(
          b, arith::MulIOp::create(b, cw, cIdx(64)),
          arith::AddIOp::create(b, arith::MulIOp::create(b, warp, cIdx(16)),
                                arith::DivUIOp::create(b, lane, cIdx(4)))));
  colBase = arith::AddIOp::create(
      b, swap ? m0 : n0,
      arith::MulIOp::create(b, arith::RemUIOp::create(b, lane, cIdx(4)),
                            cIdx(2)));
  mIndex = arith::IndexCastOp::create(b, b.getIndexType(), mArg);
  for (int64_t h = 0; h < 2; ++h) {
    Value row = arith::AddIOp::create(b, rowBase, cIdx(8 * h));
    rowOk[h] = arith::CmpIOp::create(b, arith::CmpIPredicate::ult, row,
                                     swap ? cIdx(n) : mIndex);
    Value row64 = arith::IndexCastOp::create(b, b.getI64Type(), row);
    rowOff[h] = swap ? row64 : arith::MulIOp::create(b, row64, ldcArg);
  }
}

void WarpSpecializedBuilder::storePair(int64_t p, Value e0, Value e1) {
  int64_t h = p % 2;
  Value col = arith::AddIOp::create(b, colBase, cIdx((p / 2) * 8));
  if (swap)
    return storeTransposed(col, rowOff[h], rowOk[h], e0, e1);
  Value col64 = arith::IndexCastOp::create(b, b.getI64Type(), col);
  Value off = arith::AddIOp::create(b, rowOff[h], col64);
  storeMasked(col, off, rowOk[h], e0, e1);
}

void WarpSpecializedBuilder::storePairAt(Value p, Value e0, Value e1,
                                         Value valid) {
  // storePair for a pair index known only at run time: the row half and
  // the column come from p.
  Value odd = arith::IndexCastOp::create(
      b, b.getI1Type(), arith::RemUIOp::create(b, p, cIdx(2)));
  Value rowOkP = arith::SelectOp::create(b, odd, rowOk[1], rowOk[0]);
  Value rowOffP = arith::SelectOp::create(b, odd, rowOff[1], rowOff[0]);
  Value col = arith::AddIOp::create(
      b, colBase,
      arith::MulIOp::create(b, arith::DivUIOp::create(b, p, cIdx(2)), cIdx(8)));
  Value ok = arith::AndIOp::create(b, valid, rowOkP);
  if (swap)
    return storeTransposed(col, rowOffP, ok, e0, e1);
  Value col64 = arith::IndexCastOp::create(b, b.getI64Type(), col);
  Value off = arith::AddIOp::create(b, rowOffP, col64);
  storeMasked(col, off, ok, e0, e1);
}

void WarpSpecializedBuilder::storeTransposed(Value token, Value nOff,
                                             Value nOk, Value e0, Value e1) {
  // The pair's elements are two tokens (two rows of out) at one column:
  // one 4-byte store each, each masked against M.
  Type ptrType = LLVM::LLVMPointerType::get(ctx);
  for (int64_t e = 0; e < 2; ++e) {
    Value t = e ? arith::AddIOp::create(b, token, cIdx(1)).getResult() : token;
    Value ok = arith::AndIOp::create(
        b, nOk,
        arith::CmpIOp::create(b, arith::CmpIPredicate::ult, t, mIndex));
    buildIf(ok, [&] {
      Value t64 = arith::IndexCastOp::create(b, b.getI64Type(), t);
      Value off = arith::AddIOp::create(
          b, arith::MulIOp::create(b, t64, ldcArg), nOff);
      Value ptr = LLVM::GEPOp::create(b, ptrType, b.getF32Type(), outPtr,
                                      ValueRange{off});
      LLVM::StoreOp::create(b, e ? e1 : e0, ptr, /*alignment=*/4);
    });
  }
}

void WarpSpecializedBuilder::storeMasked(Value col, Value off, Value rowOkV,
                                         Value e0, Value e1) {
  Type f32 = b.getF32Type();
  Type ptrType = LLVM::LLVMPointerType::get(ctx);
  auto storeIf = [&](Value cond, function_ref<void()> body) {
    auto ifOp = scf::IfOp::create(b, cond, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    body();
  };
  Value colOk =
      arith::CmpIOp::create(b, arith::CmpIPredicate::ult, col, cIdx(n));
  Value ok = arith::AndIOp::create(b, rowOkV, colOk);
  if (n % 2 == 0) {
    // col is even, so col < N implies col + 1 < N: one 8-byte store.
    storeIf(ok, [&] {
      auto vec2 = VectorType::get({2}, f32);
      Value v = vector::FromElementsOp::create(b, vec2, ValueRange{e0, e1});
      Value ptr = LLVM::GEPOp::create(b, ptrType, f32, outPtr, ValueRange{off});
      LLVM::StoreOp::create(b, v, ptr, /*alignment=*/8);
    });
    return;
  }
  storeIf(ok, [&] {
    Value ptr = LLVM::GEPOp::create(b, ptrType, f32, outPtr, ValueRange{off});
    LLVM::StoreOp::create(b, e0, ptr, /*alignment=*/4);
  });
  Value col1 = arith::AddIOp::create(b, col, cIdx(1));
  Value ok1 = arith::AndIOp::create(
      b, rowOkV,
      arith::CmpIOp::create(b, arith::CmpIPredicate::ult, col1, cIdx(n)));
  storeIf(ok1, [&] {
    Value off1 = arith::AddIOp::create(b, off, cI64(1));
    Value ptr = LLVM::GEPOp::create(b, ptrType, f32, outPtr, ValueRange{off1});
    LLVM::StoreOp::create(b, e1, ptr, /*alignment=*/4);
  });
}

void WarpSpecializedBuilder::buildEpilogue(Value acc) {
  for (int64_t p = 0; p < fragN / 4; ++p)
    storePair(p, LLVM::ExtractValueOp::create(b, acc, 2 * p),
              LLVM::ExtractValueOp::create(b, acc, 2 * p + 1));
}

void WarpSpecializedBuilder::buildTmaStoreEpilogue(Value acc, Value cw,
                                                   Value ltid, Value isLeader) {
  // One-tile kernels stage in the ring. With two consumer warpgroups the
  // other may still read its last slots: all consumers meet first (outside
  // the branch below, which is per warpgroup). With k-groups only group 0
  // is here, past the group sum (whose scratch its first barrier below
  // retires: every read of it comes before that barrier).
  int64_t ringBytes = stages * (blockM + blockN) * blockK * 2;
  assert((persistent ||
          ringBytes >= rowGroups * kStoreBuffers * kStoreChunkBytes) &&
         "a one-tile kernel's ring holds the staging buffers");
  assert(
      (!persistent ||
       config.getSharedMemoryBytes() ==
           ringBytes + 1024 + rowGroups * kStoreBuffers * kStoreChunkBytes) &&
      "the config reserves the staging past the ring");
  if (!persistent && rowGroups > 1)
    namedBarrier(1, rowGroups * 128);
  // Each warpgroup is built apart with its warpgroup index known, so that
  // its barrier id is a constant (3 or 4): with an id in a register ptxas
  // reserves all 16 barriers of the CTA.
  auto forWarpgroup = [&](int64_t wg) {
    Value cw = cIdx(wg);
    Value m = arith::IndexCastOp::create(b, b.getIndexType(), mArg);
    Value firstRow =
        arith::AddIOp::create(b, m0, arith::MulIOp::create(b, cw, cIdx(64)));
    // A warpgroup whose 64 rows all lie past M has nothing to store.
    Value live =
        arith::CmpIOp::create(b, arith::CmpIPredicate::ult, firstRow, m);
    buildIf(live, [&] {
      buildTmaStoreRows(acc, wg, ltid, isLeader, firstRow, ringBytes);
    });
  };
  if (rowGroups == 1)
    return forWarpgroup(0);
  auto split = scf::IfOp::create(
      b, arith::CmpIOp::create(b, arith::CmpIPredicate::eq, cw, cIdx(0)),
      /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  for (int64_t wg = 0; wg < rowGroups; ++wg) {
    b.setInsertionPointToStart(wg == 0 ? split.thenBlock() : split.elseBlock());
    forWarpgroup(wg);
  }
}

void WarpSpecializedBuilder::buildTmaStoreRows(Value acc, int64_t wg,
                                               Value ltid, Value isLeader,
                                               Value firstRow,
                                               int64_t ringBytes) {
  Value staging = LLVM::GEPOp::create(
      b, LLVM::LLVMPointerType::get(ctx, 3), b.getI8Type(), ringPtr(),
      ValueRange{cI64((persistent ? ringBytes : 0) +
                      wg * kStoreBuffers * kStoreChunkBytes)});
  // Barriers 3 and 4: one per consumer warpgroup. The id is written into
  // the instruction: as an operand, LLVM merges the two warpgroups' copies
  // of this code and passes it in a register, and ptxas then reserves all
  // 16 barriers of the CTA.
  std::string barrierAsm = "bar.sync " + std::to_string(3 + wg) + ", 128;";
  auto warpgroupBarrier = [&] {
    LLVM::InlineAsmOp::create(b, TypeRange(), ValueRange(), barrierAsm,
                              "~{memory}", /*has_side_effects=*/true,
                              /*is_align_stack=*/false,
                              LLVM::tailcallkind::TailCallKind::None,
                              LLVM::AsmDialectAttr(), ArrayAttr());
  };
  // Register pair p of lane l in warp w is row w*16 + l/4 + 8*(p%2),
  // columns (p/2)*8 + (l%4)*2 + {0, 1} (buildFragmentPositions). In a
  // chunk's 128-byte row, 16-byte unit u sits at u ^ (row % 8) (128-byte
  // swizzle; row % 8 = l/4 for both halves): a warp's 8-byte stores of
  // one pair then fill every bank twice, no conflicts beyond that.
  Value warp = arith::DivUIOp::create(b, ltid, cIdx(32));
  Value lane = arith::RemUIOp::create(b, ltid, cIdx(32));
  Value quad = arith::DivUIOp::create(b, lane, cIdx(4));
  Value rowBytes = arith::MulIOp::create(
      b,
      arith::AddIOp::create(b, arith::MulIOp::create(b, warp, cIdx(16)), quad),
      cIdx(128));
  Value half = arith::DivUIOp::create(
      b, arith::RemUIOp::create(b, lane, cIdx(4)), cIdx(2));
  Value within = arith::MulIOp::create(
      b, arith::RemUIOp::create(b, lane, cIdx(2)), cIdx(8));
  // Byte offset of pair p inside a chunk, for the four column groups
  // (p/2) % 4 and the two row halves p % 2.
  Value pairBytes[4][2];
  for (int64_t g = 0; g < 4; ++g) {
    Value unit = arith::XOrIOp::create(
        b, arith::AddIOp::create(b, cIdx(2 * g), half), quad);
    Value off =
        arith::AddIOp::create(b, arith::AddIOp::create(b, rowBytes, within),
                              arith::MulIOp::create(b, unit, cIdx(16)));
    pairBytes[g][0] = off;
    pairBytes[g][1] = arith::AddIOp::create(b, off, cIdx(8 * 128));
  }
  Value row32 = arith::IndexCastOp::create(b, b.getI32Type(), firstRow);
  auto vec2 = VectorType::get({2}, b.getF32Type());
  for (int64_t q = 0; q < blockN / kStoreCols; ++q) {
    int64_t buffer = q % kStoreBuffers;
    // Chunks wholly past N (the last N tile) are skipped: the condition is
    // the same for the whole warpgroup, and once a chunk is past N so are
    // the later ones, so the buffer accounting below still holds.
    OpBuilder::InsertionGuard chunkGuard(b);
    if (n % blockN != 0) {
      Value col = arith::AddIOp::create(b, n0, cIdx(q * kStoreCols));
      auto inside = scf::IfOp::create(
          b, arith::CmpIOp::create(b, arith::CmpIPredicate::ult, col, cIdx(n)),
          /*withElseRegion=*/false);
      b.setInsertionPointToStart(inside.thenBlock());
    }
    // The buffer is free once the store that last used it has read it:
    // at most one group (the other buffer's) may still be reading, or
    // none at a tile's first chunk (the last tile's stores, persistent).
    buildIf(isLeader, [&] {
      NVVM::CpAsyncBulkWaitGroupOp::create(b, q == 0 ? 0 : 1, b.getUnitAttr());
    });
    warpgroupBarrier();
    for (int64_t p = q * 8; p < q * 8 + 8; ++p) {
      Value off = arith::AddIOp::create(b, pairBytes[(p / 2) % 4][p % 2],
                                        cIdx(buffer * kStoreChunkBytes));
      Value ptr = LLVM::GEPOp::create(
          b, LLVM::LLVMPointerType::get(ctx, 3), b.getI8Type(), staging,
          ValueRange{arith::IndexCastOp::create(b, b.getI64Type(), off)});
      Value v = vector::FromElementsOp::create(
          b, vec2,
          ValueRange{LLVM::ExtractValueOp::create(b, acc, 2 * p),
                     LLVM::ExtractValueOp::create(b, acc, 2 * p + 1)});
      LLVM::StoreOp::create(b, v, ptr, /*alignment=*/8);
    }
    // Each thread's writes become visible to the TMA unit (the async
    // proxy) before the barrier that lets the leader issue the store.
    NVVM::FenceProxyOp::create(
        b, NVVM::ProxyKind::async_shared,
        NVVM::SharedSpaceAttr::get(ctx, NVVM::SharedSpace::shared_cta));
    warpgroupBarrier();
    buildIf(isLeader, [&] {
      Value src = LLVM::GEPOp::create(
          b, LLVM::LLVMPointerType::get(ctx, 3), b.getI8Type(), staging,
          ValueRange{cI64(buffer * kStoreChunkBytes)});
      Value col32 = arith::IndexCastOp::create(
          b, b.getI32Type(),
          arith::AddIOp::create(b, n0, cIdx(q * kStoreCols)));
      NVVM::CpAsyncBulkTensorSharedCTAToGlobalOp::create(
          b, outPtr, src, ValueRange{col32, row32}, Value(),
          NVVM::TMAStoreMode::TILE, Value());
      NVVM::CpAsyncBulkCommitGroupOp::create(b);
    });
  }
}

void WarpSpecializedBuilder::buildClusterReduction(Value acc, Value cw,
                                                   Value ltid) {
  // Split-K through distributed shared memory: every CTA of the cluster
  // parks its partial tile in its own shared memory; rank r then sums, for
  // the register pairs p with p % split_k == r, the partials of ranks
  // 0, 1, ..., split_k - 1 in that order (a fixed order: the result is
  // the same bits on every run) and stores them.
  // vector-push parks by owner where that layout (whole slices per owner)
  // fits in the space the config reserves for the parked tile.
  int64_t reserved =
      std::max(stages * (blockM + blockN) * blockK * 2, 4 * blockM * blockN);
  if (vectorPush &&
      splitK * pairsPerOwner() * 2 * rowGroups * 128 * 4 <= reserved)
    return buildVectorClusterReduction(acc, cw, ltid);
  Type f32 = b.getF32Type();
  // With k-groups only group 0 is left here (it holds the CTA's sum).
  int64_t consumerThreads = rowGroups * 128;
  auto clusterPtr = LLVM::LLVMPointerType::get(ctx, 7);

  // All consumers are past their main loops: no wgmma reads the ring any
  // more, so the partials may overwrite it.
  namedBarrier(1, consumerThreads);
  // Slot of value i of this thread: [i][thread], so that a warp's accesses
  // are consecutive words.
  Value thread = arith::AddIOp::create(
      b, arith::MulIOp::create(b, cw, cIdx(128)), ltid);
  Value basePtr = ringPtr();
  Value thread64 = arith::IndexCastOp::create(b, b.getI64Type(), thread);
  auto slot = [&](int64_t i) {
    return scratchWord(
        basePtr, arith::AddIOp::create(b, thread64, cI64(i * consumerThreads)));
  };
  // Warps without rows below M skip the reduction (the same warp of every
  // rank holds the same rows); all threads still take the barriers.
  Value live = warpHasRows(cw, ltid);
  buildIf(live, [&] {
    for (int64_t i = 0; i < fragN / 2; ++i)
      LLVM::StoreOp::create(b, LLVM::ExtractValueOp::create(b, acc, i), slot(i),
                            /*alignment=*/4);
  });
  // Release the partials to the cluster, acquire everyone else's.
  NVVM::ClusterArriveOp::create(b, b.getUnitAttr());
  NVVM::ClusterWaitOp::create(b, b.getUnitAttr());

  // Rank r owns the register pairs p = r, r + split_k, r + 2 split_k, ...
  // All their loads are issued before any sum or store, without branches:
  // remote loads are slow, and a branch per pair made each one wait for
  // the previous pair's.
  SmallVector<Value> ranks;
  for (int64_t r = 0; r < splitK; ++r)
    ranks.push_back(splitPeerRank(r));
  int64_t pairs = fragN / 4;
  int64_t perRank = (pairs + splitK - 1) / splitK;
  auto slotAt = [&](Value i) {
    Value i64 = arith::IndexCastOp::create(b, b.getI64Type(), i);
    return scratchWord(
        basePtr,
        arith::AddIOp::create(
            b, thread64, arith::MulIOp::create(b, i64, cI64(consumerThreads))));
  };
  struct Owned {
    Value p, valid;
    SmallVector<Value> parts[2];
  };
  buildIf(live, [&] {
    SmallVector<Owned> owned(perRank);
    for (int64_t j = 0; j < perRank; ++j) {
      Owned &o = owned[j];
      o.p = arith::AddIOp::create(b, splitRank, cIdx(j * splitK));
      // A pair past the tile (pairs % split_k != 0) reads the last pair and
      // stores nothing.
      o.valid =
          arith::CmpIOp::create(b, arith::CmpIPredicate::ult, o.p, cIdx(pairs));
      Value pc = arith::MinUIOp::create(b, o.p, cIdx(pairs - 1));
      for (int64_t e = 0; e < 2; ++e) {
        Value local = slotAt(arith::AddIOp::create(
            b, arith::MulIOp::create(b, pc, cIdx(2)), cIdx(e)));
        for (int64_t r = 0; r < splitK; ++r) {
          Value remote = NVVM::MapaOp::create(b, clusterPtr, local, ranks[r]);
          o.parts[e].push_back(
              LLVM::LoadOp::create(b, f32, remote, /*alignment=*/4));
        }
      }
    }
    for (Owned &o : owned) {
      Value sums[2];
      for (int64_t e = 0; e < 2; ++e) {
        sums[e] = o.parts[e][0];
        for (int64_t r = 1; r < splitK; ++r)
          sums[e] = arith::AddFOp::create(b, sums[e], o.parts[e][r]);
      }
      storePairAt(o.p, sums[0], sums[1], o.valid);
    }
  });
  // Keep this CTA's shared memory alive until every rank has read it.
  NVVM::ClusterArriveOp::create(b, b.getUnitAttr());
  NVVM::ClusterWaitOp::create(b, b.getUnitAttr());
}

Value WarpSpecializedBuilder::vectorSliceWord(Value base, Value section,
                                              int64_t j, int64_t e,
                                              Value thread64) {
  int64_t threads = rowGroups * 128;
  int64_t perOwner = pairsPerOwner();
  int64_t within;
  Value lane;
  if (vectorWidth(j - j % 2) == 4) {
    within = (j / 2) * 4 * threads + (j % 2) * 2 + e;
    lane = arith::MulIOp::create(b, thread64, cI64(4));
  } else {
    within = (perOwner - 1) * 2 * threads + e;
    lane = arith::MulIOp::create(b, thread64, cI64(2));
  }
  Value section64 = arith::IndexCastOp::create(b, b.getI64Type(), section);
  Value index = arith::AddIOp::create(
      b,
      arith::AddIOp::create(
          b, arith::MulIOp::create(b, section64, cI64(2 * perOwner * threads)),
          cI64(within)),
      lane);
  return scratchWord(base, index);
}

SmallVector<Value> WarpSpecializedBuilder::ownedValues(Value acc, int64_t r,
                                                       int64_t j) {
  SmallVector<Value> values;
  for (int64_t jj = j; jj < j + vectorWidth(j) / 2; ++jj) {
    int64_t p = r + jj * splitK;
    if (p >= fragN / 4)
      break;
    values.push_back(LLVM::ExtractValueOp::create(b, acc, 2 * p));
    values.push_back(LLVM::ExtractValueOp::create(b, acc, 2 * p + 1));
  }
  return values;
}

void WarpSpecializedBuilder::buildVectorClusterReduction(Value acc, Value cw,
                                                         Value ltid) {
  // The pull form's sums, in the same order (the same bits), with a
  // quarter of the remote loads: each rank parks its partial in its ring
  // by owner (vectorSliceWord's layout, 16-byte local stores), and owner r
  // reads its section of every rank with 16-byte remote loads.
  Type f32 = b.getF32Type();
  int64_t threads = rowGroups * 128;
  int64_t perOwner = pairsPerOwner();
  auto clusterPtr = LLVM::LLVMPointerType::get(ctx, 7);
  Value thread =
      arith::AddIOp::create(b, arith::MulIOp::create(b, cw, cIdx(128)), ltid);
  Value thread64 = arith::IndexCastOp::create(b, b.getI64Type(), thread);
  Value basePtr = ringPtr();
  // All consumers are past their main loops: the ring is free.
  namedBarrier(1, threads);
  Value live = warpHasRows(cw, ltid);
  auto vectorOf = [&](ArrayRef<Value> values) {
    auto vecType = VectorType::get({int64_t(values.size())}, f32);
    Value vec = LLVM::UndefOp::create(b, vecType);
    for (auto [i, v] : llvm::enumerate(values))
      vec = LLVM::InsertElementOp::create(
          b, vec, v, arith::ConstantIntOp::create(b, i, 32));
    return vec;
  };
  buildIf(live, [&] {
    for (int64_t r = 0; r < splitK; ++r) {
      for (int64_t j = 0; j < perOwner; j += vectorWidth(j) / 2) {
        SmallVector<Value> values = ownedValues(acc, r, j);
        if (values.empty())
          continue;
        LLVM::StoreOp::create(b, vectorOf(values),
                              vectorSliceWord(basePtr, cIdx(r), j, 0, thread64),
                              /*alignment=*/4 * int64_t(values.size()));
      }
    }
  });
  // Release the partials to the cluster, acquire everyone else's.
  NVVM::ClusterArriveOp::create(b, b.getUnitAttr());
  NVVM::ClusterWaitOp::create(b, b.getUnitAttr());
  SmallVector<Value> ranks;
  for (int64_t r = 0; r < splitK; ++r)
    ranks.push_back(splitPeerRank(r));
  buildIf(live, [&] {
    // Every load is issued before any sum or store (remote loads are
    // slow), as in the scalar form.
    SmallVector<SmallVector<Value>> parts;
    for (int64_t j = 0; j < perOwner; j += vectorWidth(j) / 2) {
      auto vecType = VectorType::get({vectorWidth(j)}, f32);
      Value local = vectorSliceWord(basePtr, splitRank, j, 0, thread64);
      SmallVector<Value> &byRank = parts.emplace_back();
      for (int64_t r = 0; r < splitK; ++r)
        byRank.push_back(LLVM::LoadOp::create(
            b, vecType, NVVM::MapaOp::create(b, clusterPtr, local, ranks[r]),
            /*alignment=*/4 * vectorWidth(j)));
    }
    int64_t g = 0;
    for (int64_t j = 0; j < perOwner; j += vectorWidth(j) / 2, ++g) {
      int64_t count = vectorWidth(j);
      SmallVector<Value> sums(count);
      for (int64_t r = 0; r < splitK; ++r)
        for (int64_t i = 0; i < count; ++i) {
          Value part = LLVM::ExtractElementOp::create(
              b, parts[g][r], arith::ConstantIntOp::create(b, i, 32));
          sums[i] =
              r ? arith::AddFOp::create(b, sums[i], part).getResult() : part;
        }
      // A pair past the tile (pairs % split_k != 0) was parked as nothing
      // and is not stored.
      for (int64_t jj = j; jj < j + count / 2; ++jj) {
        Value p = arith::AddIOp::create(b, splitRank, cIdx(jj * splitK));
        Value valid = arith::CmpIOp::create(b, arith::CmpIPredicate::ult, p,
                                            cIdx(fragN / 4));
        storePairAt(p, sums[2 * (jj - j)], sums[2 * (jj - j) + 1], valid);
      }
    }
  });
  // Keep this CTA's shared memory alive until every rank has read it.
  NVVM::ClusterArriveOp::create(b, b.getUnitAttr());
  NVVM::ClusterWaitOp::create(b, b.getUnitAttr());
}

void WarpSpecializedBuilder::buildClusterPushReduction(Value acc, Value cw,
                                                       Value ltid) {
  // Split-K by remote stores: owner r sums the register pairs
  // p = r, r + split_k, ... as in buildClusterReduction (the same ranks in
  // the same order: the same bits), but every rank stores its values of
  // those pairs straight into the owner's push buffer (beside the ring, so
  // they may land while the owner still computes). Stores do not wait for
  // a reply, and one cluster barrier separates them from the owner's local
  // sums, where the pull form has remote loads and two barriers.
  // Buffer layout: rank s's section, perOwner * 2 * threads words, holds
  // the owned pairs j of every thread t. One value per store: word
  // (j * 2 + e) * threads + t, so that a warp's stores are consecutive
  // words. vector-push: pairs j = 2g, 2g + 1 of thread t are four words
  // at g * 4 * threads + t * 4 (a warp's 16-byte stores consecutive); an
  // odd last pair two words at (perOwner - 1) * 2 * threads + t * 2.
  // The one-value path is kept as it was, op for op, so that the default
  // PTX (checked on the GPU) does not move; once vector-push has passed
  // the GPU check and timing it becomes the only path.
  Type f32 = b.getF32Type();
  // With k-groups only group 0 is left here (it holds the CTA's sum).
  int64_t threads = rowGroups * 128;
  int64_t pairs = fragN / 4;
  int64_t perOwner = (pairs + splitK - 1) / splitK;
  auto clusterPtr = LLVM::LLVMPointerType::get(ctx, 7);
  Value thread =
      arith::AddIOp::create(b, arith::MulIOp::create(b, cw, cIdx(128)), ltid);
  Value thread64 = arith::IndexCastOp::create(b, b.getI64Type(), thread);
  // The buffer starts where the ring ends (1 KiB-aligned ring start).
  Value bufferBase = LLVM::GEPOp::create(
      b, LLVM::LLVMPointerType::get(ctx, 3), b.getI8Type(), ringPtr(),
      ValueRange{cI64(stages * (blockM + blockN) * blockK * 2)});
  // Values per access at owned pair j: 4 (j and j + 1) or 2 with
  // vector-push, else 1.
  auto width = [&](int64_t j) -> int64_t {
    return vectorPush ? vectorWidth(j) : 1;
  };
  // Word of (rank s, owned pair j, element e) of this thread.
  auto word = [&](Value rank, int64_t j, int64_t e) {
    if (vectorPush)
      return vectorSliceWord(bufferBase, rank, j, e, thread64);
    Value rank64 = arith::IndexCastOp::create(b, b.getI64Type(), rank);
    Value index = arith::AddIOp::create(
        b,
        arith::AddIOp::create(
            b, arith::MulIOp::create(b, rank64, cI64(2 * perOwner * threads)),
            cI64((2 * j + e) * threads)),
        thread64);
    return scratchWord(bufferBase, index);
  };
  // The pairs an access covers, from j: one with a single value per
  // access (element e separately), else width / 2.
  auto step = [&](int64_t j) { return vectorPush ? width(j) / 2 : 1; };
  Value live = warpHasRows(cw, ltid);
  // Every rank has started (the relaxed arrival after set-up): its shared
  // memory may be written.
  NVVM::ClusterWaitOp::create(b, b.getUnitAttr());
  buildIf(live, [&] {
    for (int64_t r = 0; r < splitK; ++r) {
      Value rank32 = splitPeerRank(r);
      for (int64_t j = 0; j < perOwner; j += step(j)) {
        if (!vectorPush) {
          int64_t p = r + j * splitK;
          if (p >= pairs)
            continue;
          for (int64_t e = 0; e < 2; ++e) {
            Value remote = NVVM::MapaOp::create(b, clusterPtr,
                                                word(splitRank, j, e), rank32);
            LLVM::StoreOp::create(
                b, LLVM::ExtractValueOp::create(b, acc, 2 * p + e), remote,
                /*alignment=*/4);
          }
          continue;
        }
        // The values this rank owes owner r from pairs j, j + 1, ...
        SmallVector<Value> values = ownedValues(acc, r, j);
        if (values.empty())
          continue;
        auto vecType = VectorType::get({int64_t(values.size())}, f32);
        Value vec = LLVM::UndefOp::create(b, vecType);
        for (auto [i, v] : llvm::enumerate(values))
          vec = LLVM::InsertElementOp::create(
              b, vec, v, arith::ConstantIntOp::create(b, i, 32));
        Value remote =
            NVVM::MapaOp::create(b, clusterPtr, word(splitRank, j, 0), rank32);
        LLVM::StoreOp::create(b, vec, remote,
                              /*alignment=*/4 * int64_t(values.size()));
      }
    }
  });
  // Release this rank's stores, acquire the others': after this no CTA
  // touches another's shared memory, so none waits for the others to exit.
  NVVM::ClusterArriveOp::create(b, b.getUnitAttr());
  NVVM::ClusterWaitOp::create(b, b.getUnitAttr());
  buildIf(live, [&] {
    for (int64_t j = 0; j < perOwner; j += step(j)) {
      if (!vectorPush) {
        Value p = arith::AddIOp::create(b, splitRank, cIdx(j * splitK));
        // Past the tile (pairs % split_k != 0): nothing was pushed there
        // and nothing is stored.
        Value valid =
            arith::CmpIOp::create(b, arith::CmpIPredicate::ult, p, cIdx(pairs));
        Value sums[2];
        for (int64_t e = 0; e < 2; ++e) {
          for (int64_t r = 0; r < splitK; ++r) {
            Value part = LLVM::LoadOp::create(b, f32, word(cIdx(r), j, e),
                                              /*alignment=*/4);
            sums[e] =
                r ? arith::AddFOp::create(b, sums[e], part).getResult() : part;
          }
        }
        storePairAt(p, sums[0], sums[1], valid);
        continue;
      }
      // The values at j, j + 1, ... of every rank, summed rank 0 first.
      int64_t count = 2 * step(j);
      auto vecType = VectorType::get({count}, f32);
      SmallVector<Value> sums(count);
      for (int64_t r = 0; r < splitK; ++r) {
        Value vec = LLVM::LoadOp::create(b, vecType, word(cIdx(r), j, 0),
                                         /*alignment=*/4 * count);
        SmallVector<Value> parts;
        for (int64_t i = 0; i < count; ++i)
          parts.push_back(LLVM::ExtractElementOp::create(
              b, vec, arith::ConstantIntOp::create(b, i, 32)));
        for (int64_t i = 0; i < count; ++i)
          sums[i] = r ? arith::AddFOp::create(b, sums[i], parts[i]).getResult()
                      : parts[i];
      }
      for (int64_t jj = j; jj < j + step(j); ++jj) {
        Value p = arith::AddIOp::create(b, splitRank, cIdx(jj * splitK));
        Value valid =
            arith::CmpIOp::create(b, arith::CmpIPredicate::ult, p, cIdx(pairs));
        storePairAt(p, sums[2 * (jj - j)], sums[2 * (jj - j) + 1], valid);
      }
    }
  });
}

ConfigAttr mlir::gemm::withTmaStoreWherePossible(ConfigAttr config, int64_t n) {
  ScheduleKind schedule = config.getSchedule();
  if (config.getEpilogue() == EpilogueKind::TmaStore ||
      (schedule != ScheduleKind::WarpSpecialized &&
       schedule != ScheduleKind::Persistent) ||
      config.getSplitK() != 1 || config.getBlockN() % kStoreCols != 0 ||
      n % 4 != 0)
    return config;
  int64_t total = ConfigAttr::getTotalSharedMemoryBytes(
      config.getBlockM(), config.getBlockN(), config.getBlockK(),
      config.getStages(), config.getSplitK(), config.getReduction(),
      config.getKGroups(), schedule, EpilogueKind::TmaStore);
  if (total > ConfigAttr::kMaxSharedMemoryBytes)
    return config;
  return ConfigAttr::get(
      config.getContext(), config.getBlockM(), config.getBlockN(),
      config.getBlockK(), config.getStages(), schedule, config.getSplitK(),
      config.getReduction(), config.getClusterM(), config.getClusterN(),
      config.getRaster(), config.getKGroups(), config.getWarpRows(),
      EpilogueKind::TmaStore);
}

FailureOr<gpu::GPUFuncOp> mlir::gemm::buildWarpSpecializedKernel(
    OpBuilder &builder, LinearBf16Fp32Op op, StringRef kernelName,
    NamedAttrList &info, const WarpSpecializedOptions &options) {
  ConfigAttr config = *op.getConfig();
  ImplicitLocOpBuilder b(op.getLoc(), builder);
  MLIRContext *ctx = b.getContext();
  Type ptrType = LLVM::LLVMPointerType::get(ctx);
  auto fnType = b.getFunctionType(
      {ptrType, ptrType, ptrType, b.getI32Type(), b.getI64Type()}, {});
  auto func = gpu::GPUFuncOp::create(b, kernelName, fnType);
  func->setAttr(gpu::GPUDialect::getKernelFuncAttrName(), b.getUnitAttr());
  int32_t threads = config.getBlockThreads();
  func.setKnownBlockSizeAttr(b.getDenseI32ArrayAttr({threads, 1, 1}));
  func->setAttr("nvvm.minctasm", b.getI32IntegerAttr(1));
  bool tmaStore = config.getEpilogue() == EpilogueKind::TmaStore;
  func->setAttr(kTmaDescArgsAttrName, tmaStore
                                          ? b.getDenseI32ArrayAttr({0, 1, 2})
                                          : b.getDenseI32ArrayAttr({0, 1}));

  WarpSpecializedBuilder(b, op, options).build(func);

  auto param = [&](StringRef kind, StringRef key, StringRef value,
                   ArrayRef<int64_t> box = {}) {
    NamedAttrList p;
    p.append("kind", b.getStringAttr(kind));
    p.append(key, b.getStringAttr(value));
    if (!box.empty())
      p.append("box", b.getI64ArrayAttr(box));
    return p.getDictionary(ctx);
  };
  NamedAttrList grid;
  // tiles: one CTA per output tile (per split); persistent: the runtime
  // launches (SMs / cluster size) clusters, or fewer when there are fewer
  // cluster tiles.
  grid.append("kind",
              b.getStringAttr(config.getSchedule() == ScheduleKind::Persistent
                                  ? "persistent"
                                  : "tiles"));
  grid.append("block_m", b.getI64IntegerAttr(config.getBlockM()));
  grid.append("block_n", b.getI64IntegerAttr(config.getBlockN()));
  grid.append("split_k", b.getI64IntegerAttr(config.getSplitK()));
  info.append("grid", grid.getDictionary(ctx));
  info.append("block", b.getI64ArrayAttr({threads, 1, 1}));
  info.append("cluster",
              b.getI64ArrayAttr({config.getClusterN(), config.getClusterM(),
                                 config.getSplitK()}));
  info.append("dynamic_smem_bytes",
              b.getI64IntegerAttr(config.getSharedMemoryBytes()));
  info.append("programmatic_launch", b.getBoolAttr(true));
  info.append(
      "params",
      b.getArrayAttr(
          {param("tma_desc", "tensor", "x",
                 {64, config.getBlockM() / config.getClusterN()}),
           param("tma_desc", "tensor", "y",
                 {64, config.getBlockN() / config.getClusterM()}),
           tmaStore ? param("tma_desc", "tensor", "out", {kStoreCols, 64})
                    : param("ptr", "tensor", "out"),
           param("i32", "value", "m"), param("i64", "value", "ldc")}));
  NamedAttrList requires;
  requires.append("k_multiple", b.getI64IntegerAttr(8));
  requires.append("x_align_bytes", b.getI64IntegerAttr(16));
  requires.append("y_align_bytes", b.getI64IntegerAttr(16));
  // Pairs of columns go out as one 8-byte store where N is even; swap_ab
  // stores single elements.
  bool pairStores =
      op.getN() % 2 == 0 && config.getSchedule() != ScheduleKind::SwapAB;
  // A TMA store needs a 16-byte-aligned base and row stride.
  requires.append("out_align_bytes", b.getI64IntegerAttr(tmaStore     ? 16
                                                         : pairStores ? 8
                                                                      : 4));
  requires.append("ldc_multiple", b.getI64IntegerAttr(tmaStore     ? 4
                                                      : pairStores ? 2
                                                                   : 1));
  info.append("requires", requires.getDictionary(ctx));
  return func;
}
