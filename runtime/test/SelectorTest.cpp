//===- SelectorTest.cpp - Every branch of the selection rules ------------===//
//
// Bundles are built in memory here so each test controls exactly which
// variants and tuning entries exist.
//
//===----------------------------------------------------------------------===//

#include "Selector.h"

#include <gtest/gtest.h>

#include <memory>

using namespace gemmrt::impl;

namespace {

Variant makeVariant(int64_t n, int64_t k, int64_t mMin, int64_t mMax,
                    const char *chip = "sm_90a") {
  Variant v;
  v.name = "n" + std::to_string(n) + "_k" + std::to_string(k) + "_m" +
           std::to_string(mMin) + "_" + std::to_string(mMax);
  v.n = n;
  v.k = k;
  v.mMin = mMin;
  v.mMax = mMax;
  v.chip = chip;
  EXPECT_TRUE(parseChip(chip, v.chipInfo));
  v.kernel = "gemm_" + v.name;
  v.grid.blockM = 64;
  v.grid.blockN = 128;
  return v;
}

struct BundleBuilder {
  std::unique_ptr<Bundle> bundle = std::make_unique<Bundle>();
  explicit BundleBuilder(const char *chip = "sm_90a") {
    bundle->chip = chip;
    EXPECT_TRUE(parseChip(chip, bundle->chipInfo));
    bundle->dir = std::string("/bundles/") + chip;
  }
  BundleBuilder &variant(Variant v) {
    bundle->variants.push_back(std::move(v));
    return *this;
  }
  // Call after all variants are added (entries point into the vector).
  BundleBuilder &tuneGenerated(int64_t n, int64_t k, int64_t mMin, int64_t mMax,
                               const std::string &name) {
    TuningEntry e;
    e.n = n;
    e.k = k;
    e.mMin = mMin;
    e.mMax = mMax;
    e.backend = TunedBackend::Generated;
    e.variantName = name;
    for (const Variant &v : bundle->variants)
      if (v.name == name)
        e.variant = &v;
    EXPECT_NE(e.variant, nullptr) << name;
    e.usGenerated = 3.1;
    e.usCublasLt = 8.0;
    return entry(e);
  }
  BundleBuilder &tuneCublas(int64_t n, int64_t k, int64_t mMin, int64_t mMax) {
    TuningEntry e;
    e.n = n;
    e.k = k;
    e.mMin = mMin;
    e.mMax = mMax;
    e.backend = TunedBackend::CublasLt;
    return entry(e);
  }
  BundleBuilder &entry(TuningEntry e) {
    e.bundle = bundle.get();
    bundle->hasTuning = true;
    bundle->tuning.chip = bundle->chip;
    bundle->tuning.entries.push_back(e);
    return *this;
  }
  std::unique_ptr<Bundle> build() {
    for (Variant &v : bundle->variants)
      v.bundle = bundle.get();
    return std::move(bundle);
  }
};

GemmArgs args(int64_t m, int64_t n, int64_t k) {
  GemmArgs a;
  a.x = 0x10000;
  a.y = 0x20000;
  a.out = 0x30000;
  a.m = m;
  a.n = n;
  a.k = k;
  a.lda = k;
  a.ldb = k;
  a.ldc = n;
  return a;
}

const DeviceCaps kH100{9, 0};
const DeviceCaps kA100{8, 0};

/// The usual test bundle: 256x4096 with M buckets [1,64] and [65,256],
/// tuning [1,16] -> generated, [129,256] -> cublaslt.
struct Fixture {
  std::vector<std::unique_ptr<Bundle>> bundles;
  std::unique_ptr<Selector> selector;

  Fixture() {
    BundleBuilder b;
    b.variant(makeVariant(256, 4096, 1, 64))
        .variant(makeVariant(256, 4096, 65, 256))
        .variant(makeVariant(384, 7168, 1, 64));
    b.tuneGenerated(256, 4096, 1, 16, "n256_k4096_m1_64")
        .tuneCublas(256, 4096, 129, 256);
    add(b.build());
  }
  void add(std::unique_ptr<Bundle> b) {
    bundles.push_back(std::move(b));
    std::vector<Bundle *> ptrs;
    for (auto &p : bundles)
      ptrs.push_back(p.get());
    selector = std::make_unique<Selector>(ptrs);
  }
  Selection pick(Policy p, const GemmArgs &a, const DeviceCaps *dev = &kH100) {
    Selection s;
    Status st = selector->select(p, a, dev, s);
    EXPECT_TRUE(st.ok()) << st.message();
    return s;
  }
  Status fail(Policy p, const GemmArgs &a, const DeviceCaps *dev = &kH100) {
    Selection s;
    Status st = selector->select(p, a, dev, s);
    EXPECT_FALSE(st.ok()) << "selected " << backendName(s.backend);
    return st;
  }
};

#define EXPECT_MESSAGE_HAS(status, text)                                       \
  EXPECT_NE((status).message().find(text), std::string::npos)                  \
      << "message: " << (status).message()

} // namespace

//===--- fixed policies ---------------------------------------------------===//

TEST(SelectorPolicy, ReferenceAlwaysReference) {
  Fixture f;
  for (int64_t m : {1, 50, 100000}) {
    Selection s = f.pick(Policy::Reference, args(m, 256, 4096));
    EXPECT_EQ(s.backend, Backend::Reference);
    EXPECT_EQ(s.reason, Reason::Policy);
  }
  // Any K, any alignment the common checks allow.
  GemmArgs odd = args(3, 5, 7);
  odd.x = 0x10002;
  EXPECT_EQ(f.pick(Policy::Reference, odd).backend, Backend::Reference);
}

TEST(SelectorPolicy, CublasLtAlwaysCublasLt) {
  Fixture f;
  Selection s = f.pick(Policy::CublasLt, args(10, 256, 4096));
  EXPECT_EQ(s.backend, Backend::CublasLt);
  EXPECT_EQ(s.reason, Reason::Policy);
  EXPECT_EQ(s.variant, nullptr);
}

//===--- policy generated -------------------------------------------------===//

TEST(SelectorGenerated, CoveringVariant) {
  Fixture f;
  Selection s = f.pick(Policy::Generated, args(100, 256, 4096));
  EXPECT_EQ(s.backend, Backend::Generated);
  ASSERT_NE(s.variant, nullptr);
  EXPECT_EQ(s.variant->name, "n256_k4096_m65_256");
  EXPECT_EQ(s.mLo, 65);
  EXPECT_EQ(s.mHi, 256);
}

TEST(SelectorGenerated, BucketEdgesAreInclusive) {
  Fixture f;
  EXPECT_EQ(f.pick(Policy::Generated, args(64, 256, 4096)).variant->name,
            "n256_k4096_m1_64");
  EXPECT_EQ(f.pick(Policy::Generated, args(65, 256, 4096)).variant->name,
            "n256_k4096_m65_256");
  EXPECT_EQ(f.pick(Policy::Generated, args(256, 256, 4096)).variant->name,
            "n256_k4096_m65_256");
}

TEST(SelectorGenerated, TuningPicksTheVariant) {
  // A second variant overlapping [1,64]; tuning for [1,16] names the first.
  BundleBuilder b;
  b.variant(makeVariant(384, 7168, 1, 32));
  Variant other = makeVariant(384, 7168, 1, 32);
  other.name = "n384_k7168_m1_32_splitk";
  b.variant(other);
  b.tuneGenerated(384, 7168, 1, 8, "n384_k7168_m1_32_splitk");
  Fixture g;
  g.bundles.clear();
  g.add(b.build());
  Selection s = g.pick(Policy::Generated, args(4, 384, 7168));
  EXPECT_EQ(s.variant->name, "n384_k7168_m1_32_splitk");
  EXPECT_EQ(s.reason, Reason::Tuning);
  EXPECT_EQ(s.mLo, 1);
  EXPECT_EQ(s.mHi, 8);
  // Outside the tuned range: the first covering variant.
  EXPECT_EQ(g.pick(Policy::Generated, args(20, 384, 7168)).variant->name,
            "n384_k7168_m1_32");
}

TEST(SelectorGenerated, TuningForCublasIsIgnored) {
  Fixture f;
  Selection s = f.pick(Policy::Generated, args(200, 256, 4096));
  EXPECT_EQ(s.backend, Backend::Generated);
  EXPECT_EQ(s.variant->name, "n256_k4096_m65_256");
}

TEST(SelectorGenerated, KNotMultipleOf8) {
  Fixture f;
  Status s = f.fail(Policy::Generated, args(1, 256, 4100));
  EXPECT_EQ(s.code(), GEMMRT_ERROR_UNSUPPORTED_SHAPE);
  EXPECT_MESSAGE_HAS(s, "K=4100 is not a multiple of 8");
}

TEST(SelectorGenerated, UnknownShapeNamesTheShapeAndTheBundleShapes) {
  Fixture f;
  Status s = f.fail(Policy::Generated, args(8, 512, 4096));
  EXPECT_EQ(s.code(), GEMMRT_ERROR_UNSUPPORTED_SHAPE);
  EXPECT_MESSAGE_HAS(s, "no bundle variant covers M=8 N=512 K=4096");
  EXPECT_MESSAGE_HAS(s, "no variant has N=512 K=4096");
  EXPECT_MESSAGE_HAS(s, "256x4096 384x7168");
}

TEST(SelectorGenerated, UncoveredMNamesTheBuckets) {
  Fixture f;
  Status s = f.fail(Policy::Generated, args(257, 256, 4096));
  EXPECT_EQ(s.code(), GEMMRT_ERROR_UNSUPPORTED_SHAPE);
  EXPECT_MESSAGE_HAS(s, "M=257 N=256 K=4096");
  EXPECT_MESSAGE_HAS(s, "serve M in [1,64] [65,256]");
}

TEST(SelectorGenerated, NoBundles) {
  Fixture f;
  f.bundles.clear();
  f.add(BundleBuilder().build());
  Status s = f.fail(Policy::Generated, args(1, 256, 4096));
  EXPECT_EQ(s.code(), GEMMRT_ERROR_UNSUPPORTED_SHAPE);
  EXPECT_MESSAGE_HAS(s, "no bundle with variants was loaded");
}

TEST(SelectorGenerated, MisalignedOperands) {
  Fixture f;
  struct Case {
    const char *what;
    void (*mutate)(GemmArgs &);
    const char *expected;
  } cases[] = {
      {"x 8-byte", [](GemmArgs &a) { a.x += 8; },
       "is not 16-byte aligned (required by generated variant"},
      {"y 2-byte", [](GemmArgs &a) { a.y += 2; }, "y=0x20002 is not 16-byte"},
      {"out 4-byte", [](GemmArgs &a) { a.out += 4; },
       "out=0x30004 is not 8-byte aligned"},
      {"lda", [](GemmArgs &a) { a.lda += 4; },
       "lda=4100 is not a multiple of 8"},
      {"ldb", [](GemmArgs &a) { a.ldb += 1; },
       "ldb=4097 is not a multiple of 8"},
      {"ldc", [](GemmArgs &a) { a.ldc += 1; },
       "ldc=257 is not a multiple of 2"},
  };
  for (const Case &c : cases) {
    GemmArgs a = args(10, 256, 4096);
    c.mutate(a);
    Status s = f.fail(Policy::Generated, a);
    EXPECT_EQ(s.code(), GEMMRT_ERROR_MISALIGNED) << c.what;
    EXPECT_MESSAGE_HAS(s, c.expected);
    EXPECT_MESSAGE_HAS(s, "policy 'generated'");
  }
}

TEST(SelectorGenerated, SecondCoveringVariantWhenFirstRulesFail) {
  Fixture f;
  BundleBuilder b;
  Variant strict = makeVariant(256, 4096, 1, 64);
  strict.name = "strict";
  strict.reqs.outAlignBytes = 256;
  b.variant(strict).variant(makeVariant(256, 4096, 1, 64));
  f.bundles.clear();
  f.add(b.build());
  Selection s = f.pick(Policy::Generated, args(1, 256, 4096)); // out 0x30000
  EXPECT_EQ(s.variant->name, "strict");
  GemmArgs a = args(1, 256, 4096);
  a.out += 8;
  EXPECT_EQ(f.pick(Policy::Generated, a).variant->name, "n256_k4096_m1_64");
}

TEST(SelectorGenerated, DeviceOfAnotherChip) {
  Fixture f;
  Status s = f.fail(Policy::Generated, args(1, 256, 4096), &kA100);
  EXPECT_EQ(s.code(), GEMMRT_ERROR_UNSUPPORTED_DEVICE);
  EXPECT_MESSAGE_HAS(s, "the device is sm_80");
  EXPECT_MESSAGE_HAS(s, "built for sm_90a");
}

TEST(SelectorGenerated, UnknownDeviceSkipsChipCheck) {
  Fixture f;
  EXPECT_EQ(f.pick(Policy::Generated, args(1, 256, 4096), nullptr).backend,
            Backend::Generated);
}

TEST(SelectorGenerated, PicksTheBundleForTheDevice) {
  Fixture f;
  BundleBuilder b("sm_80");
  b.variant(makeVariant(256, 4096, 1, 64, "sm_80"));
  f.add(b.build());
  EXPECT_EQ(f.pick(Policy::Generated, args(1, 256, 4096), &kA100).variant->chip,
            "sm_80");
  EXPECT_EQ(f.pick(Policy::Generated, args(1, 256, 4096), &kH100).variant->chip,
            "sm_90a");
}

//===--- policy auto ------------------------------------------------------===//

TEST(SelectorAuto, TuningEntryGenerated) {
  Fixture f;
  Selection s = f.pick(Policy::Auto, args(16, 256, 4096));
  EXPECT_EQ(s.backend, Backend::Generated);
  EXPECT_EQ(s.variant->name, "n256_k4096_m1_64");
  EXPECT_EQ(s.reason, Reason::Tuning);
  ASSERT_NE(s.tuning, nullptr);
  EXPECT_EQ(s.mLo, 1);
  EXPECT_EQ(s.mHi, 16);
}

TEST(SelectorAuto, TuningEntryCublas) {
  Fixture f;
  Selection s = f.pick(Policy::Auto, args(200, 256, 4096));
  EXPECT_EQ(s.backend, Backend::CublasLt);
  EXPECT_EQ(s.reason, Reason::Tuning);
  EXPECT_EQ(s.mLo, 129);
  EXPECT_EQ(s.mHi, 256);
}

TEST(SelectorAuto, CoveringVariantWithoutTuning) {
  Fixture f;
  Selection s = f.pick(Policy::Auto, args(17, 256, 4096));
  EXPECT_EQ(s.backend, Backend::Generated);
  EXPECT_EQ(s.variant->name, "n256_k4096_m1_64");
  EXPECT_EQ(s.reason, Reason::CoveringVariant);
  EXPECT_EQ(s.mLo, 1);
  EXPECT_EQ(s.mHi, 64);
  EXPECT_EQ(f.pick(Policy::Auto, args(100, 256, 4096)).variant->name,
            "n256_k4096_m65_256");
}

TEST(SelectorAuto, UnknownShapeFallsBackToCublas) {
  Fixture f;
  Selection s = f.pick(Policy::Auto, args(8, 512, 4096));
  EXPECT_EQ(s.backend, Backend::CublasLt);
  EXPECT_EQ(s.reason, Reason::NoVariant);
  EXPECT_EQ(s.mLo, 1);
  EXPECT_EQ(s.mHi, kMaxDim);
}

TEST(SelectorAuto, UncoveredMGetsTheGapAsBucket) {
  Fixture f;
  Selection s = f.pick(Policy::Auto, args(1000, 256, 4096));
  EXPECT_EQ(s.backend, Backend::CublasLt);
  EXPECT_EQ(s.reason, Reason::NoVariant);
  EXPECT_EQ(s.mLo, 257);
  EXPECT_EQ(s.mHi, kMaxDim);

  BundleBuilder b;
  b.variant(makeVariant(2048, 7168, 1, 64))
      .variant(makeVariant(2048, 7168, 129, 256));
  f.add(b.build());
  s = f.pick(Policy::Auto, args(100, 2048, 7168));
  EXPECT_EQ(s.backend, Backend::CublasLt);
  EXPECT_EQ(s.mLo, 65);
  EXPECT_EQ(s.mHi, 128);
}

TEST(SelectorAuto, KNotMultipleOf8FallsBackToCublas) {
  Fixture f;
  EXPECT_EQ(f.pick(Policy::Auto, args(1, 256, 4100)).backend,
            Backend::CublasLt);
}

TEST(SelectorAuto, MisalignedFallsBackToCublas) {
  Fixture f;
  GemmArgs a = args(8, 256, 4096); // tuned bucket [1,16]
  a.x += 2;
  Selection s = f.pick(Policy::Auto, a);
  EXPECT_EQ(s.backend, Backend::CublasLt);
  EXPECT_EQ(s.reason, Reason::RequirementsUnmet);
  a = args(30, 256, 4096); // covered, untuned
  a.ldc = 257;
  s = f.pick(Policy::Auto, a);
  EXPECT_EQ(s.backend, Backend::CublasLt);
  EXPECT_EQ(s.reason, Reason::RequirementsUnmet);
}

TEST(SelectorAuto, DeviceOfAnotherChipFallsBackToCublas) {
  Fixture f;
  Selection s = f.pick(Policy::Auto, args(30, 256, 4096), &kA100);
  EXPECT_EQ(s.backend, Backend::CublasLt);
  EXPECT_EQ(s.reason, Reason::DeviceMismatch);
  // The tuning table was measured on sm_90a: not applied on sm_80 either.
  s = f.pick(Policy::Auto, args(8, 256, 4096), &kA100);
  EXPECT_EQ(s.backend, Backend::CublasLt);
  EXPECT_NE(s.reason, Reason::Tuning);
  s = f.pick(Policy::Auto, args(200, 256, 4096), &kA100);
  EXPECT_NE(s.reason, Reason::Tuning);
}

TEST(SelectorAuto, FirstBundleWins) {
  Fixture f;
  BundleBuilder b;
  Variant v = makeVariant(384, 7168, 1, 64);
  b.variant(v);
  f.add(b.build());
  Selection s = f.pick(Policy::Auto, args(1, 384, 7168));
  EXPECT_EQ(s.variant->bundle, f.bundles[0].get());
  // Ids number variants across bundles.
  ASSERT_EQ(f.selector->variants().size(), 4u);
  for (size_t i = 0; i < 4; ++i)
    EXPECT_EQ(f.selector->variants()[i]->id, i);
}

TEST(SelectorAuto, DescribeNamesBackendVariantBucketAndReason) {
  Fixture f;
  GemmArgs a = args(8, 256, 4096);
  Selection s = f.pick(Policy::Auto, a);
  std::string text = Selector::describe(Policy::Auto, a, s);
  EXPECT_NE(text.find("policy=auto -> backend=generated"), std::string::npos)
      << text;
  EXPECT_NE(text.find("variant=n256_k4096_m1_64"), std::string::npos) << text;
  EXPECT_NE(text.find("bucket=M[1,16]"), std::string::npos) << text;
  EXPECT_NE(text.find("tuning.json entry: generated 3.10 us cublaslt 8.00 us"),
            std::string::npos)
      << text;
  a = args(1000, 256, 4096);
  text = Selector::describe(Policy::Auto, a, f.pick(Policy::Auto, a));
  EXPECT_NE(text.find("backend=cublaslt bucket=M[257,max]"), std::string::npos)
      << text;
}

//===--- common argument checks -------------------------------------------===//

TEST(ValidateArgs, GoodArgumentsPass) {
  EXPECT_TRUE(validateCommonArgs(args(1, 1, 1)).ok());
  GemmArgs a = args(7, 200, 4104);
  a.x += 2; // bf16-aligned is enough for the common checks
  a.out += 4;
  EXPECT_TRUE(validateCommonArgs(a).ok());
}

TEST(ValidateArgs, EachBadArgumentNamesItself) {
  struct Case {
    void (*mutate)(GemmArgs &);
    gemmrt_status code;
    const char *expected;
  } cases[] = {
      {[](GemmArgs &a) { a.m = 0; }, GEMMRT_ERROR_INVALID_ARGUMENT,
       "M=0: must be positive"},
      {[](GemmArgs &a) { a.n = -3; }, GEMMRT_ERROR_INVALID_ARGUMENT,
       "N=-3: must be positive"},
      {[](GemmArgs &a) { a.k = 0; }, GEMMRT_ERROR_INVALID_ARGUMENT,
       "K=0: must be positive"},
      {[](GemmArgs &a) { a.m = int64_t(1) << 31; },
       GEMMRT_ERROR_UNSUPPORTED_SHAPE, "M=2147483648: larger than"},
      {[](GemmArgs &a) { a.x = 0; }, GEMMRT_ERROR_INVALID_ARGUMENT,
       "x is NULL"},
      {[](GemmArgs &a) { a.y = 0; }, GEMMRT_ERROR_INVALID_ARGUMENT,
       "y is NULL"},
      {[](GemmArgs &a) { a.out = 0; }, GEMMRT_ERROR_INVALID_ARGUMENT,
       "out is NULL"},
      {[](GemmArgs &a) { a.lda = a.k - 1; }, GEMMRT_ERROR_INVALID_ARGUMENT,
       "lda=63 < K=64"},
      {[](GemmArgs &a) { a.ldb = 8; }, GEMMRT_ERROR_INVALID_ARGUMENT,
       "ldb=8 < K=64"},
      {[](GemmArgs &a) { a.ldc = 31; }, GEMMRT_ERROR_INVALID_ARGUMENT,
       "ldc=31 < N=32"},
      {[](GemmArgs &a) { a.lda = int64_t(1) << 50; },
       GEMMRT_ERROR_INVALID_ARGUMENT, "larger than 2^40"},
      {[](GemmArgs &a) { a.x += 1; }, GEMMRT_ERROR_MISALIGNED,
       "x=0x10001 is not 2-byte aligned"},
      {[](GemmArgs &a) { a.y += 1; }, GEMMRT_ERROR_MISALIGNED,
       "y=0x20001 is not 2-byte aligned"},
      {[](GemmArgs &a) { a.out += 2; }, GEMMRT_ERROR_MISALIGNED,
       "out=0x30002 is not 4-byte aligned"},
  };
  for (const Case &c : cases) {
    GemmArgs a = args(16, 32, 64);
    c.mutate(a);
    Status s = validateCommonArgs(a);
    EXPECT_EQ(s.code(), c.code) << c.expected;
    EXPECT_MESSAGE_HAS(s, c.expected);
  }
}

//===--- batch_invariant --------------------------------------------------===//

TEST(SelectorBatchInvariant, OneVariantForEveryM) {
  Fixture f;
  BundleBuilder b;
  b.variant(makeVariant(256, 4096, 1, kMaxDim));
  f.add(b.build());
  // The bucketed variants of the first bundle cover M=1 and M=100 but are
  // never taken: every M gets the 1-max one.
  for (int64_t m : std::vector<int64_t>{1, 7, 64, 65, 100, 256, 5000, kMaxDim}) {
    Selection s = f.pick(Policy::BatchInvariant, args(m, 256, 4096));
    EXPECT_EQ(s.backend, Backend::Generated);
    ASSERT_NE(s.variant, nullptr);
    EXPECT_EQ(s.variant->name, "n256_k4096_m1_" + std::to_string(kMaxDim));
    EXPECT_EQ(s.tuning, nullptr) << "tuning entries do not apply";
  }
}

TEST(SelectorBatchInvariant, WidestVariantFromOneElseAnError) {
  Fixture f; // 256x4096: [1,64] and [65,256]
  // Without a 1-max variant the widest one starting at M=1 serves what it
  // covers (still one kernel for those M) ...
  Selection sel = f.pick(Policy::BatchInvariant, args(16, 256, 4096));
  ASSERT_NE(sel.variant, nullptr);
  EXPECT_EQ(sel.variant->name, "n256_k4096_m1_64");
  // ... and a larger M is an error, not another kernel.
  Status s = f.fail(Policy::BatchInvariant, args(100, 256, 4096));
  EXPECT_EQ(s.code(), GEMMRT_ERROR_UNSUPPORTED_SHAPE);
  EXPECT_MESSAGE_HAS(s, "policy 'batch_invariant': M=100 is above the M "
                        "range [1, 64] of n256_k4096_m1_64");
  EXPECT_MESSAGE_HAS(s, "--m-buckets 1-");
  // No cuBLASLt fallback for an unknown shape either.
  s = f.fail(Policy::BatchInvariant, args(16, 640, 4096));
  EXPECT_EQ(s.code(), GEMMRT_ERROR_UNSUPPORTED_SHAPE);
  EXPECT_MESSAGE_HAS(s, "no bundle variant of N=640 K=4096 starts at M=1");
  // Nor for K % 8 != 0.
  s = f.fail(Policy::BatchInvariant, args(16, 256, 4100));
  EXPECT_EQ(s.code(), GEMMRT_ERROR_UNSUPPORTED_SHAPE);
  EXPECT_MESSAGE_HAS(s, "K must be a multiple of 8");
}

// A bundle compiled with --m-buckets 1- has m_max = 65535 * block_m (the
// most M tiles a grid holds), not 2^31 - 1: still the widest.
TEST(SelectorBatchInvariant, ClampedOpenRange) {
  Fixture f;
  BundleBuilder b;
  b.variant(makeVariant(256, 4096, 1, 65535 * 128));
  f.add(b.build());
  Selection sel = f.pick(Policy::BatchInvariant, args(1000, 256, 4096));
  ASSERT_NE(sel.variant, nullptr);
  EXPECT_EQ(sel.variant->mMax, 65535 * 128);
}

TEST(SelectorBatchInvariant, DeviceAndRequirements) {
  Fixture f;
  BundleBuilder b;
  b.variant(makeVariant(256, 4096, 1, kMaxDim));
  f.add(b.build());
  Status s = f.fail(Policy::BatchInvariant, args(16, 256, 4096), &kA100);
  EXPECT_EQ(s.code(), GEMMRT_ERROR_UNSUPPORTED_DEVICE);
  EXPECT_MESSAGE_HAS(s, "policy 'batch_invariant'");
  GemmArgs a = args(16, 256, 4096);
  a.x += 2; // not 16-byte aligned: TMA cannot read it
  s = f.fail(Policy::BatchInvariant, a);
  EXPECT_EQ(s.code(), GEMMRT_ERROR_MISALIGNED);
  EXPECT_MESSAGE_HAS(s, "policy 'batch_invariant': ");
}
