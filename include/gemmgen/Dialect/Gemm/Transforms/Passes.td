//===- Passes.td - gemm dialect passes ---------------------*- tablegen -*-===//

#ifndef GEMMGEN_DIALECT_GEMM_TRANSFORMS_PASSES_TD
#define GEMMGEN_DIALECT_GEMM_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def GemmSelectConfig : Pass<"gemm-select-config", "ModuleOp"> {
  let summary = "Attach a #gemm.config to every gemm.linear_bf16_fp32";
  let description = [{
    Chooses the tile configuration of each op that has none from an analytic
    model of the target chip: SM count, shared memory per CTA, tensor-core
    and memory rates, wave quantization and operand traffic. The op's M range
    (its static M, or its `m_range`) is the bucket the configuration must
    serve; the model scores each candidate at both ends of the bucket.
    Deterministic: the same op and options always give the same choice. Ops
    that already carry a config are left alone.
  }];
  let dependentDialects = ["::mlir::gemm::GemmDialect"];
  let options = [
    Option<"chip", "chip", "std::string", /*default=*/"\"sm_90a\"",
           "Target chip (sm_90a: H100 SXM, 132 SMs)">,
    Option<"numSMs", "num-sms", "int64_t", /*default=*/"0",
           "Override the chip's SM count (0: the chip's own)">,
  ];
}

#endif // GEMMGEN_DIALECT_GEMM_TRANSFORMS_PASSES_TD
