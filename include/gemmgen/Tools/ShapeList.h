//===- ShapeList.h - shape files and M buckets of gemm-compile --*- C++ -*-===//

#ifndef GEMMGEN_TOOLS_SHAPELIST_H
#define GEMMGEN_TOOLS_SHAPELIST_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mlir::gemm {

/// The largest M (and N, K) a shape may have: kernels take M as an i32.
constexpr int64_t kMaxDim = std::numeric_limits<int32_t>::max();

/// What a shape file holds: the weights' (N, K) and, optionally, M buckets
/// in the syntax of parseMBuckets ("" when the file names none).
struct ShapeList {
  std::vector<std::pair<int64_t, int64_t>> nk;
  std::string bucketSpec;
};

/// Parses `text` as JSON that must hold an object (the input files of
/// gemm-compile); none, with `error` set, otherwise.
std::optional<llvm::json::Value> parseJsonObject(StringRef text,
                                                 std::string &error);

/// Parses the JSON text of a shape file: {"nk": [[N, K], ...]} or
/// {"shapes": [[M, N, K], ...]}, with an optional "m_buckets": [[lo, hi],
/// ...]. Every dimension must be in 1..kMaxDim. On failure `error` says what
/// is wrong.
LogicalResult parseShapeFile(StringRef text, ShapeList &out,
                             std::string &error);

/// Parses "lo-hi,lo-hi,..." (an empty hi means kMaxDim): ascending,
/// non-overlapping, 1 <= lo <= hi <= kMaxDim.
LogicalResult parseMBuckets(StringRef spec,
                            std::vector<std::pair<int64_t, int64_t>> &out,
                            std::string &error);

} // namespace mlir::gemm

#endif // GEMMGEN_TOOLS_SHAPELIST_H
