//===- ManifestTest.cpp - manifest.json / tuning.json parsing ------------===//
//
// The good fixture parses into exactly what docs/bundle.md describes; every
// malformed variant (fixture directories and mutations made here) fails
// with GEMMRT_ERROR_BUNDLE and a message naming the field.
//
//===----------------------------------------------------------------------===//

#include "Manifest.h"
#include "Sha256.h"
#include "TestUtil.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <functional>

using namespace gemmrt::impl;
using namespace gemmrt::test;
using nlohmann::json;

//===--- chips ------------------------------------------------------------===//

TEST(Chip, Parse) {
  ChipInfo c;
  ASSERT_TRUE(parseChip("sm_90a", c));
  EXPECT_EQ(c.major, 9);
  EXPECT_EQ(c.minor, 0);
  EXPECT_EQ(c.suffix, 'a');
  ASSERT_TRUE(parseChip("sm_100f", c));
  EXPECT_EQ(c.major, 10);
  EXPECT_EQ(c.minor, 0);
  EXPECT_EQ(c.suffix, 'f');
  ASSERT_TRUE(parseChip("sm_89", c));
  EXPECT_EQ(c.major, 8);
  EXPECT_EQ(c.minor, 9);
  EXPECT_EQ(c.suffix, 0);
  for (const char *bad : {"", "sm_", "sm_9", "sm_9x", "gfx942", "sm_90b",
                          "SM_90", "sm_a", "sm_12345"})
    EXPECT_FALSE(parseChip(bad, c)) << bad;
}

TEST(Chip, CompatibilityRules) {
  ChipInfo sm90a, sm90, sm100f;
  ASSERT_TRUE(parseChip("sm_90a", sm90a));
  ASSERT_TRUE(parseChip("sm_90", sm90));
  ASSERT_TRUE(parseChip("sm_100f", sm100f));
  // Arch-specific code: exactly that capability.
  EXPECT_TRUE(chipRunsOn(sm90a, 9, 0));
  EXPECT_FALSE(chipRunsOn(sm90a, 10, 0));
  EXPECT_FALSE(chipRunsOn(sm90a, 8, 9));
  // Plain PTX: JIT forward.
  EXPECT_TRUE(chipRunsOn(sm90, 10, 0));
  EXPECT_FALSE(chipRunsOn(sm90, 8, 9));
  // Family: same major.
  EXPECT_TRUE(chipRunsOn(sm100f, 10, 3));
  EXPECT_FALSE(chipRunsOn(sm100f, 12, 0));
  // Cubins: same major (and for 'a' the same minor).
  EXPECT_TRUE(cubinRunsOn(sm90a, 9, 0));
  EXPECT_FALSE(cubinRunsOn(sm90a, 10, 0));
  EXPECT_FALSE(cubinRunsOn(sm90, 10, 0));
  EXPECT_EQ(deviceChipName(9, 0), "sm_90");
  EXPECT_EQ(deviceChipName(12, 1), "sm_121");
}

TEST(ParamLayout, OffsetsFollowKindAlignment) {
  std::vector<ParamSpec> ps(6);
  ps[0].kind = ParamKind::I32;
  ps[1].kind = ParamKind::TmaDesc;
  ps[2].kind = ParamKind::TmaDesc;
  ps[3].kind = ParamKind::Ptr;
  ps[4].kind = ParamKind::I32;
  ps[5].kind = ParamKind::I64;
  EXPECT_EQ(layoutParams(ps), 408u);
  EXPECT_EQ(ps[0].offset, 0u);
  EXPECT_EQ(ps[1].offset, 128u); // CUtensorMap is alignas(128) in CUDA 13
  EXPECT_EQ(ps[1].size, 128u);
  EXPECT_EQ(ps[2].offset, 256u);
  EXPECT_EQ(ps[3].offset, 384u); // 256 + 128
  EXPECT_EQ(ps[4].offset, 392u);
  EXPECT_EQ(ps[5].offset, 400u); // 396 rounded up to 8
}

//===--- the good fixture -------------------------------------------------===//

TEST(Manifest, GoodFixture) {
  Bundle b;
  Status s = loadBundle(dataPath("bundle_good"), b);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(b.schemaVersion, 1);
  EXPECT_EQ(b.compiler, "gemmgen 0.1.0");
  EXPECT_EQ(b.chip, "sm_90a");
  ASSERT_EQ(b.variants.size(), 3u);

  const Variant &v = b.variants[0];
  EXPECT_EQ(v.name, "n256_k4096_m1_64");
  EXPECT_EQ(v.n, 256);
  EXPECT_EQ(v.k, 4096);
  EXPECT_EQ(v.mMin, 1);
  EXPECT_EQ(v.mMax, 64);
  EXPECT_EQ(v.kernel, "gemm_n256_k4096_m1_64");
  EXPECT_FALSE(v.programmaticLaunch) << "absent means a plain launch";
  EXPECT_EQ(v.ptxPath, dataPath("bundle_good/n256_k4096_m1_64.ptx"));
  EXPECT_TRUE(v.cubinPath.empty());
  EXPECT_EQ(v.block[0], 256u);
  EXPECT_EQ(v.dynamicSmemBytes, 197632);
  EXPECT_EQ(v.grid.blockM, 64);
  EXPECT_EQ(v.grid.blockN, 128);
  EXPECT_EQ(v.grid.splitK, 1);
  EXPECT_EQ(v.bundle, &b);
  EXPECT_NE(v.configText.find("#gemm.config"), std::string::npos);
  ASSERT_EQ(v.params.size(), 5u);
  EXPECT_EQ(v.params[0].kind, ParamKind::TmaDesc);
  EXPECT_EQ(v.params[0].tensor, TensorRef::X);
  EXPECT_EQ(v.params[0].box[0], 64u);
  EXPECT_EQ(v.params[0].box[1], 64u);
  EXPECT_EQ(v.params[1].tensor, TensorRef::Y);
  EXPECT_EQ(v.params[1].box[1], 128u);
  EXPECT_EQ(v.params[2].kind, ParamKind::Ptr);
  EXPECT_EQ(v.params[3].kind, ParamKind::I32);
  EXPECT_EQ(v.params[3].value, ScalarRef::M);
  EXPECT_EQ(v.params[4].kind, ParamKind::I64);
  EXPECT_EQ(v.params[4].value, ScalarRef::Ldc);
  // .param .align 64 .b8 [128] x2, .u64, .u32, .u64 (as in the PTX).
  EXPECT_EQ(v.params[2].offset, 256u);
  EXPECT_EQ(v.params[3].offset, 264u);
  EXPECT_EQ(v.params[4].offset, 272u);
  EXPECT_EQ(v.paramBytes, 280u);
  EXPECT_EQ(v.reqs.kMultiple, 8);
  EXPECT_EQ(v.reqs.outAlignBytes, 8);
  EXPECT_EQ(v.reqs.ldcMultiple, 2);
  EXPECT_EQ(v.reqs.xAlignBytes, 16);
  EXPECT_EQ(b.variants[2].cluster[0], 2u);

  ASSERT_TRUE(b.hasTuning);
  EXPECT_EQ(b.tuning.device, "NVIDIA H100 80GB HBM3");
  ASSERT_EQ(b.tuning.entries.size(), 2u);
  const TuningEntry &e = b.tuning.entries[0];
  EXPECT_EQ(e.backend, TunedBackend::Generated);
  EXPECT_EQ(e.variant, &b.variants[0]);
  EXPECT_EQ(e.bundle, &b);
  EXPECT_DOUBLE_EQ(e.usGenerated, 3.1);
  EXPECT_DOUBLE_EQ(e.usCublasLt, 6.3);
  EXPECT_EQ(b.tuning.entries[1].backend, TunedBackend::CublasLt);
  EXPECT_EQ(b.tuning.entries[1].variant, nullptr);
}

TEST(Manifest, PtxHashesInFixtureAreReal) {
  Bundle b;
  ASSERT_TRUE(loadBundle(dataPath("bundle_good"), b).ok());
  for (const Variant &v : b.variants) {
    std::string ptx = readText(v.ptxPath);
    ASSERT_FALSE(ptx.empty());
    // Recomputed the same way the loader does before a JIT.
    EXPECT_EQ(Sha256::hashHex(ptx.data(), ptx.size()), v.ptxSha256) << v.name;
  }
}

TEST(Manifest, CommentsAreAccepted) {
  // docs/bundle.md shows the manifest with // comments.
  std::string text = readText(dataPath("bundle_good/manifest.json"));
  text.insert(text.find('{') + 1, "\n  // written by gemm-compile\n");
  Bundle b;
  Status s = parseManifest(text, dataPath("bundle_good"), b);
  EXPECT_TRUE(s.ok()) << s.message();
}

//===--- malformed fixture directories ------------------------------------===//

struct FixtureCase {
  const char *dir;
  const char *expected;
};

class MalformedFixture : public ::testing::TestWithParam<FixtureCase> {};

TEST_P(MalformedFixture, FailsWithBundleErrorNamingTheProblem) {
  Bundle b;
  std::string dir = dataPath(GetParam().dir);
  Status s = loadBundle(dir, b);
  EXPECT_EQ(s.code(), GEMMRT_ERROR_BUNDLE) << s.message();
  EXPECT_NE(s.message().find(GetParam().expected), std::string::npos)
      << "message: " << s.message();
  EXPECT_NE(s.message().find(dir), std::string::npos)
      << "message does not name the bundle: " << s.message();
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, MalformedFixture,
    ::testing::Values(
        FixtureCase{"bundle_bad_schema",
                    "schema_version: incompatible bundle: schema_version 2"},
        FixtureCase{"bundle_bad_json", "manifest.json: not valid JSON"},
        FixtureCase{"bundle_unknown_param_kind",
                    "variants[1] (n256_k4096_m65_256).params[3].kind: unknown "
                    "param kind 'f16'"},
        FixtureCase{"bundle_unknown_grid_kind",
                    "grid.kind: unknown grid kind 'stream_k'"},
        FixtureCase{"bundle_missing_ptx", "n256_k4096_m65_256.ptx' not found"},
        FixtureCase{"bundle_bad_tuning",
                    "tuning.json: entries[0].variant: no variant named "
                    "'n256_k4096_m1_32'"},
        FixtureCase{"bundle_no_manifest", "manifest.json not found"},
        FixtureCase{"does_not_exist", "directory does not exist"}),
    [](const auto &info) {
      std::string name = info.param.dir;
      for (char &c : name)
        if (!isalnum((unsigned char)c))
          c = '_';
      return name;
    });

//===--- mutations of the good manifest -----------------------------------===//

struct Mutation {
  const char *pointer; // JSON pointer into manifest.json
  const char *value;   // JSON text, or nullptr to remove the field
  const char *expected;
};

static void PrintTo(const Mutation &m, std::ostream *os) {
  *os << m.pointer << " = " << (m.value ? m.value : "<removed>");
}

static void applyMutation(json &j, const Mutation &m) {
  json::json_pointer ptr(m.pointer);
  if (m.value) {
    j[ptr] = json::parse(m.value);
    return;
  }
  json &parent = j[ptr.parent_pointer()];
  if (parent.is_array())
    parent.erase(std::stoul(ptr.back()));
  else
    parent.erase(ptr.back());
}

/// "variants_0_n_removed_11": readable and unique test names.
static std::string
mutationName(const ::testing::TestParamInfo<Mutation> &info) {
  std::string name;
  for (const char *p = info.param.pointer + 1; *p; ++p)
    name += isalnum((unsigned char)*p) ? *p : '_';
  name += info.param.value ? "_set_" : "_removed_";
  name += std::to_string(info.index);
  return name;
}

class ManifestMutation : public ::testing::TestWithParam<Mutation> {};

TEST_P(ManifestMutation, FailsWithBundleErrorNamingTheField) {
  const Mutation &m = GetParam();
  TempDir dir;
  copyBundle(dataPath("bundle_good"), dir.path());
  json j = json::parse(readText(dir / "manifest.json"));
  applyMutation(j, m);
  writeText(dir / "manifest.json", j.dump(2));

  Bundle b;
  Status s = loadBundle(dir.path(), b);
  EXPECT_EQ(s.code(), GEMMRT_ERROR_BUNDLE) << s.message();
  EXPECT_NE(s.message().find(m.expected), std::string::npos)
      << "message: " << s.message();
}

TEST(Manifest, PersistentGridKind) {
  TempDir dir;
  copyBundle(dataPath("bundle_good"), dir.path());
  json j = json::parse(readText(dir / "manifest.json"));
  j["variants"][2]["grid"]["kind"] = "persistent"; // cluster [2, 1, 1]
  writeText(dir / "manifest.json", j.dump(2));
  Bundle b;
  Status s = loadBundle(dir.path(), b);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(b.variants[2].grid.kind, GridKind::Persistent);
  EXPECT_EQ(b.variants[0].grid.kind, GridKind::Tiles);
}

/// Loads bundle_good with variant 0's params edited by `edit`.
Status loadWithParams(const std::function<void(json &)> &edit, Bundle &b) {
  TempDir dir;
  copyBundle(dataPath("bundle_good"), dir.path());
  json j = json::parse(readText(dir / "manifest.json"));
  edit(j["variants"][0]["params"]);
  writeText(dir / "manifest.json", j.dump(2));
  return loadBundle(dir.path(), b);
}

// The simt schedule's parameters: x and y as pointers, their strides as i64.
TEST(Manifest, PointerOperands) {
  Bundle b;
  Status s = loadWithParams(
      [](json &params) {
        params = json::parse(R"([
            {"kind": "ptr", "tensor": "x"}, {"kind": "ptr", "tensor": "y"},
            {"kind": "ptr", "tensor": "out"}, {"kind": "i32", "value": "m"},
            {"kind": "i64", "value": "lda"}, {"kind": "i64", "value": "ldb"},
            {"kind": "i64", "value": "ldc"}])");
      },
      b);
  ASSERT_TRUE(s.ok()) << s.message();
  const std::vector<ParamSpec> &p = b.variants[0].params;
  ASSERT_EQ(p.size(), 7u);
  EXPECT_EQ(p[0].kind, ParamKind::Ptr);
  EXPECT_EQ(p[0].tensor, TensorRef::X);
  EXPECT_EQ(p[1].kind, ParamKind::Ptr);
  EXPECT_EQ(p[1].tensor, TensorRef::Y);
  EXPECT_EQ(p[2].tensor, TensorRef::Out);
  EXPECT_EQ(p[4].value, ScalarRef::Lda);
  EXPECT_EQ(p[5].value, ScalarRef::Ldb);
  EXPECT_EQ(b.variants[0].paramBytes, 56u);
}

// A TMA-store epilogue takes out as a third descriptor (fp32, 32-wide box).
TEST(Manifest, OutDescriptor) {
  Bundle b;
  Status s = loadWithParams(
      [](json &params) {
        params[2] = json::parse(
            R"({"kind": "tma_desc", "tensor": "out", "box": [32, 64]})");
      },
      b);
  ASSERT_TRUE(s.ok()) << s.message();
  const std::vector<ParamSpec> &p = b.variants[0].params;
  ASSERT_EQ(p.size(), 5u);
  EXPECT_EQ(p[2].kind, ParamKind::TmaDesc);
  EXPECT_EQ(p[2].tensor, TensorRef::Out);
  EXPECT_EQ(p[2].box[0], 32u);
  EXPECT_EQ(p[2].box[1], 64u);
  // Three 128-byte descriptors, then i32 m and i64 ldc.
  EXPECT_EQ(p[3].offset, 384u);
  EXPECT_EQ(b.variants[0].paramBytes, 400u);
}

INSTANTIATE_TEST_SUITE_P(
    Fields, ManifestMutation,
    ::testing::Values(
        Mutation{"/schema_version", nullptr, "schema_version: missing field"},
        Mutation{"/schema_version", "\"1\"",
                 "schema_version: expected an integer, got string"},
        Mutation{"/schema_version", "0", "schema_version 0"},
        Mutation{"/compiler", nullptr, "compiler: missing field"},
        Mutation{"/compiler", "7", "compiler: expected a string"},
        Mutation{"/options_hash", nullptr, "options_hash: missing field"},
        Mutation{"/chip", "\"gfx942\"", "chip: 'gfx942' is not a chip"},
        Mutation{"/variants", "{}", "variants: expected an array"},
        Mutation{"/variants/0", "\"x\"", "variants[0]: expected an object"},
        Mutation{"/variants/0/name", "\"bad-name\"",
                 "variants[0].name: 'bad-name' is not made of"},
        Mutation{"/variants/1/name", "\"n256_k4096_m1_64\"",
                 "duplicate variant name 'n256_k4096_m1_64'"},
        Mutation{"/variants/0/n", nullptr,
                 "variants[0] (n256_k4096_m1_64).n: missing field"},
        Mutation{"/variants/0/n", "\"256\"",
                 ".n: expected an integer, got string"},
        Mutation{"/variants/0/n", "256.5",
                 ".n: expected an integer, got number"},
        Mutation{"/variants/0/k", "-8", ".k: value -8 is out of range"},
        Mutation{"/variants/0/m_max", "0", ".m_max: value 0 is out of range"},
        Mutation{"/variants/0/m_min", "100", "m_max 64 < m_min 100"},
        Mutation{"/variants/0/m_max", "5000000",
                 "needs more than 65535 blocks along M"},
        Mutation{"/variants/0/chip", "\"sm_9\"", ".chip: 'sm_9' is not a chip"},
        Mutation{"/variants/0/config", "[]", ".config: expected an object"},
        Mutation{"/variants/0/kernel", "\"gemm-x\"",
                 ".kernel: 'gemm-x' is not a PTX identifier"},
        Mutation{"/variants/0/ptx", "\"/abs/k.ptx\"",
                 ".ptx: '/abs/k.ptx' must be a path relative"},
        Mutation{"/variants/0/ptx", "\"../k.ptx\"",
                 ".ptx: '../k.ptx' must be a path relative"},
        Mutation{"/variants/0/ptx", "\"other.ptx\"", ".ptx: file '"},
        Mutation{"/variants/0/ptx_sha256", "\"xyz\"",
                 ".ptx_sha256: 'xyz' is not 64 hex digits"},
        Mutation{"/variants/0/cubin", "5",
                 ".cubin: expected a string or null, got number"},
        Mutation{"/variants/0/cubin", "\"k.cubin\"", ".cubin: file '"},
        Mutation{"/variants/0/block", "[256, 1]",
                 ".block: expected 3 integers, got 2"},
        Mutation{"/variants/0/block", "[2048, 1, 1]",
                 ".block[0]: value 2048 is out of range"},
        Mutation{"/variants/0/block", "[512, 4, 1]",
                 "exceed the CUDA block limits"},
        Mutation{"/variants/0/cluster", "[4, 4, 2]",
                 ".cluster: more than 16 blocks per cluster"},
        Mutation{"/variants/0/dynamic_smem_bytes", "-1",
                 ".dynamic_smem_bytes: value -1 is out of range"},
        Mutation{"/variants/0/dynamic_smem_bytes", nullptr,
                 ".dynamic_smem_bytes: missing field"},
        Mutation{"/variants/0/programmatic_launch", "1",
                 ".programmatic_launch: expected true or false, got number"},
        Mutation{"/variants/0/grid", "\"tiles\"", ".grid: expected an object"},
        Mutation{"/variants/0/grid/kind", nullptr, ".grid.kind: missing field"},
        Mutation{"/variants/0/grid/block_n", nullptr,
                 ".grid.block_n: missing field"},
        Mutation{"/variants/0/grid/split_k", "0",
                 ".grid.split_k: value 0 is out of range"},
        Mutation{"/variants/0/grid",
                 R"({"kind": "persistent", "block_m": 64, "block_n": 128,
                     "split_k": 2})",
                 ".grid.kind: a persistent grid needs split_k 1 and cluster "
                 "z 1, got 2 and 1"},
        Mutation{"/variants/0/params", "{}", ".params: expected an array"},
        Mutation{"/variants/0/params", "[]", "missing x (tma_desc or ptr)"},
        Mutation{"/variants/0/params/1", "5", ".params[1]: expected an object"},
        Mutation{"/variants/0/params/0/kind", nullptr,
                 ".params[0].kind: missing field"},
        Mutation{"/variants/0/params/0/tensor", "\"z\"",
                 ".params[0].tensor: unknown tma_desc tensor 'z' (expected x, "
                 "y or out)"},
        Mutation{"/variants/0/params/0/box", "[128, 64]",
                 ".params[0].box: inner box extent 128"},
        Mutation{"/variants/0/params/0/box", "[64, 512]",
                 ".params[0].box[1]: value 512 is out of range"},
        Mutation{"/variants/0/params/2/tensor", "\"workspace\"",
                 "ptr tensor 'workspace' is not supported by this runtime"},
        Mutation{"/variants/0/params/2/tensor", "\"z\"",
                 "unknown ptr tensor 'z' (expected x, y or out)"},
        // A pointer to x where out was: out is missing.
        Mutation{"/variants/0/params/2/tensor", "\"x\"",
                 ".params: missing out (tma_desc or ptr)"},
        Mutation{"/variants/0/params/3/value", "\"q\"",
                 ".params[3].value: unknown i32 value 'q'"},
        Mutation{"/variants/0/params/2", nullptr,
                 ".params: missing out (tma_desc or ptr)"},
        // out through TMA (fp32): at most 32 elements, 16-byte multiples.
        Mutation{"/variants/0/params/2",
                 R"({"kind": "tma_desc", "tensor": "out", "box": [64, 64]})",
                 ".params[2].box: inner box extent 64 fp32 is not a multiple "
                 "of 4 in [4, 32]"},
        Mutation{"/variants/0/params/2",
                 R"({"kind": "tma_desc", "tensor": "out", "box": [6, 64]})",
                 ".params[2].box: inner box extent 6 fp32"},
        Mutation{"/variants/0/requires", nullptr, ".requires: missing field"},
        Mutation{"/variants/0/requires/ldc_multiple", nullptr,
                 ".requires.ldc_multiple: missing field"},
        Mutation{"/variants/0/requires/x_align_bytes", "12",
                 ".requires.x_align_bytes: 12 is not a power of two"},
        Mutation{"/variants/0/requires/k_multiple", "3",
                 "k 4096 is not a multiple of k_multiple 3"}),
    mutationName);

//===--- tuning.json ------------------------------------------------------===//

class TuningMutation : public ::testing::TestWithParam<Mutation> {};

TEST_P(TuningMutation, FailsWithBundleErrorNamingTheField) {
  const Mutation &m = GetParam();
  TempDir dir;
  copyBundle(dataPath("bundle_good"), dir.path());
  json j = json::parse(readText(dir / "tuning.json"));
  applyMutation(j, m);
  writeText(dir / "tuning.json", j.dump(2));

  Bundle b;
  Status s = loadBundle(dir.path(), b);
  EXPECT_EQ(s.code(), GEMMRT_ERROR_BUNDLE) << s.message();
  EXPECT_NE(s.message().find("tuning.json: "), std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find(m.expected), std::string::npos)
      << "message: " << s.message();
}

INSTANTIATE_TEST_SUITE_P(
    Fields, TuningMutation,
    ::testing::Values(
        Mutation{"/schema_version", "2", "incompatible tuning table"},
        Mutation{"/chip", "\"sm_100a\"",
                 "measured on sm_100a but the manifest is for sm_90a"},
        Mutation{"/device", "3", "device: expected a string"},
        Mutation{"/entries", nullptr, "entries: missing field"},
        Mutation{"/entries/0/backend", "\"fast\"",
                 "entries[0].backend: unknown backend 'fast'"},
        Mutation{"/entries/0/variant", nullptr,
                 "entries[0].variant: missing field"},
        Mutation{"/entries/0/n", "384", "does not contain the entry's N=384"},
        Mutation{"/entries/0/m_max", "100", "M=[1,100]"},
        Mutation{"/entries/0/m_min", "20", "m_max 16 < m_min 20"},
        Mutation{"/entries/1/us", "5", "entries[1].us: expected an object"},
        Mutation{"/entries/1/us/cublaslt", "\"fast\"",
                 "entries[1].us.cublaslt: expected a number"}),
    mutationName);

TEST(Tuning, NotJson) {
  TempDir dir;
  copyBundle(dataPath("bundle_good"), dir.path());
  writeText(dir / "tuning.json", "{\"schema_version\": 1,");
  Bundle b;
  Status s = loadBundle(dir.path(), b);
  EXPECT_EQ(s.code(), GEMMRT_ERROR_BUNDLE);
  EXPECT_NE(s.message().find("tuning.json: not valid JSON"), std::string::npos)
      << s.message();
}

TEST(Tuning, OptionalFieldsFromGemmBenchAreAccepted) {
  // docs/bundle.md: tool, replays, m and us_per_m are informative; us may
  // lack a backend that failed.
  TempDir dir;
  copyBundle(dataPath("bundle_good"), dir.path());
  json j = json::parse(readText(dir / "tuning.json"));
  j["tool"] = "gemm-bench (gemmrt 0.1.0)";
  j["replays"] = 15;
  j["entries"][0]["m"] = {1, 4, 16};
  j["entries"][0]["us_per_m"] = {{"generated", {3.0, 3.1, nullptr}},
                                 {"cublaslt", {6.3, 6.3, 6.4}}};
  j["entries"][1]["us"] = {{"cublaslt", 8.6}};
  writeText(dir / "tuning.json", j.dump(2));
  Bundle b;
  Status s = loadBundle(dir.path(), b);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(b.tuning.entries.size(), 2u);
  EXPECT_LT(b.tuning.entries[1].usGenerated, 0) << "not measured";
  EXPECT_DOUBLE_EQ(b.tuning.entries[1].usCublasLt, 8.6);
}

TEST(Tuning, AbsentIsFine) {
  TempDir dir;
  copyBundle(dataPath("bundle_good"), dir.path());
  std::filesystem::remove(dir / "tuning.json");
  Bundle b;
  Status s = loadBundle(dir.path(), b);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_FALSE(b.hasTuning);
}

TEST(Manifest, CubinPathIsResolvedWhenPresent) {
  TempDir dir;
  copyBundle(dataPath("bundle_good"), dir.path());
  json j = json::parse(readText(dir / "manifest.json"));
  j["variants"][0]["cubin"] = "n256_k4096_m1_64.cubin";
  writeText(dir / "manifest.json", j.dump(2));
  writeText(dir / "n256_k4096_m1_64.cubin", "not really a cubin");
  Bundle b;
  Status s = loadBundle(dir.path(), b);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(b.variants[0].cubinPath, dir / "n256_k4096_m1_64.cubin");
}
