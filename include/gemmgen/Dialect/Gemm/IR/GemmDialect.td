//===- GemmDialect.td - gemm dialect definition ------------*- tablegen -*-===//
//
// The `gemm` dialect: the linear_bf16_fp32 operation and the tile
// configuration of the kernels that implement it.
//
//===----------------------------------------------------------------------===//

#ifndef GEMMGEN_DIALECT_GEMM_IR_GEMMDIALECT_TD
#define GEMMGEN_DIALECT_GEMM_IR_GEMMDIALECT_TD

include "mlir/IR/OpBase.td"

def Gemm_Dialect : Dialect {
  let name = "gemm";
  let cppNamespace = "::mlir::gemm";
  let summary = "Matrix products specialized per shape for GPU tensor cores";
  let description = [{
    The `gemm` dialect holds one operation, `gemm.linear_bf16_fp32`
    (`out[M, N] f32 = x[M, K] bf16 * y[N, K]^T bf16`, fp32 accumulation), and
    the `#gemm.config` attribute that describes the tile configuration of one
    kernel variant. Passes choose a configuration per op and lower the op to a
    GPU kernel.
  }];
  let useDefaultAttributePrinterParser = 1;
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

#endif // GEMMGEN_DIALECT_GEMM_IR_GEMMDIALECT_TD
