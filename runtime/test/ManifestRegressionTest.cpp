//===- ManifestRegressionTest.cpp - Parser bugs found by fuzzing ---------===//
//
// Each test here is a bug that runtime/fuzz/ManifestFuzzer.cpp (or review
// while writing it) found in manifest.json / tuning.json parsing; the input
// that showed it is also in runtime/fuzz/corpus/manifest/ (named below), so
// the fuzzer's corpus test replays it too. Each goes through loadBundle
// (files, as gemmrt_create reads them) and, where the code was wrong, the C
// API.
//
//===----------------------------------------------------------------------===//

#include "Manifest.h"
#include "TestUtil.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace gemmrt::impl;
using namespace gemmrt::test;
using nlohmann::json;

namespace {

/// bundle_good copied to a temp dir with manifest.json and/or tuning.json
/// replaced (nullptr: keep the fixture's).
Status loadWith(const TempDir &dir, const std::string *manifest,
                const std::string *tuning) {
  copyBundle(dataPath("bundle_good"), dir.path());
  if (manifest)
    writeText(dir / "manifest.json", *manifest);
  if (tuning)
    writeText(dir / "tuning.json", *tuning);
  Bundle b;
  return loadBundle(dir.path(), b);
}

gemmrt_status createWith(const TempDir &dir, std::string &message) {
  ScopedEnv backend("GEMMRT_BACKEND", nullptr);
  ScopedEnv log("GEMMRT_LOG", nullptr);
  const char *paths[] = {dir.path().c_str()};
  gemmrt_runtime *rt = nullptr;
  gemmrt_status s = gemmrt_create(&rt, paths, 1);
  message = gemmrt_last_error();
  gemmrt_destroy(rt);
  return s;
}

std::string nested(int depth) {
  return std::string(size_t(depth), '[') + std::string(size_t(depth), ']');
}

} // namespace

// Fuzzer crash (corpus: crash_number_overflow.json): a number too large for
// a double made nlohmann::json throw out_of_range, which parseJson did not
// catch (it caught parse_error only). The exception reached the C API's
// guard, so gemmrt_create returned GEMMRT_ERROR_INTERNAL instead of
// GEMMRT_ERROR_BUNDLE, and anything calling the parser without that guard
// (the fuzzer, the unit tests) terminated.
TEST(ManifestRegression, NumberOverflowInTuningIsABundleError) {
  TempDir dir;
  std::string tuning = readText(dataPath("bundle_good/tuning.json"));
  tuning.replace(tuning.find("3.1"), 3, "2e+600");
  Status s = loadWith(dir, nullptr, &tuning);
  EXPECT_EQ(s.code(), GEMMRT_ERROR_BUNDLE) << s.message();
  EXPECT_NE(s.message().find("tuning.json: not valid JSON"), std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("2e+600"), std::string::npos) << s.message();

  std::string message;
  EXPECT_EQ(createWith(dir, message), GEMMRT_ERROR_BUNDLE) << message;
  EXPECT_NE(message.find("number overflow"), std::string::npos) << message;
}

TEST(ManifestRegression, NumberOverflowInManifestIsABundleError) {
  TempDir dir;
  json j = json::parse(readText(dataPath("bundle_good/manifest.json")));
  std::string text = j.dump();
  text.replace(text.find("\"n\":256"), 7, "\"n\":1e400");
  Status s = loadWith(dir, &text, nullptr);
  EXPECT_EQ(s.code(), GEMMRT_ERROR_BUNDLE) << s.message();
  EXPECT_NE(s.message().find("manifest.json: not valid JSON"),
            std::string::npos)
      << s.message();
  // The exact crashing input, as manifest.json and as tuning.json.
  std::string crash = readText(
      std::string(GEMMRT_FUZZ_CORPUS_DIR) + "/crash_number_overflow.json");
  ASSERT_FALSE(crash.empty());
  EXPECT_EQ(loadWith(dir, &crash, nullptr).code(), GEMMRT_ERROR_BUNDLE);
  TempDir dir2;
  EXPECT_EQ(loadWith(dir2, nullptr, &crash).code(), GEMMRT_ERROR_BUNDLE);
}

// Found while writing the fuzzer: a variant's "config" without "text" is
// kept as config->dump(), and error messages dump the offending value; both
// recurse once per nesting level, so a ~20 KB manifest with 10000 nested
// arrays overflowed the stack (SIGSEGV in gemmrt_create). Documents nested
// deeper than kMaxJsonDepth are now rejected while parsing.
TEST(ManifestRegression, DeeplyNestedConfigIsRejectedNotACrash) {
  TempDir dir;
  json j = json::parse(readText(dataPath("bundle_good/manifest.json")));
  j["variants"][0]["config"] = json::object(); // no "text": dumped
  std::string text = j.dump();
  std::string placeholder = "\"config\":{}";
  size_t at = text.find(placeholder);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, placeholder.size(),
               "\"config\":{\"deep\":" + nested(100000) + "}");
  Status s = loadWith(dir, &text, nullptr);
  EXPECT_EQ(s.code(), GEMMRT_ERROR_BUNDLE) << s.message();
  EXPECT_NE(s.message().find("nested more than 64 deep"), std::string::npos)
      << s.message();
  std::string message;
  EXPECT_EQ(createWith(dir, message), GEMMRT_ERROR_BUNDLE) << message;
}

TEST(ManifestRegression, DeeplyNestedWrongTypeIsRejectedNotACrash) {
  // "expected an integer, got array [[[[..." dumps the value.
  TempDir dir;
  std::string manifest = "{\"schema_version\": " + nested(100000) + "}";
  Status s = loadWith(dir, &manifest, nullptr);
  EXPECT_EQ(s.code(), GEMMRT_ERROR_BUNDLE) << s.message();
  EXPECT_NE(s.message().find("nested more than"), std::string::npos)
      << s.message();
  TempDir dir2;
  std::string tuning = "{\"schema_version\": 1, \"entries\": " +
                       nested(100000) + "}";
  s = loadWith(dir2, nullptr, &tuning);
  EXPECT_EQ(s.code(), GEMMRT_ERROR_BUNDLE) << s.message();
  EXPECT_NE(s.message().find("tuning.json: not valid JSON for this runtime"),
            std::string::npos)
      << s.message();
}

TEST(ManifestRegression, NestingUpToTheLimitIsFine) {
  // The limit must not reject real manifests: a config holding nested
  // arrays up to the limit still loads.
  TempDir dir;
  json j = json::parse(readText(dataPath("bundle_good/manifest.json")));
  json deep = json::array();
  // root object (0) > variants (1) > variant (2) > config (3) > arrays.
  for (int i = 4; i < kMaxJsonDepth - 1; ++i)
    deep = json::array({deep});
  j["variants"][0]["config"]["deep"] = deep;
  std::string text = j.dump();
  Status s = loadWith(dir, &text, nullptr);
  EXPECT_TRUE(s.ok()) << s.message();
}

// Found while reading the parser for the fuzzer: a schema_version above
// INT64_MAX was converted to int64 and reported as a negative number.
TEST(ManifestRegression, HugeSchemaVersionIsReportedAsWritten) {
  TempDir dir;
  json j = json::parse(readText(dataPath("bundle_good/manifest.json")));
  std::string text = j.dump();
  text.replace(text.find("\"schema_version\":1"), 18,
               "\"schema_version\":18446744073709551615");
  Status s = loadWith(dir, &text, nullptr);
  EXPECT_EQ(s.code(), GEMMRT_ERROR_BUNDLE) << s.message();
  EXPECT_NE(s.message().find("incompatible bundle: schema_version "
                             "18446744073709551615,"),
            std::string::npos)
      << s.message();
}

// parseBundle is the in-memory core of loadBundle (the fuzzer's entry
// point): same results and messages without touching the disk.
TEST(ManifestRegression, ParseBundleMatchesLoadBundle) {
  std::string dir = dataPath("bundle_good");
  std::string manifest = readText(dir + "/manifest.json");
  std::string tuning = readText(dir + "/tuning.json");
  Bundle b;
  std::vector<std::string> asked;
  Status s = parseBundle(
      dir, manifest, &tuning,
      [&](const std::string &p) {
        asked.push_back(p);
        return true;
      },
      b);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(b.variants.size(), 3u);
  EXPECT_TRUE(b.hasTuning);
  EXPECT_EQ(asked.size(), 3u); // the three .ptx files (no cubins)

  Bundle missing;
  s = parseBundle(
      "/b", manifest, nullptr, [](const std::string &) { return false; },
      missing);
  EXPECT_EQ(s.code(), GEMMRT_ERROR_BUNDLE);
  EXPECT_EQ(s.message(), "bundle '/b': manifest.json: variants[0] "
                         "(n256_k4096_m1_64).ptx: file "
                         "'/b/n256_k4096_m1_64.ptx' not found");
}
