//===- TunedConfigs.cpp - measured configurations for gemm-compile --------===//

#include "gemmgen/Tools/TunedConfigs.h"
#include "gemmgen/Tools/ShapeList.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <cmath>
#include <map>
#include <vector>

using namespace mlir;
namespace json = llvm::json;

LogicalResult mlir::gemm::parseTunedConfigs(StringRef text, TunedConfigs &out,
                                            std::string &error) {
  std::optional<json::Value> parsed = parseJsonObject(text, error);
  if (!parsed)
    return failure();
  const json::Object *root = parsed->getAsObject();
  std::optional<StringRef> chip = root->getString("chip");
  if (!chip) {
    error = "\"chip\" (a string) is missing";
    return failure();
  }
  out.chip = chip->str();
  const json::Array *list = root->getArray("measurements");
  if (!list) {
    error = "\"measurements\" (a list) is missing";
    return failure();
  }
  for (auto [i, e] : llvm::enumerate(*list)) {
    auto bad = [&, i = i](StringRef what) {
      error = llvm::formatv("measurement {0}: {1}", i, what).str();
      return failure();
    };
    const json::Object *o = e.getAsObject();
    if (!o)
      return bad("not an object");
    TunedMeasurement t;
    int64_t *dims[] = {&t.n, &t.k, &t.m};
    const char *names[] = {"n", "k", "m"};
    for (int d = 0; d < 3; ++d) {
      std::optional<int64_t> v = o->getInteger(names[d]);
      if (!v || *v < 1 || *v > kMaxDim)
        return bad(llvm::formatv("\"{0}\" must be an integer in 1..{1}",
                                 names[d], kMaxDim)
                       .str());
      *dims[d] = *v;
    }
    std::optional<StringRef> config = o->getString("config");
    if (!config)
      return bad("\"config\" (a #gemm.config string) is missing");
    t.config = config->str();
    std::optional<double> us = o->getNumber("us");
    if (!us || !std::isfinite(*us) || *us <= 0)
      return bad("\"us\" must be a positive number");
    t.us = *us;
    out.measurements.push_back(std::move(t));
  }
  return success();
}

std::optional<std::string>
mlir::gemm::pickTunedConfig(const TunedConfigs &table, int64_t n, int64_t k,
                            int64_t mLo, int64_t mHi) {
  // Per M in the bucket: each config's time (the best of repeats).
  std::map<int64_t, std::map<std::string, double>> byM;
  std::vector<std::string> order; // configs in order of first appearance
  for (const TunedMeasurement &t : table.measurements) {
    if (t.n != n || t.k != k || t.m < mLo || t.m > mHi)
      continue;
    auto [it, fresh] = byM[t.m].try_emplace(t.config, t.us);
    if (!fresh)
      it->second = std::min(it->second, t.us);
    if (fresh && llvm::find(order, t.config) == order.end())
      order.push_back(t.config);
  }
  if (byM.empty())
    return std::nullopt;
  std::optional<std::string> best;
  double bestScore = 0;
  for (const std::string &config : order) {
    double score = 0;
    bool everywhere = true;
    for (auto &[m, times] : byM) {
      auto it = times.find(config);
      if (it == times.end()) {
        everywhere = false;
        break;
      }
      double fastest = it->second;
      for (auto &[c, us] : times)
        fastest = std::min(fastest, us);
      score += it->second / fastest;
    }
    if (everywhere && (!best || score < bestScore)) {
      best = config;
      bestScore = score;
    }
  }
  return best;
}
