//===- GemmOps.td - gemm dialect operations ----------------*- tablegen -*-===//

#ifndef GEMMGEN_DIALECT_GEMM_IR_GEMMOPS_TD
#define GEMMGEN_DIALECT_GEMM_IR_GEMMOPS_TD

include "gemmgen/Dialect/Gemm/IR/GemmDialect.td"
include "gemmgen/Dialect/Gemm/IR/GemmAttrs.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/OpBase.td"

class Gemm_Op<string mnemonic, list<Trait> traits = []>
    : Op<Gemm_Dialect, mnemonic, traits>;

def Gemm_LinearBf16Fp32Op : Gemm_Op<"linear_bf16_fp32"> {
  let summary = "out[M, N] f32 = x[M, K] bf16 * y[N, K]^T bf16";
  let description = [{
    The linear layer of LLM serving with fp32 output: for every `m < M` and
    `n < N`, `out[m, n] = sum_k f32(x[m, k]) * f32(y[n, k])`, accumulated in
    f32. `y` is the weight in "NT" layout (rows of K elements).

    N and K must be static: kernels are specialized on them. M may be `?`
    (a run-time argument). All operands are row-major with unit stride along
    their last dimension; the row stride may exceed the row (`lda`, `ldb`,
    `ldc`). K must be a multiple of 8 so that rows are 16-byte aligned, as the
    Hopper tensor memory accelerator requires.

    The optional `config` attribute holds the tile configuration chosen for
    this op (see `#gemm.config`). The optional `m_range = array<i64: lo, hi>`
    is the bucket of M values the kernel must serve (inclusive); without it a
    dynamic M means any M >= 1.

    Example:
    ```mlir
    gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<384x7168xbf16>)
                          outs(%out : memref<?x384xf32>)
    ```
  }];
  let arguments = (ins
    Arg<AnyMemRef, "activations x[M, K]", [MemRead]>:$x,
    Arg<AnyMemRef, "weight y[N, K]", [MemRead]>:$y,
    Arg<AnyMemRef, "output out[M, N]", [MemWrite]>:$out,
    OptionalAttr<Gemm_ConfigAttr>:$config,
    OptionalAttr<DenseI64ArrayAttr>:$m_range
  );
  let assemblyFormat = [{
    `ins` `(` $x `,` $y `:` type($x) `,` type($y) `)`
    `outs` `(` $out `:` type($out) `)` attr-dict
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    int64_t getN();
    int64_t getK();
    /// The static M, or ShapedType::kDynamic.
    int64_t getStaticM();
    /// The M bucket: [M, M] for a static M, else `m_range`, else
    /// [1, INT32_MAX].
    std::pair<int64_t, int64_t> getMBucket();
  }];
}

#endif // GEMMGEN_DIALECT_GEMM_IR_GEMMOPS_TD
