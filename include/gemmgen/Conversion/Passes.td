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
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::gpu::GPUDialect",
    "::mlir::LLVM::LLVMDialect", "::mlir::memref::MemRefDialect",
    "::mlir::NVVM::NVVMDialect", "::mlir::nvgpu::NVGPUDialect",
    "::mlir::scf::SCFDialect", "::mlir::vector::VectorDialect"
  ];
}

#endif // GEMMGEN_CONVERSION_PASSES_TD
