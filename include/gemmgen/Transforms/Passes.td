//===- Passes.td - NVVM fix-up passes ----------------------*- tablegen -*-===//

#ifndef GEMMGEN_TRANSFORMS_PASSES_TD
#define GEMMGEN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def GemmExternSharedMemory : Pass<"gemm-extern-shared-memory", "gpu::GPUModuleOp"> {
  let summary = "Make dynamic shared memory an extern array";
  let description = [{
    Upstream lowers `gpu.dynamic_shared_memory` to a zero-size internal
    global that NVPTX emits as a small static `.shared` variable. This pass
    replaces each `gpu.dynamic_shared_memory` with a view of a public,
    uninitialized `memref.global` of size 0, which lowers to
    `.extern .shared .align 16 .b8 __gemm_dynamic_smem[]`. The kernel pads
    its TMA ring to the 1 KiB boundary 128-byte swizzling needs at run time
    (the config reserves the slack). The declared alignment stays 16 on
    purpose: the driver's JIT linker does not honor `.align 1024` on extern
    shared memory, and with it ptxas would fold that padding away.
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
