//===- CApiTest.cpp - The C API and C++ wrapper without a GPU ------------===//
//
// Everything here runs on a machine without a GPU: bundle loading,
// environment handling, argument checks and policy errors all come before
// the first CUDA call. Tests that expect GEMMRT_ERROR_NO_DEVICE skip
// themselves when a device is present (GpuTest covers that machine).
//
//===----------------------------------------------------------------------===//

#include "gemmrt/gemmrt.h"
#include "gemmrt/gemmrt.hpp"

#include "TestUtil.h"

#include <gtest/gtest.h>

#include <cstring>
#include <thread>

extern "C" int gemmrtCHeaderCheck(void);

using namespace gemmrt::test;

namespace {

const void *kX = reinterpret_cast<const void *>(0x7f0000100000ull);
const void *kY = reinterpret_cast<const void *>(0x7f0000200000ull);
float *kOut = reinterpret_cast<float *>(0x7f0000300000ull);

const void *offset(const void *p, uintptr_t bytes) {
  return reinterpret_cast<const void *>(reinterpret_cast<uintptr_t>(p) + bytes);
}

bool devicepresent() {
  int n = 0;
  return gemmrt_device_count(&n) == GEMMRT_OK && n > 0;
}

std::string lastError() { return gemmrt_last_error(); }

/// A runtime over the good fixture, with the process environment cleared
/// of GEMMRT_* for the duration.
class CApi : public ::testing::Test {
protected:
  ScopedEnv backend{"GEMMRT_BACKEND", nullptr};
  ScopedEnv log{"GEMMRT_LOG", nullptr};
  ScopedEnv cache{"GEMMRT_CACHE_DIR", nullptr};
  gemmrt_runtime *rt = nullptr;

  void SetUp() override {
    std::string good = dataPath("bundle_good");
    const char *paths[] = {good.c_str()};
    ASSERT_EQ(gemmrt_create(&rt, paths, 1), GEMMRT_OK) << lastError();
    ASSERT_NE(rt, nullptr);
  }
  void TearDown() override { gemmrt_destroy(rt); }

  gemmrt_status call(const void *x, int64_t lda, const void *y, int64_t ldb,
                     float *out, int64_t ldc, int64_t m, int64_t n, int64_t k) {
    return gemmrt_linear_bf16_fp32(rt, x, lda, y, ldb, out, ldc, m, n, k,
                                   nullptr);
  }
};

#define EXPECT_LAST_ERROR_HAS(text)                                            \
  EXPECT_NE(lastError().find(text), std::string::npos)                         \
      << "gemmrt_last_error(): " << lastError()

} // namespace

//===--- strings ----------------------------------------------------------===//

TEST(CApiStrings, StatusNames) {
  EXPECT_STREQ(gemmrt_status_string(GEMMRT_OK), "GEMMRT_OK");
  EXPECT_STREQ(gemmrt_status_string(GEMMRT_ERROR_MISALIGNED),
               "GEMMRT_ERROR_MISALIGNED");
  EXPECT_STREQ(gemmrt_status_string(GEMMRT_ERROR_NO_DEVICE),
               "GEMMRT_ERROR_NO_DEVICE");
  EXPECT_STREQ(gemmrt_status_string(GEMMRT_ERROR_CACHE), "GEMMRT_ERROR_CACHE");
  for (int c = GEMMRT_OK; c <= GEMMRT_ERROR_INTERNAL; ++c)
    EXPECT_EQ(
        std::strncmp(gemmrt_status_string(gemmrt_status(c)), "GEMMRT_", 7), 0)
        << c;
  EXPECT_STREQ(gemmrt_status_string(gemmrt_status(999)),
               "unknown gemmrt_status");
}

TEST(CApiStrings, PolicyNamesAndVersion) {
  EXPECT_STREQ(gemmrt_policy_string(GEMMRT_POLICY_AUTO), "auto");
  EXPECT_STREQ(gemmrt_policy_string(GEMMRT_POLICY_GENERATED), "generated");
  EXPECT_STREQ(gemmrt_policy_string(GEMMRT_POLICY_CUBLASLT), "cublaslt");
  EXPECT_STREQ(gemmrt_policy_string(GEMMRT_POLICY_REFERENCE), "reference");
  EXPECT_EQ(gemmrt_policy_string(gemmrt_policy(17)), nullptr);
  EXPECT_STREQ(gemmrt_version(), "0.1.0");
}

TEST(CApiStrings, HeaderWorksFromC) { EXPECT_EQ(gemmrtCHeaderCheck(), 0); }

//===--- gemmrt_create ----------------------------------------------------===//

TEST(CApiCreate, NullOutput) {
  EXPECT_EQ(gemmrt_create(nullptr, nullptr, 0), GEMMRT_ERROR_INVALID_ARGUMENT);
  EXPECT_LAST_ERROR_HAS("rt (the output pointer) is NULL");
}

TEST(CApiCreate, BadBundleList) {
  gemmrt_runtime *rt = reinterpret_cast<gemmrt_runtime *>(1);
  EXPECT_EQ(gemmrt_create(&rt, nullptr, 2), GEMMRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(rt, nullptr);
  EXPECT_LAST_ERROR_HAS("bundle_paths is NULL but num_bundles=2");
  EXPECT_EQ(gemmrt_create(&rt, nullptr, -1), GEMMRT_ERROR_INVALID_ARGUMENT);
  EXPECT_LAST_ERROR_HAS("num_bundles=-1");
  const char *paths[] = {nullptr};
  EXPECT_EQ(gemmrt_create(&rt, paths, 1), GEMMRT_ERROR_INVALID_ARGUMENT);
  EXPECT_LAST_ERROR_HAS("bundle_paths[0] is NULL");
}

TEST(CApiCreate, NoBundlesIsFine) {
  ScopedEnv backend("GEMMRT_BACKEND", nullptr);
  gemmrt_runtime *rt = nullptr;
  ASSERT_EQ(gemmrt_create(&rt, nullptr, 0), GEMMRT_OK) << lastError();
  EXPECT_EQ(lastError(), "");
  gemmrt_destroy(rt);
}

TEST(CApiCreate, MalformedBundlesFail) {
  ScopedEnv backend("GEMMRT_BACKEND", nullptr);
  const std::pair<const char *, const char *> cases[] = {
      {"bundle_bad_schema", "incompatible bundle: schema_version 2"},
      {"bundle_bad_json", "not valid JSON"},
      {"bundle_unknown_param_kind", "unknown param kind 'f16'"},
      {"bundle_unknown_grid_kind", "unknown grid kind 'stream_k'"},
      {"bundle_missing_ptx", "not found"},
      {"bundle_bad_tuning", "no variant named"},
      {"bundle_no_manifest", "manifest.json not found"},
      {"no_such_bundle", "directory does not exist"}};
  for (const auto &[dir, expected] : cases) {
    std::string path = dataPath(dir);
    const char *paths[] = {path.c_str()};
    gemmrt_runtime *rt = reinterpret_cast<gemmrt_runtime *>(1);
    EXPECT_EQ(gemmrt_create(&rt, paths, 1), GEMMRT_ERROR_BUNDLE) << dir;
    EXPECT_EQ(rt, nullptr);
    EXPECT_LAST_ERROR_HAS(expected);
    EXPECT_LAST_ERROR_HAS(path);
  }
}

TEST(CApiCreate, OneBadBundleAmongGoodOnesFails) {
  std::string good = dataPath("bundle_good"),
              bad = dataPath("bundle_bad_schema");
  const char *paths[] = {good.c_str(), bad.c_str()};
  gemmrt_runtime *rt = nullptr;
  EXPECT_EQ(gemmrt_create(&rt, paths, 2), GEMMRT_ERROR_BUNDLE);
  EXPECT_EQ(rt, nullptr);
  EXPECT_LAST_ERROR_HAS("bundle_bad_schema");
}

TEST(CApiCreate, BackendFromEnvironment) {
  const std::pair<const char *, gemmrt_policy> cases[] = {
      {"auto", GEMMRT_POLICY_AUTO},
      {"generated", GEMMRT_POLICY_GENERATED},
      {"CUBLASLT", GEMMRT_POLICY_CUBLASLT},
      {"reference", GEMMRT_POLICY_REFERENCE},
      {"", GEMMRT_POLICY_AUTO}};
  for (const auto &[value, policy] : cases) {
    ScopedEnv env("GEMMRT_BACKEND", value);
    gemmrt_runtime *rt = nullptr;
    ASSERT_EQ(gemmrt_create(&rt, nullptr, 0), GEMMRT_OK) << lastError();
    gemmrt_policy got = GEMMRT_POLICY_AUTO;
    ASSERT_EQ(gemmrt_get_backend_policy(rt, &got), GEMMRT_OK);
    EXPECT_EQ(got, policy) << value;
    gemmrt_destroy(rt);
  }
}

TEST(CApiCreate, EnvironmentIsReadOnceAtCreate) {
  gemmrt_runtime *rt = nullptr;
  {
    ScopedEnv env("GEMMRT_BACKEND", "reference");
    ASSERT_EQ(gemmrt_create(&rt, nullptr, 0), GEMMRT_OK);
  }
  ScopedEnv env("GEMMRT_BACKEND", "cublaslt");
  gemmrt_policy got = GEMMRT_POLICY_AUTO;
  ASSERT_EQ(gemmrt_get_backend_policy(rt, &got), GEMMRT_OK);
  EXPECT_EQ(got, GEMMRT_POLICY_REFERENCE);
  gemmrt_destroy(rt);
}

TEST(CApiCreate, InvalidBackendFailsCreate) {
  ScopedEnv env("GEMMRT_BACKEND", "deepgemm");
  gemmrt_runtime *rt = reinterpret_cast<gemmrt_runtime *>(1);
  EXPECT_EQ(gemmrt_create(&rt, nullptr, 0), GEMMRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(rt, nullptr);
  EXPECT_LAST_ERROR_HAS("GEMMRT_BACKEND='deepgemm'");
}

TEST(CApiCreate, InvalidLogFlagFailsCreate) {
  ScopedEnv env("GEMMRT_LOG", "loud");
  gemmrt_runtime *rt = nullptr;
  EXPECT_EQ(gemmrt_create(&rt, nullptr, 0), GEMMRT_ERROR_INVALID_ARGUMENT);
  EXPECT_LAST_ERROR_HAS("GEMMRT_LOG='loud'");
}

TEST(CApiCreate, CacheDirThatIsAFileFailsCreate) {
  TempDir dir;
  writeText(dir / "file", "x");
  ScopedEnv env("GEMMRT_CACHE_DIR", (dir / "file").c_str());
  gemmrt_runtime *rt = nullptr;
  EXPECT_EQ(gemmrt_create(&rt, nullptr, 0), GEMMRT_ERROR_CACHE);
  EXPECT_LAST_ERROR_HAS("is not a directory");
}

TEST(CApiCreate, LogDescribesTheBundles) {
  ScopedEnv env("GEMMRT_LOG", "1");
  std::string good = dataPath("bundle_good");
  const char *paths[] = {good.c_str()};
  gemmrt_runtime *rt = nullptr;
  ::testing::internal::CaptureStderr();
  ASSERT_EQ(gemmrt_create(&rt, paths, 1), GEMMRT_OK);
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("gemmrt: libgemmrt 0.1.0: 1 bundle(s), 3 variant(s)"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("tuning.json with 2 entries"), std::string::npos) << err;
  gemmrt_destroy(rt);
}

TEST(CApiCreate, DestroyNullIsANoOp) { gemmrt_destroy(nullptr); }

//===--- policy -----------------------------------------------------------===//

TEST_F(CApi, PolicyOverride) {
  gemmrt_policy p = GEMMRT_POLICY_REFERENCE;
  ASSERT_EQ(gemmrt_get_backend_policy(rt, &p), GEMMRT_OK);
  EXPECT_EQ(p, GEMMRT_POLICY_AUTO);
  for (gemmrt_policy q : {GEMMRT_POLICY_GENERATED, GEMMRT_POLICY_CUBLASLT,
                          GEMMRT_POLICY_REFERENCE, GEMMRT_POLICY_AUTO}) {
    ASSERT_EQ(gemmrt_set_backend_policy(rt, q), GEMMRT_OK);
    ASSERT_EQ(gemmrt_get_backend_policy(rt, &p), GEMMRT_OK);
    EXPECT_EQ(p, q);
  }
}

TEST_F(CApi, PolicyErrors) {
  EXPECT_EQ(gemmrt_set_backend_policy(rt, gemmrt_policy(9)),
            GEMMRT_ERROR_INVALID_ARGUMENT);
  EXPECT_LAST_ERROR_HAS("unknown policy 9");
  EXPECT_EQ(gemmrt_set_backend_policy(nullptr, GEMMRT_POLICY_AUTO),
            GEMMRT_ERROR_INVALID_ARGUMENT);
  EXPECT_LAST_ERROR_HAS("rt is NULL");
  EXPECT_EQ(gemmrt_get_backend_policy(rt, nullptr),
            GEMMRT_ERROR_INVALID_ARGUMENT);
  gemmrt_policy p;
  EXPECT_EQ(gemmrt_get_backend_policy(nullptr, &p),
            GEMMRT_ERROR_INVALID_ARGUMENT);
}

TEST_F(CApi, PolicyChangesAreSeenByOtherThreads) {
  ASSERT_EQ(gemmrt_set_backend_policy(rt, GEMMRT_POLICY_GENERATED), GEMMRT_OK);
  gemmrt_status seen = GEMMRT_OK;
  std::thread([&] {
    // K % 8 != 0 fails only under `generated`.
    seen = call(kX, 4100, kY, 4100, kOut, 256, 1, 256, 4100);
  }).join();
  EXPECT_EQ(seen, GEMMRT_ERROR_UNSUPPORTED_SHAPE);
}

//===--- last error -------------------------------------------------------===//

TEST_F(CApi, LastErrorIsClearedBySuccess) {
  EXPECT_EQ(call(nullptr, 64, kY, 64, kOut, 64, 1, 64, 64),
            GEMMRT_ERROR_INVALID_ARGUMENT);
  EXPECT_LAST_ERROR_HAS("x is NULL");
  ASSERT_EQ(gemmrt_set_backend_policy(rt, GEMMRT_POLICY_AUTO), GEMMRT_OK);
  EXPECT_STREQ(gemmrt_last_error(), "");
}

TEST_F(CApi, LastErrorIsPerThread) {
  EXPECT_EQ(call(nullptr, 64, kY, 64, kOut, 64, 1, 64, 64),
            GEMMRT_ERROR_INVALID_ARGUMENT);
  std::string other = "unset";
  std::thread([&] { other = gemmrt_last_error(); }).join();
  EXPECT_EQ(other, "");
  EXPECT_LAST_ERROR_HAS("x is NULL");
}

//===--- argument checks (before any CUDA call) ---------------------------===//

TEST_F(CApi, NullRuntime) {
  EXPECT_EQ(gemmrt_linear_bf16_fp32(nullptr, kX, 64, kY, 64, kOut, 64, 1, 64,
                                    64, nullptr),
            GEMMRT_ERROR_INVALID_ARGUMENT);
  EXPECT_LAST_ERROR_HAS("gemmrt_linear_bf16_fp32: rt is NULL");
}

TEST_F(CApi, BadArgumentsUnderEveryPolicy) {
  struct Case {
    const void *x, *y;
    float *out;
    int64_t lda, ldb, ldc, m, n, k;
    gemmrt_status code;
    const char *expected;
  } cases[] = {
      {nullptr, kY, kOut, 64, 64, 64, 1, 64, 64, GEMMRT_ERROR_INVALID_ARGUMENT,
       "x is NULL"},
      {kX, nullptr, kOut, 64, 64, 64, 1, 64, 64, GEMMRT_ERROR_INVALID_ARGUMENT,
       "y is NULL"},
      {kX, kY, nullptr, 64, 64, 64, 1, 64, 64, GEMMRT_ERROR_INVALID_ARGUMENT,
       "out is NULL"},
      {kX, kY, kOut, 64, 64, 64, 0, 64, 64, GEMMRT_ERROR_INVALID_ARGUMENT,
       "M=0: must be positive"},
      {kX, kY, kOut, 64, 64, 64, 1, -64, 64, GEMMRT_ERROR_INVALID_ARGUMENT,
       "N=-64: must be positive"},
      {kX, kY, kOut, 64, 64, 64, 1, 64, 0, GEMMRT_ERROR_INVALID_ARGUMENT,
       "K=0: must be positive"},
      {kX, kY, kOut, 32, 64, 64, 1, 64, 64, GEMMRT_ERROR_INVALID_ARGUMENT,
       "lda=32 < K=64"},
      {kX, kY, kOut, 64, 63, 64, 1, 64, 64, GEMMRT_ERROR_INVALID_ARGUMENT,
       "ldb=63 < K=64"},
      {kX, kY, kOut, 64, 64, 10, 1, 64, 64, GEMMRT_ERROR_INVALID_ARGUMENT,
       "ldc=10 < N=64"},
      {offset(kX, 1), kY, kOut, 64, 64, 64, 1, 64, 64, GEMMRT_ERROR_MISALIGNED,
       "is not 2-byte aligned (bf16 elements)"},
      {kX, kY, reinterpret_cast<float *>(0x7f0000300002ull), 64, 64, 64, 1, 64,
       64, GEMMRT_ERROR_MISALIGNED, "is not 4-byte aligned (fp32"},
  };
  for (gemmrt_policy p : {GEMMRT_POLICY_AUTO, GEMMRT_POLICY_GENERATED,
                          GEMMRT_POLICY_CUBLASLT, GEMMRT_POLICY_REFERENCE}) {
    ASSERT_EQ(gemmrt_set_backend_policy(rt, p), GEMMRT_OK);
    for (const Case &c : cases) {
      EXPECT_EQ(call(c.x, c.lda, c.y, c.ldb, c.out, c.ldc, c.m, c.n, c.k),
                c.code)
          << c.expected << " under " << gemmrt_policy_string(p);
      EXPECT_LAST_ERROR_HAS(c.expected);
    }
  }
}

TEST_F(CApi, GeneratedPolicyErrorsNeedNoDevice) {
  ASSERT_EQ(gemmrt_set_backend_policy(rt, GEMMRT_POLICY_GENERATED), GEMMRT_OK);
  EXPECT_EQ(call(kX, 4104, kY, 4104, kOut, 256, 1, 256, 4100),
            GEMMRT_ERROR_UNSUPPORTED_SHAPE);
  EXPECT_LAST_ERROR_HAS("K=4100 is not a multiple of 8");

  EXPECT_EQ(call(kX, 4096, kY, 4096, kOut, 256, 300, 256, 4096),
            GEMMRT_ERROR_UNSUPPORTED_SHAPE);
  EXPECT_LAST_ERROR_HAS("no bundle variant covers M=300 N=256 K=4096");

  EXPECT_EQ(call(kX, 4096, kY, 4096, kOut, 512, 1, 512, 4096),
            GEMMRT_ERROR_UNSUPPORTED_SHAPE);
  EXPECT_LAST_ERROR_HAS("no variant has N=512 K=4096");

  EXPECT_EQ(call(offset(kX, 8), 4096, kY, 4096, kOut, 256, 1, 256, 4096),
            GEMMRT_ERROR_MISALIGNED);
  EXPECT_LAST_ERROR_HAS("is not 16-byte aligned");
  EXPECT_EQ(call(kX, 4096, offset(kY, 2), 4096, kOut, 256, 1, 256, 4096),
            GEMMRT_ERROR_MISALIGNED);
  EXPECT_EQ(call(kX, 4096, kY, 4096,
                 reinterpret_cast<float *>(0x7f0000300004ull), 256, 1, 256,
                 4096),
            GEMMRT_ERROR_MISALIGNED);
  EXPECT_LAST_ERROR_HAS("not 8-byte aligned");
  EXPECT_EQ(call(kX, 4100, kY, 4096, kOut, 256, 1, 256, 4096),
            GEMMRT_ERROR_MISALIGNED);
  EXPECT_LAST_ERROR_HAS("lda=4100 is not a multiple of 8");
  EXPECT_EQ(call(kX, 4096, kY, 4097, kOut, 256, 1, 256, 4096),
            GEMMRT_ERROR_MISALIGNED);
  EXPECT_LAST_ERROR_HAS("ldb=4097 is not a multiple of 8");
  EXPECT_EQ(call(kX, 4096, kY, 4096, kOut, 257, 1, 256, 4096),
            GEMMRT_ERROR_MISALIGNED);
  EXPECT_LAST_ERROR_HAS("ldc=257 is not a multiple of 2");
}

//===--- no device --------------------------------------------------------===//

TEST_F(CApi, ValidCallWithoutDeviceIsNoDevice) {
  if (devicepresent())
    GTEST_SKIP() << "a CUDA device is present (GpuTest covers real calls)";
  for (gemmrt_policy p : {GEMMRT_POLICY_AUTO, GEMMRT_POLICY_GENERATED,
                          GEMMRT_POLICY_CUBLASLT, GEMMRT_POLICY_REFERENCE}) {
    ASSERT_EQ(gemmrt_set_backend_policy(rt, p), GEMMRT_OK);
    EXPECT_EQ(call(kX, 4096, kY, 4096, kOut, 256, 8, 256, 4096),
              GEMMRT_ERROR_NO_DEVICE)
        << gemmrt_policy_string(p);
    EXPECT_FALSE(lastError().empty());
  }
  EXPECT_EQ(gemmrt_preload(rt), GEMMRT_ERROR_NO_DEVICE);
}

TEST(CApiDevice, DeviceCountSaysWhyThereIsNone) {
  int count = -1;
  gemmrt_status s = gemmrt_device_count(&count);
  if (s == GEMMRT_OK) {
    EXPECT_GT(count, 0);
    GTEST_SKIP() << count << " CUDA device(s) present";
  }
  EXPECT_EQ(s, GEMMRT_ERROR_NO_DEVICE) << lastError();
  EXPECT_EQ(count, 0);
  // The reason comes from the loader or from cuInit / cuDeviceGetCount.
  std::string why = lastError();
  EXPECT_TRUE(why.find("libcuda.so.1") != std::string::npos ||
              why.find("cuInit") != std::string::npos ||
              why.find("cuDeviceGetCount") != std::string::npos)
      << why;
  EXPECT_EQ(gemmrt_device_count(nullptr), s) << "same answer every time";
}

//===--- describe ---------------------------------------------------------===//

TEST_F(CApi, DescribeChoice) {
  char buf[1024];
  ASSERT_EQ(gemmrt_describe_choice(rt, 8, 256, 4096, buf, sizeof(buf)),
            GEMMRT_OK)
      << lastError();
  std::string text = buf;
  EXPECT_NE(text.find("backend=generated variant=n256_k4096_m1_64"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("bucket=M[1,16]"), std::string::npos) << text;

  ASSERT_EQ(gemmrt_describe_choice(rt, 200, 256, 4096, buf, sizeof(buf)),
            GEMMRT_OK);
  EXPECT_NE(std::string(buf).find("backend=cublaslt"), std::string::npos)
      << buf;

  ASSERT_EQ(gemmrt_set_backend_policy(rt, GEMMRT_POLICY_REFERENCE), GEMMRT_OK);
  ASSERT_EQ(gemmrt_describe_choice(rt, 8, 256, 4096, buf, sizeof(buf)),
            GEMMRT_OK);
  EXPECT_NE(std::string(buf).find("policy=reference -> backend=reference"),
            std::string::npos)
      << buf;
}

TEST_F(CApi, DescribeReportsPolicyErrors) {
  ASSERT_EQ(gemmrt_set_backend_policy(rt, GEMMRT_POLICY_GENERATED), GEMMRT_OK);
  char buf[512];
  EXPECT_EQ(gemmrt_describe_choice(rt, 1000, 256, 4096, buf, sizeof(buf)),
            GEMMRT_ERROR_UNSUPPORTED_SHAPE);
  EXPECT_NE(std::string(buf).find("no bundle variant covers M=1000"),
            std::string::npos)
      << buf;
  EXPECT_LAST_ERROR_HAS("no bundle variant covers M=1000");
  EXPECT_EQ(gemmrt_describe_choice(rt, 0, 256, 4096, buf, sizeof(buf)),
            GEMMRT_ERROR_INVALID_ARGUMENT);
}

TEST_F(CApi, DescribeTruncatesAndChecksItsBuffer) {
  char small[16];
  std::memset(small, 'x', sizeof(small));
  ASSERT_EQ(gemmrt_describe_choice(rt, 8, 256, 4096, small, sizeof(small)),
            GEMMRT_OK);
  EXPECT_EQ(std::strlen(small), sizeof(small) - 1);
  EXPECT_EQ(gemmrt_describe_choice(rt, 8, 256, 4096, nullptr, 10),
            GEMMRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(gemmrt_describe_choice(rt, 8, 256, 4096, small, 0),
            GEMMRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(gemmrt_describe_choice(nullptr, 8, 256, 4096, small, 16),
            GEMMRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(gemmrt_preload(nullptr), GEMMRT_ERROR_INVALID_ARGUMENT);
}

//===--- C++ wrapper ------------------------------------------------------===//

TEST(CppWrapper, CreateDescribeAndErrors) {
  ScopedEnv backend("GEMMRT_BACKEND", nullptr);
  gemmrt::Runtime rt;
  gemmrt::Status s = gemmrt::Runtime::create({dataPath("bundle_good")}, &rt);
  ASSERT_TRUE(s.ok()) << s.toString();
  ASSERT_TRUE(rt.valid());

  std::string what;
  ASSERT_TRUE(rt.describe(30, 256, 4096, &what).ok());
  EXPECT_NE(what.find("variant=n256_k4096_m1_64"), std::string::npos) << what;

  ASSERT_TRUE(rt.setPolicy(GEMMRT_POLICY_GENERATED).ok());
  gemmrt_policy p;
  ASSERT_TRUE(rt.getPolicy(&p).ok());
  EXPECT_EQ(p, GEMMRT_POLICY_GENERATED);

  s = rt.linear(kX, 4104, kY, 4104, kOut, 256, 1, 256, 4100, nullptr);
  EXPECT_EQ(s.code(), GEMMRT_ERROR_UNSUPPORTED_SHAPE);
  // The message is copied into the Status: later calls do not change it.
  ASSERT_TRUE(rt.setPolicy(GEMMRT_POLICY_AUTO).ok());
  EXPECT_NE(s.message().find("K=4100"), std::string::npos) << s.message();
  EXPECT_NE(s.toString().find("GEMMRT_ERROR_UNSUPPORTED_SHAPE: "),
            std::string::npos);

  gemmrt::Runtime moved = std::move(rt);
  EXPECT_FALSE(rt.valid());
  EXPECT_TRUE(moved.valid());
}

TEST(CppWrapper, CreateFailureLeavesRuntimeEmpty) {
  gemmrt::Runtime rt;
  gemmrt::Status s =
      gemmrt::Runtime::create({dataPath("bundle_bad_schema")}, &rt);
  EXPECT_EQ(s.code(), GEMMRT_ERROR_BUNDLE);
  EXPECT_FALSE(rt.valid());
  EXPECT_NE(s.message().find("schema_version 2"), std::string::npos);
}
