//===- Passes.h - gemmgen conversion passes ---------------------*- C++ -*-===//

#ifndef GEMMGEN_CONVERSION_PASSES_H
#define GEMMGEN_CONVERSION_PASSES_H

#include "gemmgen/Conversion/GemmToKernel/GemmToKernel.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
#define GEN_PASS_DECL
#include "gemmgen/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "gemmgen/Conversion/Passes.h.inc"
} // namespace mlir

#endif // GEMMGEN_CONVERSION_PASSES_H
