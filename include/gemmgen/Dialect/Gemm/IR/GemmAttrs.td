//===- GemmAttrs.td - gemm dialect attributes --------------*- tablegen -*-===//

#ifndef GEMMGEN_DIALECT_GEMM_IR_GEMMATTRS_TD
#define GEMMGEN_DIALECT_GEMM_IR_GEMMATTRS_TD

include "gemmgen/Dialect/Gemm/IR/GemmDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def Gemm_ScheduleWarpSpecialized : I32EnumAttrCase<"WarpSpecialized", 0,
                                                   "warp_specialized">;
def Gemm_ScheduleSwapAB : I32EnumAttrCase<"SwapAB", 1, "swap_ab">;
def Gemm_SchedulePersistent : I32EnumAttrCase<"Persistent", 2, "persistent">;
// CUDA cores instead of tensor cores: the decode path for a few tokens.
def Gemm_ScheduleSimt : I32EnumAttrCase<"Simt", 3, "simt">;
def Gemm_ScheduleKind : I32EnumAttr<"ScheduleKind",
    "how a kernel variant maps the product onto the GPU",
    [Gemm_ScheduleWarpSpecialized, Gemm_ScheduleSwapAB,
     Gemm_SchedulePersistent, Gemm_ScheduleSimt]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::gemm";
}

def Gemm_ReductionNone : I32EnumAttrCase<"None", 0, "none">;
def Gemm_ReductionWorkspace : I32EnumAttrCase<"Workspace", 1, "workspace">;
def Gemm_ReductionAtomic : I32EnumAttrCase<"Atomic", 2, "atomic">;
def Gemm_ReductionCluster : I32EnumAttrCase<"Cluster", 3, "cluster">;
// The cluster reduction with remote stores into a buffer of its own.
def Gemm_ReductionClusterPush : I32EnumAttrCase<"ClusterPush", 4,
                                                "cluster_push">;
def Gemm_ReductionKind : I32EnumAttr<"ReductionKind",
    "how split-K partial sums are combined",
    [Gemm_ReductionNone, Gemm_ReductionWorkspace, Gemm_ReductionAtomic,
     Gemm_ReductionCluster, Gemm_ReductionClusterPush]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::gemm";
}

def Gemm_RasterAlongN : I32EnumAttrCase<"AlongN", 0, "along_n">;
def Gemm_RasterAlongM : I32EnumAttrCase<"AlongM", 1, "along_m">;
// Bands of 8 cluster tiles along M, walked M first, band after band.
def Gemm_RasterGrouped : I32EnumAttrCase<"Grouped", 2, "grouped">;
def Gemm_RasterOrder : I32EnumAttr<"RasterOrder",
    "the order in which consecutive CTAs walk the output tiles",
    [Gemm_RasterAlongN, Gemm_RasterAlongM, Gemm_RasterGrouped]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::gemm";
}

def Gemm_EpilogueDirect : I32EnumAttrCase<"Direct", 0, "direct">;
// Through shared memory and TMA bulk stores.
def Gemm_EpilogueTmaStore : I32EnumAttrCase<"TmaStore", 1, "tma_store">;
def Gemm_EpilogueKind : I32EnumAttr<"EpilogueKind",
    "how a kernel stores its output tile",
    [Gemm_EpilogueDirect, Gemm_EpilogueTmaStore]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::gemm";
}

def Gemm_EpilogueParameter : EnumParameter<Gemm_EpilogueKind> {
  let defaultValue = "::mlir::gemm::EpilogueKind::Direct";
}

def Gemm_ConfigAttr : AttrDef<Gemm_Dialect, "Config"> {
  let mnemonic = "config";
  let summary = "tile configuration of one kernel variant";
  let description = [{
    `block_m x block_n x block_k` is the output tile one CTA computes per step
    of `block_k` along K. `stages` is the depth of the shared-memory ring fed
    by TMA. `schedule` selects the kernel structure:

    - `warp_specialized`: one TMA producer warpgroup and `block_m / 64` wgmma
      consumer warpgroups (`block_m` in {64, 128}), `block_n` in 8..256, a
      multiple of 8 (the wgmma `n`).
    - `persistent`: the `warp_specialized` CTA, launched once per SM (per
      cluster of SMs) and looping over output tiles, so the loads of the
      next tile fill the ring while the consumers store the last one.
      `split_k = 1` and clusters of at most 2 CTAs.
    - `swap_ab`: computes `out^T = y * x^T` so that the weight's rows fill the
      64-row side of wgmma; `block_n` (weight rows) is 64 or 128 and `block_m`
      (tokens) a multiple of 8 up to 256.
    - `simt`: no tensor cores, no TMA. Each warp streams `warp_rows`
      weight rows (its share of their K) with 16-byte loads, 8 bf16 per
      lane, and multiplies them with the same 8 elements of each of
      `block_m` tokens (1 to 8), read through L1 once for all its rows;
      the lanes' sums meet in a butterfly of shuffles, the k-groups' in
      shared memory, both in a fixed order. `block_n` is the weight rows
      per CTA (a multiple of `warp_rows`) and `k_groups` (1, 2, 4 or 8) the
      warps that split one row's K, so a CTA is
      `32 * block_n / warp_rows * k_groups` threads (at most 1024).
      `block_k` (a multiple of 256) is what one warp reads of a row per
      step: each lane issues `warp_rows * block_k / 256` loads of y before
      it uses any. `stages = 1` (no ring), `split_k = 1`, no cluster. For
      M <= 8, where a wgmma tile is mostly padding and the kernel's time is
      the weight's bytes.

    `split_k` divides K between CTAs whose partial sums are combined as
    `reduction` says (`none` only when `split_k = 1`): `cluster` makes the
    `split_k` CTAs of one output tile a thread-block cluster (2 to 8 CTAs
    along grid z) that sums the partials through distributed shared memory
    in a fixed order (deterministic, no workspace): each CTA parks its
    partial in its own ring and reads its share of the others' (two cluster
    barriers). `cluster_push` is the same sum in the same order, bit for
    bit, but each CTA stores its partial's slices straight into the shared
    memory of the CTAs that own them (a buffer of about `block_m x block_n`
    fp32 beside the ring, rounded up to whole slices per owner, which may
    be written while the owner still computes),
    so the remote traffic is fire-and-forget stores and one cluster barrier
    separates them from the sums. `workspace` and `atomic`
    go through global memory. `cluster_m x cluster_n`
    is the thread-block cluster, `raster` the order of tiles.

    `k_groups` (optional, default 1; printed only when not 1) splits each
    CTA's K range between that many groups of consumer warpgroups, which
    take alternate k-steps of the ring and sum their accumulators through
    shared memory at the end, in a fixed order (before a cluster split-K
    reduction, which then sums the CTAs' results). With `block_m = 64` and
    `k_groups = 2` two dependent wgmma chains run side by side on the SM,
    where one alone waits on each wgmma's latency (small tiles, long K).

    `warp_rows` (optional, default 1; printed only when not 1) is used by
    `simt` only (above) and must be 1 for the other schedules.

    `epilogue` (optional, default `direct`; printed only when not
    `direct`) is how the tile reaches out: `direct` stores fp32 pairs from
    the accumulator registers; `tma_store` writes 32-column chunks of each
    consumer warpgroup's 64 rows into two 8 KiB staging buffers (the ring
    in a one-tile kernel, 16 KiB per consumer warpgroup past the ring in a
    persistent one) and stores them with TMA, which clips M and N.
    `tma_store` needs `warp_specialized` or `persistent`, `split_k = 1`
    and `block_n` a multiple of 32 (with `k_groups = 2`, group 0 stores
    the sum); the kernel then needs N, ldc and out's alignment fit for a
    TMA descriptor (gemm-to-kernel checks N % 4 == 0, the runtime the
    rest).

    Example:
    ```mlir
    #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4,
                 schedule = warp_specialized, split_k = 1, reduction = none,
                 cluster_m = 1, cluster_n = 1, raster = along_n>
    ```
  }];
  let parameters = (ins
    "int64_t":$block_m,
    "int64_t":$block_n,
    "int64_t":$block_k,
    "int64_t":$stages,
    EnumParameter<Gemm_ScheduleKind>:$schedule,
    "int64_t":$split_k,
    EnumParameter<Gemm_ReductionKind>:$reduction,
    "int64_t":$cluster_m,
    "int64_t":$cluster_n,
    EnumParameter<Gemm_RasterOrder>:$raster,
    DefaultValuedParameter<"int64_t", "1">:$k_groups,
    DefaultValuedParameter<"int64_t", "1">:$warp_rows,
    Gemm_EpilogueParameter:$epilogue
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Bytes of dynamic shared memory the kernel needs: the operand ring,
    /// the mbarriers and the slack to align the ring to 1 KiB.
    int64_t getSharedMemoryBytes() const;
    /// Bytes of the `tma_store` epilogue's staging buffers that come on top
    /// of the ring (persistent schedule; one-tile kernels stage in the
    /// ring): two 8 KiB chunks per consumer warpgroup.
    static int64_t getStoreStagingBytes(int64_t blockM,
                                        ScheduleKind schedule,
                                        EpilogueKind epilogue);
    /// Bytes of the `cluster_push` reduction's buffer (0 for the other
    /// reductions): for each of the split_k ranks, its slices of the
    /// register pairs that each owner sums, one fp32 word per consumer
    /// thread of k-group 0 (the fragment's rows and n follow `schedule`).
    static int64_t getPushBufferBytes(int64_t blockM, int64_t blockN,
                                      int64_t splitK,
                                      ReductionKind reduction,
                                      ScheduleKind schedule);
    /// Dynamic plus static (mbarrier) shared memory of a config with these
    /// parameters: what the verifier holds against kMaxSharedMemoryBytes.
    static int64_t getTotalSharedMemoryBytes(
        int64_t blockM, int64_t blockN, int64_t blockK, int64_t stages,
        int64_t splitK, ReductionKind reduction, int64_t kGroups,
        ScheduleKind schedule,
        EpilogueKind epilogue = EpilogueKind::Direct);
    /// Threads per CTA.
    int64_t getBlockThreads() const;
    /// Largest dynamic shared memory one CTA may use on sm_90 (227 KiB).
    static constexpr int64_t kMaxSharedMemoryBytes = 227 * 1024;
  }];
}

#endif // GEMMGEN_DIALECT_GEMM_IR_GEMMATTRS_TD
