//===- Passes.h - NVVM fix-up passes ----------------------------*- C++ -*-===//

#ifndef GEMMGEN_TRANSFORMS_PASSES_H
#define GEMMGEN_TRANSFORMS_PASSES_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Pass/Pass.h"

namespace mlir::gemm {
#define GEN_PASS_DECL
#include "gemmgen/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "gemmgen/Transforms/Passes.h.inc"
} // namespace mlir::gemm

#endif // GEMMGEN_TRANSFORMS_PASSES_H
