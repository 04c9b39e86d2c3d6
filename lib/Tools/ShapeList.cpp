//===- ShapeList.cpp - shape files and M buckets of gemm-compile ----------===//

#include "gemmgen/Tools/ShapeList.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

using namespace mlir;
namespace json = llvm::json;

static bool readDims(const json::Value &v, size_t count,
                     SmallVectorImpl<int64_t> &out) {
  const json::Array *arr = v.getAsArray();
  if (!arr || arr->size() != count)
    return false;
  for (const json::Value &e : *arr) {
    std::optional<int64_t> i = e.getAsInteger();
    if (!i || *i < 1 || *i > gemm::kMaxDim)
      return false;
    out.push_back(*i);
  }
  return true;
}

std::optional<json::Value> mlir::gemm::parseJsonObject(StringRef text,
                                                       std::string &error) {
  llvm::Expected<json::Value> parsed = json::parse(text);
  if (!parsed) {
    error = "not valid JSON: " + llvm::toString(parsed.takeError());
    return std::nullopt;
  }
  if (!parsed->getAsObject()) {
    error = "must hold a JSON object";
    return std::nullopt;
  }
  return std::move(*parsed);
}

LogicalResult mlir::gemm::parseShapeFile(StringRef text, ShapeList &out,
                                         std::string &error) {
  std::optional<json::Value> parsed = parseJsonObject(text, error);
  if (!parsed)
    return failure();
  const json::Object *root = parsed->getAsObject();
  if (const json::Array *list = root->getArray("nk")) {
    for (const json::Value &e : *list) {
      SmallVector<int64_t> v;
      if (!readDims(e, 2, v)) {
        error = llvm::formatv("every \"nk\" entry must be [N, K] with "
                              "1 <= N, K <= {0}",
                              kMaxDim);
        return failure();
      }
      out.nk.push_back({v[0], v[1]});
    }
  } else if (const json::Array *list = root->getArray("shapes")) {
    for (const json::Value &e : *list) {
      SmallVector<int64_t> v;
      if (!readDims(e, 3, v)) {
        error = llvm::formatv("every \"shapes\" entry must be [M, N, K] "
                              "with 1 <= M, N, K <= {0}",
                              kMaxDim);
        return failure();
      }
      out.nk.push_back({v[1], v[2]});
    }
  } else {
    error = "has neither \"nk\" nor \"shapes\"";
    return failure();
  }
  if (const json::Value *buckets = root->get("m_buckets")) {
    const json::Array *list = buckets->getAsArray();
    if (!list) {
      error = "\"m_buckets\" must be a list of [lo, hi]";
      return failure();
    }
    std::string spec;
    for (const json::Value &e : *list) {
      SmallVector<int64_t> v;
      if (!readDims(e, 2, v)) {
        error = "\"m_buckets\" entries are [lo, hi]";
        return failure();
      }
      spec += llvm::formatv("{0}{1}-{2}", spec.empty() ? "" : ",", v[0], v[1]);
    }
    out.bucketSpec = spec;
  }
  return success();
}

LogicalResult
mlir::gemm::parseMBuckets(StringRef spec,
                          std::vector<std::pair<int64_t, int64_t>> &out,
                          std::string &error) {
  SmallVector<StringRef> parts;
  spec.split(parts, ',', -1, /*KeepEmpty=*/false);
  for (StringRef part : parts) {
    auto [loStr, hiStr] = part.trim().split('-');
    int64_t lo = 0, hi = kMaxDim;
    if (!part.contains('-') || loStr.getAsInteger(10, lo) ||
        (!hiStr.empty() && hiStr.getAsInteger(10, hi)) || lo < 1 ||
        hi < lo || hi > kMaxDim) {
      error = ("bad M bucket '" + part + "' (want lo-hi with 1 <= lo <= hi)")
                  .str();
      return failure();
    }
    if (!out.empty() && lo <= out.back().second) {
      error = ("M buckets overlap or are out of order at '" + part + "'").str();
      return failure();
    }
    out.push_back({lo, hi});
  }
  if (out.empty()) {
    error = "no M buckets";
    return failure();
  }
  return success();
}
