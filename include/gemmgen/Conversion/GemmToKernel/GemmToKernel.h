//===- GemmToKernel.h - gemm ops to GPU kernels -----------------*- C++ -*-===//

#ifndef GEMMGEN_CONVERSION_GEMMTOKERNEL_GEMMTOKERNEL_H
#define GEMMGEN_CONVERSION_GEMMTOKERNEL_GEMMTOKERNEL_H

#include "gemmgen/Dialect/Gemm/IR/Gemm.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/Builders.h"

namespace mlir::gemm {

/// Name of the DictionaryAttr on each generated gpu.module that tells the
/// runtime how to launch its kernel (see docs/bundle.md).
constexpr StringLiteral kKernelInfoAttrName = "gemm.kernel_info";
/// Lists (on the kernel function) the arguments that carry a TMA
/// descriptor. A function attribute, because GPU-to-NVVM lowering keeps
/// those but drops argument attributes.
constexpr StringLiteral kTmaDescArgsAttrName = "gemm.tma_desc_args";

/// The options of gemm-to-kernel that change the warp-specialized kernels.
struct WarpSpecializedOptions {
  /// The last M and N tiles start at M - block_m and N - block_n
  /// (shift-tail-tiles).
  bool shiftTailTiles = false;
  /// Split-K moves four fp32 per remote store (cluster_push) or remote load
  /// (cluster) (vector-push).
  bool vectorPush = false;
};

/// `config` with epilogue = tma_store where it allows that for N (what
/// gemm-to-kernel's tma-store does to the configs of its ops): schedule
/// warp_specialized or persistent, split_k = 1, block_n a multiple of 32,
/// N a multiple of 4 (the fp32 descriptor's row stride is ldc * 4 bytes, a
/// multiple of 16) and, for persistent, room for the staging beside the
/// ring. Otherwise `config` unchanged.
ConfigAttr withTmaStoreWherePossible(ConfigAttr config, int64_t n);

/// Builds the warp-specialized kernel for `op` (configured with
/// `warp_specialized`) as a gpu.func named `kernelName` at the builder's
/// insertion point (inside a gpu.module). Fills `info` with the launch
/// description.
FailureOr<gpu::GPUFuncOp>
buildWarpSpecializedKernel(OpBuilder &builder, LinearBf16Fp32Op op,
                           StringRef kernelName, NamedAttrList &info,
                           const WarpSpecializedOptions &options = {});

/// Builds the CUDA-core kernel for `op` (configured with `simt`); same
/// contract as buildWarpSpecializedKernel.
FailureOr<gpu::GPUFuncOp> buildSimtKernel(OpBuilder &builder,
                                          LinearBf16Fp32Op op,
                                          StringRef kernelName,
                                          NamedAttrList &info);

} // namespace mlir::gemm

#endif // GEMMGEN_CONVERSION_GEMMTOKERNEL_GEMMTOKERNEL_H
