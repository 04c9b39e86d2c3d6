//===- Gemm.h - gemm dialect ------------------------------------*- C++ -*-===//

#ifndef GEMMGEN_DIALECT_GEMM_IR_GEMM_H
#define GEMMGEN_DIALECT_GEMM_IR_GEMM_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "gemmgen/Dialect/Gemm/IR/GemmOpsDialect.h.inc"
#include "gemmgen/Dialect/Gemm/IR/GemmEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "gemmgen/Dialect/Gemm/IR/GemmAttrs.h.inc"

#define GET_OP_CLASSES
#include "gemmgen/Dialect/Gemm/IR/GemmOps.h.inc"

#endif // GEMMGEN_DIALECT_GEMM_IR_GEMM_H
