//===- BackgroundCompilerTest.cpp - Compiling uncovered shapes ------------===//
//
// The queue never blocks its caller, deduplicates, survives a missing or
// wrong library and compiler errors, and a runtime created afterwards loads
// what was compiled (and skips a broken entry). FakeCompiler.cpp stands in
// for the compiler library; with GEMMRT_TEST_COMPILER_LIBRARY set at
// configure time (scripts/test.sh points it at the compiler build's
// libgemmgen_compiler.so) the real one compiles a kernel too.
//
//===----------------------------------------------------------------------===//

#include "BackgroundCompiler.h"
#include "Env.h"
#include "Manifest.h"
#include "Runtime.h"
#include "TestUtil.h"

#include "gemmrt/gemmrt.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

using namespace gemmrt::impl;
using namespace gemmrt::test;

namespace {

double msSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now() - t0)
      .count();
}

class BackgroundCompilerTest : public ::testing::Test {
protected:
  TempDir tmp;
  Logger log{false};
  ScopedEnv templ{"FAKE_COMPILER_TEMPLATE",
                  dataPath("bundle_good").c_str()};
  ScopedEnv delay{"FAKE_COMPILER_DELAY_MS", "0"};
  ScopedEnv fail{"FAKE_COMPILER_FAIL", nullptr};
  ScopedEnv abi{"FAKE_COMPILER_ABI", nullptr};
  std::string root() const { return tmp / "jit"; }
};

} // namespace

TEST(BackgroundCompilerNames, BucketsAndNames) {
  int64_t lo, hi;
  defaultMBucket(1, lo, hi);
  EXPECT_EQ(lo, 1);
  EXPECT_EQ(hi, 1);
  defaultMBucket(2, lo, hi);
  EXPECT_EQ(lo, 2);
  EXPECT_EQ(hi, 16);
  defaultMBucket(16, lo, hi);
  EXPECT_EQ(hi, 16);
  defaultMBucket(17, lo, hi);
  EXPECT_EQ(lo, 17);
  EXPECT_EQ(hi, 64);
  defaultMBucket(65, lo, hi);
  EXPECT_EQ(lo, 65);
  EXPECT_EQ(hi, 256);
  defaultMBucket(1024, lo, hi);
  EXPECT_EQ(hi, 1024);
  defaultMBucket(4097, lo, hi);
  EXPECT_EQ(lo, 4097);
  EXPECT_EQ(hi, kMaxDim);
  EXPECT_EQ(jitVariantName(384, 7168, 1, 64), "n384_k7168_m1_64");
  EXPECT_EQ(jitVariantName(384, 7168, 4097, kMaxDim), "n384_k7168_m4097_max");
}

TEST_F(BackgroundCompilerTest, RequestReturnsAtOnceAndCompilesOnce) {
  ScopedEnv slow("FAKE_COMPILER_DELAY_MS", "400");
  BackgroundCompiler c(root(), GEMMRT_FAKE_COMPILER, log);
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 100; ++i)
    c.request("sm_90a", 384, 7168, 1, 64); // duplicates are dropped
  double queued = msSince(t0);
  EXPECT_LT(queued, 100.0) << "request() must not wait for the compiler";
  EXPECT_EQ(c.wait(0), 1) << "still compiling";
  EXPECT_EQ(c.wait(-1), 0);
  EXPECT_GE(msSince(t0), 400.0);
  BackgroundCompiler::Counts n = c.counts();
  EXPECT_EQ(n.requested, 1);
  EXPECT_EQ(n.compiled, 1);
  EXPECT_EQ(n.failed, 0);
  EXPECT_TRUE(fs::is_regular_file(tmp / "jit/sm_90a/n384_k7168_m1_64/manifest.json"));
  EXPECT_EQ(listJitBundles(root()),
            std::vector<std::string>{tmp / "jit/sm_90a/n384_k7168_m1_64"});
}

TEST_F(BackgroundCompilerTest, AlreadyOnDiskIsNotRecompiled) {
  copyBundle(dataPath("bundle_good"), tmp / "jit/sm_90a/n384_k7168_m1_64");
  ScopedEnv failing("FAKE_COMPILER_FAIL", "1");
  BackgroundCompiler c(root(), GEMMRT_FAKE_COMPILER, log);
  c.request("sm_90a", 384, 7168, 1, 64);
  EXPECT_EQ(c.wait(-1), 0);
  EXPECT_EQ(c.counts().compiled, 1);
  EXPECT_EQ(c.counts().failed, 0);
}

TEST_F(BackgroundCompilerTest, CompilerErrorIsCountedAndNotRetried) {
  ScopedEnv failing("FAKE_COMPILER_FAIL", "1");
  BackgroundCompiler c(root(), GEMMRT_FAKE_COMPILER, log);
  c.request("sm_90a", 384, 7168, 1, 64);
  EXPECT_EQ(c.wait(-1), 0);
  c.request("sm_90a", 384, 7168, 1, 64);
  EXPECT_EQ(c.wait(-1), 0);
  EXPECT_EQ(c.counts().requested, 1);
  EXPECT_EQ(c.counts().failed, 1);
  EXPECT_TRUE(listJitBundles(root()).empty());
  EXPECT_FALSE(fs::exists(tmp / "jit/sm_90a/n384_k7168_m1_64"));
}

TEST_F(BackgroundCompilerTest, MissingLibraryFailsEveryRequestQuietly) {
  BackgroundCompiler c(root(), (tmp / "no-such-library.so"), log);
  c.request("sm_90a", 384, 7168, 1, 64);
  c.request("sm_90a", 256, 4096, 1, 64);
  EXPECT_EQ(c.wait(-1), 0);
  EXPECT_EQ(c.counts().failed, 2);
  EXPECT_EQ(c.counts().compiled, 0);
}

TEST_F(BackgroundCompilerTest, OtherAbiIsRefused) {
  ScopedEnv other("FAKE_COMPILER_ABI", "2");
  BackgroundCompiler c(root(), GEMMRT_FAKE_COMPILER, log);
  c.request("sm_90a", 384, 7168, 1, 64);
  EXPECT_EQ(c.wait(-1), 0);
  EXPECT_EQ(c.counts().failed, 1);
  EXPECT_TRUE(listJitBundles(root()).empty());
}

TEST_F(BackgroundCompilerTest, DestroyDropsTheQueue) {
  ScopedEnv slow("FAKE_COMPILER_DELAY_MS", "300");
  auto t0 = std::chrono::steady_clock::now();
  {
    BackgroundCompiler c(root(), GEMMRT_FAKE_COMPILER, log);
    for (int n = 1; n <= 8; ++n)
      c.request("sm_90a", 64 * n, 4096, 1, 64);
    // Let the first compilation start.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_EQ(c.wait(0), 8);
  }
  // Only the compilation in progress is waited for, not all eight (2.4 s).
  EXPECT_GE(msSince(t0), 300.0);
  EXPECT_LT(msSince(t0), 1500.0);
  EXPECT_LE(listJitBundles(root()).size(), 1u);
}

TEST_F(BackgroundCompilerTest, TemporaryDirectoriesAreNotBundles) {
  copyBundle(dataPath("bundle_good"), tmp / "jit/sm_90a/a.tmp-123");
  copyBundle(dataPath("bundle_good"), tmp / "jit/sm_90a/b.old-123");
  fs::create_directories(tmp / "jit/sm_90a/empty");
  EXPECT_TRUE(listJitBundles(root()).empty());
  EXPECT_TRUE(listJitBundles(tmp / "missing").empty());
}

// A runtime loads background-compiled bundles from its cache directory:
// a shape no explicit bundle covers selects the compiled variant, and a
// broken entry is skipped rather than failing gemmrt_create.
TEST_F(BackgroundCompilerTest, NextRuntimeUsesCompiledBundles) {
  ScopedEnv cache("GEMMRT_CACHE_DIR", (tmp / "cache").c_str());
  ScopedEnv backend("GEMMRT_BACKEND", nullptr);
  ScopedEnv compiler("GEMMRT_COMPILER", GEMMRT_FAKE_COMPILER);
  char buf[1024];
  {
    gemmrt_runtime *rt = nullptr;
    ASSERT_EQ(gemmrt_create(&rt, nullptr, 0), GEMMRT_OK) << gemmrt_last_error();
    ASSERT_EQ(gemmrt_describe_choice(rt, 16, 384, 7168, buf, sizeof buf),
              GEMMRT_OK);
    EXPECT_NE(std::string(buf).find("backend=cublaslt"), std::string::npos)
        << buf;
    int pending = -1;
    EXPECT_EQ(gemmrt_wait_background(rt, 1000, &pending), GEMMRT_OK);
    EXPECT_EQ(pending, 0);
    // Without a GPU no call reaches the queue; fill it directly, as a call
    // of an uncovered shape on an sm_90 device does.
    Logger quiet(false);
    BackgroundCompiler c(tmp / "cache/compiled", GEMMRT_FAKE_COMPILER, quiet);
    c.request("sm_90a", 384, 7168, 1, 64);
    EXPECT_EQ(c.wait(-1), 0);
    gemmrt_destroy(rt);
  }
  writeText(tmp / "cache/compiled/sm_90a/n1_k8_m1_64/manifest.json", "{ broken");
  gemmrt_runtime *rt = nullptr;
  ASSERT_EQ(gemmrt_create(&rt, nullptr, 0), GEMMRT_OK) << gemmrt_last_error();
  ASSERT_EQ(gemmrt_describe_choice(rt, 16, 384, 7168, buf, sizeof buf),
            GEMMRT_OK);
  EXPECT_NE(std::string(buf).find("backend=generated"), std::string::npos)
      << buf;
  EXPECT_NE(std::string(buf).find("n384_k7168_m1_64"), std::string::npos)
      << buf;
  gemmrt_destroy(rt);

  // GEMMRT_COMPILER=off still loads what is on disk.
  ScopedEnv off("GEMMRT_COMPILER", "off");
  ASSERT_EQ(gemmrt_create(&rt, nullptr, 0), GEMMRT_OK);
  ASSERT_EQ(gemmrt_describe_choice(rt, 16, 384, 7168, buf, sizeof buf),
            GEMMRT_OK);
  EXPECT_NE(std::string(buf).find("backend=generated"), std::string::npos);
  int pending = -1;
  EXPECT_EQ(gemmrt_wait_background(rt, 0, &pending), GEMMRT_OK);
  EXPECT_EQ(pending, 0);
  gemmrt_destroy(rt);
  EXPECT_EQ(gemmrt_wait_background(nullptr, 0, &pending),
            GEMMRT_ERROR_INVALID_ARGUMENT);
}

// The real compiler library: compiles one variant into a bundle that the
// runtime's manifest reader accepts and a new runtime selects.
TEST_F(BackgroundCompilerTest, RealCompilerLibrary) {
  std::string lib = GEMMRT_TEST_COMPILER_LIBRARY;
  if (lib.empty())
    GTEST_SKIP() << "GEMMRT_TEST_COMPILER_LIBRARY was not set at configure "
                    "time (the compiler build's libgemmgen_compiler.so)";
  if (!fs::exists(lib))
    GTEST_SKIP() << lib << " does not exist (build the compiler first)";
  Logger quiet(false);
  {
    BackgroundCompiler c(tmp / "cache/compiled", lib, quiet);
    c.request("sm_90a", 200, 4104, 65, 256);
    c.request("sm_90a", 384, 7170, 1, 64); // K % 8 != 0: the compiler refuses
    EXPECT_EQ(c.wait(-1), 0);
    EXPECT_EQ(c.counts().compiled, 1);
    EXPECT_EQ(c.counts().failed, 1);
  }
  Bundle b;
  Status s = loadBundle(tmp / "cache/compiled/sm_90a/n200_k4104_m65_256", b);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(b.variants.size(), 1u);
  EXPECT_EQ(b.variants[0].n, 200);
  EXPECT_EQ(b.variants[0].k, 4104);
  EXPECT_EQ(b.variants[0].mMin, 65);
  EXPECT_EQ(b.variants[0].mMax, 256);

  ScopedEnv cache("GEMMRT_CACHE_DIR", (tmp / "cache").c_str());
  ScopedEnv backend("GEMMRT_BACKEND", nullptr);
  gemmrt_runtime *rt = nullptr;
  ASSERT_EQ(gemmrt_create(&rt, nullptr, 0), GEMMRT_OK) << gemmrt_last_error();
  char buf[1024];
  ASSERT_EQ(gemmrt_describe_choice(rt, 100, 200, 4104, buf, sizeof buf),
            GEMMRT_OK);
  EXPECT_NE(std::string(buf).find("variant=n200_k4104_m65_256"),
            std::string::npos)
      << buf;
  ASSERT_EQ(gemmrt_describe_choice(rt, 1, 200, 4104, buf, sizeof buf),
            GEMMRT_OK);
  EXPECT_NE(std::string(buf).find("backend=cublaslt"), std::string::npos)
      << buf;
  gemmrt_destroy(rt);
}

// A process that forks after the worker started: in the child the queue is
// off (requests are dropped, nothing waits, destroying it does not join the
// parent's thread) and the child exits cleanly; the parent goes on.
TEST_F(BackgroundCompilerTest, ForkedChildCompilesNothingAndExitsCleanly) {
  auto c = std::make_unique<BackgroundCompiler>(root(), GEMMRT_FAKE_COMPILER,
                                                log);
  c->request("sm_90a", 384, 7168, 1, 64);
  ASSERT_EQ(c->wait(-1), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    c->request("sm_90a", 256, 4096, 1, 64);
    bool ok = c->wait(-1) == 0 &&
              !fs::exists(tmp / "jit/sm_90a/n256_k4096_m1_64");
    c.reset();
    _exit(ok ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "child status " << status;
  c->request("sm_90a", 512, 4096, 1, 64);
  EXPECT_EQ(c->wait(-1), 0);
  EXPECT_EQ(c->counts().compiled, 2);
  EXPECT_TRUE(fs::exists(tmp / "jit/sm_90a/n512_k4096_m1_64/manifest.json"));
}
