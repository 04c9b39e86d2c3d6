//===- ShapeFileFuzzer.cpp - fuzz gemm-compile's shape file parser --------===//
//
// Arbitrary bytes as a shape file, then the M buckets it names, and the
// bytes again as an --m-buckets value: must never crash or hang, and what
// parses must respect the documented bounds.
//
//===----------------------------------------------------------------------===//

#include "gemmgen/Tools/ShapeList.h"

#include <cstdlib>

using namespace mlir;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  StringRef text(reinterpret_cast<const char *>(data), size);
  std::string error;
  gemm::ShapeList shapes;
  if (succeeded(gemm::parseShapeFile(text, shapes, error))) {
    for (auto [n, k] : shapes.nk)
      if (n < 1 || k < 1 || n > gemm::kMaxDim || k > gemm::kMaxDim)
        std::abort();
    std::vector<std::pair<int64_t, int64_t>> buckets;
    if (!shapes.bucketSpec.empty())
      (void)gemm::parseMBuckets(shapes.bucketSpec, buckets, error);
  }
  std::vector<std::pair<int64_t, int64_t>> buckets;
  if (succeeded(gemm::parseMBuckets(text, buckets, error))) {
    int64_t last = 0;
    for (auto [lo, hi] : buckets) {
      if (lo <= last || hi < lo || hi > gemm::kMaxDim)
        std::abort();
      last = hi;
    }
  }
  return 0;
}
