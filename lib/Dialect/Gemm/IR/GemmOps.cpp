//===- GemmOps.cpp - gemm dialect operations ------------------------------===//

#include "gemmgen/Dialect/Gemm/IR/Gemm.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpImplementation.h"

#include <limits>

using namespace mlir;
using namespace mlir::gemm;

#define GET_OP_CLASSES
#include "gemmgen/Dialect/Gemm/IR/GemmOps.cpp.inc"

static std::string dimStr(int64_t d) {
  return ShapedType::isDynamic(d) ? "?" : std::to_string(d);
}

/// Checks one operand: rank 2, the element type, and unit stride along the
/// last dimension (row strides may be anything).
static LogicalResult verifyOperand(Operation *op, StringRef name,
                                   MemRefType type, Type elemType,
                                   StringRef elemName) {
  if (type.getRank() != 2)
    return op->emitOpError() << name << " must be a rank-2 memref, got rank "
                             << type.getRank();
  if (type.getElementType() != elemType)
    return op->emitOpError() << name << " must have element type " << elemName
                             << ", got " << type.getElementType();
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)))
    return op->emitOpError() << name << " must have a strided layout";
  if (strides[1] != 1)
    return op->emitOpError()
           << name << " must have unit stride along its last dimension, got "
           << dimStr(strides[1]);
  return success();
}

LogicalResult LinearBf16Fp32Op::verify() {
  auto xType = cast<MemRefType>(getX().getType());
  auto yType = cast<MemRefType>(getY().getType());
  auto outType = cast<MemRefType>(getOut().getType());
  Builder b(getContext());
  if (failed(verifyOperand(*this, "x", xType, b.getBF16Type(), "bf16")) ||
      failed(verifyOperand(*this, "y", yType, b.getBF16Type(), "bf16")) ||
      failed(verifyOperand(*this, "out", outType, b.getF32Type(), "f32")))
    return failure();

  int64_t m = xType.getDimSize(0), k = xType.getDimSize(1);
  int64_t n = yType.getDimSize(0), ky = yType.getDimSize(1);
  if (ShapedType::isDynamic(n))
    return emitOpError("N (dim 0 of y) must be static");
  if (ShapedType::isDynamic(k) || ShapedType::isDynamic(ky))
    return emitOpError("K (dim 1 of x and y) must be static");
  if (k != ky)
    return emitOpError() << "K mismatch: x has K = " << k << " but y has K = "
                         << ky;
  if (k % 8 != 0)
    return emitOpError() << "K = " << k
                         << " must be a multiple of 8 (TMA needs rows of a "
                            "multiple of 16 bytes)";
  if (outType.getDimSize(0) != m)
    return emitOpError() << "out must be M x N = " << dimStr(m) << "x" << n
                         << ", got " << dimStr(outType.getDimSize(0)) << "x"
                         << dimStr(outType.getDimSize(1));
  if (outType.getDimSize(1) != n)
    return emitOpError() << "out must be M x N = " << dimStr(m) << "x" << n
                         << ", got " << dimStr(outType.getDimSize(0)) << "x"
                         << dimStr(outType.getDimSize(1));
  if (std::optional<ArrayRef<int64_t>> range = getMRange()) {
    if (range->size() != 2 || (*range)[0] < 1 || (*range)[0] > (*range)[1] ||
        (*range)[1] > std::numeric_limits<int32_t>::max())
      return emitOpError("m_range must be [lo, hi] with 1 <= lo <= hi <= "
                         "2147483647");
    if (!ShapedType::isDynamic(m) && (m < (*range)[0] || m > (*range)[1]))
      return emitOpError() << "static M = " << m << " is outside m_range ["
                           << (*range)[0] << ", " << (*range)[1] << "]";
  }
  return success();
}

std::pair<int64_t, int64_t> LinearBf16Fp32Op::getMBucket() {
  int64_t m = getStaticM();
  if (!ShapedType::isDynamic(m))
    return {m, m};
  if (std::optional<ArrayRef<int64_t>> range = getMRange())
    return {(*range)[0], (*range)[1]};
  return {1, std::numeric_limits<int32_t>::max()};
}

int64_t LinearBf16Fp32Op::getN() {
  return cast<MemRefType>(getY().getType()).getDimSize(0);
}
int64_t LinearBf16Fp32Op::getK() {
  return cast<MemRefType>(getY().getType()).getDimSize(1);
}
int64_t LinearBf16Fp32Op::getStaticM() {
  return cast<MemRefType>(getX().getType()).getDimSize(0);
}
