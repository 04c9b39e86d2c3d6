//===- Passes.td - gemmgen conversion passes ---------------*- tablegen -*-===//

#ifndef GEMMGEN_CONVERSION_PASSES_TD
#define GEMMGEN_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertGemmToKernel : Pass<"gemm-to-kernel", "ModuleOp"> {
  let summary = "Rewrite configured gemm ops into GPU kernels";
  let description = [{
    Each `gemm.linear_bf16_fp32` with a `#gemm.config` becomes a `gpu.module`
    holding one kernel `gpu.func` built from gpu, nvgpu, nvvm, scf, arith and
    memref ops, one builder per schedule kind. The op itself is erased: the
    kernel is launched by the runtime, which reads the launch geometry and the
    parameter list from the `gemm.kernel_info` attribute of the `gpu.module`.

    The module is named after the enclosing function (`<func>_kernels`) and
    the kernel `gemm_<func>`; a function may hold one op.

    Kernel parameters (warp_specialized): the TMA descriptors of x and y (as
    `!llvm.ptr`, listed in the function's `gemm.tma_desc_args`), the output pointer, M (i32) and the
    output row stride (i64).

    With `shift-tail-tiles`, the last tile along M (along N) of a
    warp_specialized, persistent or swap_ab kernel starts at M - block_m
    (N - block_n) instead of past the previous tile, when M >= block_m
    (N >= block_n): its TMA boxes then lie inside x and y, and the rows it
    shares with the previous tile are computed again from the same data in
    the same order and stored twice (the same bits). Without it such a tile
    reads rows past the end, which TMA fills with zeros: correct, but
    measured 10-60% slower per CTA on an H100 (M = 192 against M = 256 with
    128-row tiles, docs/perf).

    With `vector-push`, the split-K `cluster_push` reduction stores four
    fp32 values per remote store (`st.shared::cluster.v4`, 16 bytes a
    lane) instead of one, and the owner reads its buffer four
    values per load: a quarter of the remote stores, the same sums in the
    same order (the same bits). The one-wave sweeps of 2026-12-07 put the
    split-K reduction of a 128 x 128 tile at ~3.8 us (fixed cost with
    cluster_push against split 1, docs/perf). The pull form (`cluster`)
    then parks its partial by owner in the same layout (16-byte local
    stores) and the owners read it four values per remote load
    (`ld.shared::cluster.v4`), where the layout fits in the space the
    config reserves for the parked tile.

    A config with `epilogue = tma_store` (a split-1 warp_specialized or
    persistent kernel) stores its tile through shared memory: each
    consumer warpgroup writes 32-column chunks of its 64 rows into a
    staging buffer laid out as the box of a third TMA descriptor (out,
    fp32, 128-byte swizzle, box 32 x 64), and one thread issues a bulk
    tensor store per chunk, two chunks in flight; TMA clips rows past M
    and columns past N. The kernel then takes that descriptor as argument
    2 instead of the out pointer and requires a 16-byte-aligned out with
    ldc a multiple of 4; N must be a multiple of 4. With `tma-store`,
    every config that allows it gets `epilogue = tma_store`; the others
    (split-K, swap_ab, block_n not a multiple of 32, N not a
    multiple of 4, or a persistent ring with no room for the 16 KiB of
    staging per consumer warpgroup) keep the direct stores.
  }];
  let options = [
    Option<"shiftTailTiles", "shift-tail-tiles", "bool", /*default=*/"false",
           "Start the last M and N tiles at M - block_m and N - block_n so "
           "that no TMA box reaches past x or y">,
    Option<"vectorPush", "vector-push", "bool", /*default=*/"false",
           "Split-K: four fp32 per remote store (cluster_push) or remote "
           "load (cluster)">,
    Option<"tmaStore", "tma-store", "bool", /*default=*/"false",
           "Split-1 tiles go out through shared memory and TMA bulk stores">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::gpu::GPUDialect",
    "::mlir::LLVM::LLVMDialect", "::mlir::memref::MemRefDialect",
    "::mlir::NVVM::NVVMDialect", "::mlir::nvgpu::NVGPUDialect",
    "::mlir::scf::SCFDialect", "::mlir::vector::VectorDialect"
  ];
}

#endif // GEMMGEN_CONVERSION_PASSES_TD
