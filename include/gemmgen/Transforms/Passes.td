//===- Passes.td - NVVM fix-up passes ----------------------*- tablegen -*-===//

#ifndef GEMMGEN_TRANSFORMS_PASSES_TD
#define GEMMGEN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def GemmExternSharedMemory : Pass<"gemm-extern-shared-memory", "gpu::GPUModuleOp"> {
  let summary = "Make dynamic shared memory a 1 KiB-aligned extern array";
  let description = [{
    Upstream lowers `gpu.dynamic_shared_memory` to a zero-size internal
    global that NVPTX emits as a small static `.shared` variable. TMA with
    128-byte swizzling wants `.extern .shared .align 1024 .b8 smem[]`. This
    pass replaces each `gpu.dynamic_shared_memory` with a view of a public,
    uninitialized, 1 KiB-aligned `memref.global` of size 0, which lowers to
    exactly that.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect"];
}

def GemmTmaGridConstant : Pass<"gemm-tma-grid-constant", "gpu::GPUModuleOp"> {
  let summary = "Pass TMA descriptors by value as grid constants";
  let description = [{
    Runs after convert-gpu-to-nvvm. Every `llvm.func` argument listed in the
    function's `gemm.tma_desc_args` becomes a by-value 128-byte, 64-byte aligned kernel
    parameter with `nvvm.grid_constant`, so that the runtime passes the
    CUtensorMap itself (`.param .align 64 .b8 p[128]`) and the kernel uses
    its parameter-space address. (`nvvm.grid_constant` is not accepted on
    `gpu.func` arguments, hence the fix-up after lowering.)
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::mlir::NVVM::NVVMDialect"];
}

#endif // GEMMGEN_TRANSFORMS_PASSES_TD
