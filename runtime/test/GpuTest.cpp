//===- GpuTest.cpp - Correctness on a device (ctest label gpu) -----------===//
//
// Every test skips with the reason ("no CUDA device: ...") when there is no
// device. On a GPU machine they check every backend against an fp64 host
// reference and against the reference backend on fresh random data
// (relative Frobenius error <= 2e-5), with outputs poisoned with NaN first
// and the padding between N and ldc (and a guard after the last row)
// checked untouched; CUDA graph capture and replay; 8 threads x 2 streams.
//
// Generated kernels come from two places: a fake bundle built here around
// FakeGeneratedKernel.cu (always available: a slow but real TMA kernel with
// the generated ABI, N=200 K=4104, three M buckets with and without
// clusters), and a real gemm-compile bundle named by GEMMRT_TEST_BUNDLE
// (those cases skip when it is unset).
//
//===----------------------------------------------------------------------===//

#include "gemmrt/gemmrt.h"

#include "CudaDriver.h"
#include "DiskCache.h"
#include "Manifest.h"
#include "Runtime.h"
#include "Sha256.h"
#include "TestUtil.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

using namespace gemmrt::impl;
using namespace gemmrt::test;
using nlohmann::json;

namespace {

constexpr double kTolerance = 2e-5;
constexpr int64_t kFakeN = 200, kFakeK = 4104;

const CudaDriver &drv() { return *cudaDriver(nullptr); }

std::string noDeviceReason() {
  int n = 0;
  if (gemmrt_device_count(&n) == GEMMRT_OK && n > 0)
    return std::string();
  return gemmrt_last_error();
}

#define REQUIRE_DEVICE()                                                       \
  do {                                                                         \
    std::string why = noDeviceReason();                                        \
    if (!why.empty())                                                          \
      GTEST_SKIP() << "no CUDA device: " << why;                               \
  } while (0)

/// The primary context of `device` (retained once, never released: the
/// tests share it as engines do), made current on the calling thread.
void makeContextCurrent(int device = 0) {
  static std::mutex mutex;
  static std::vector<CUcontext> primaries;
  CUcontext ctx = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (primaries.size() <= size_t(device))
      primaries.resize(size_t(device) + 1, nullptr);
    if (!primaries[size_t(device)]) {
      CUdevice dev;
      drv().cuDeviceGet(&dev, device);
      drv().cuDevicePrimaryCtxRetain(&primaries[size_t(device)], dev);
    }
    ctx = primaries[size_t(device)];
  }
  drv().cuCtxSetCurrent(ctx);
}

int deviceCcMajor() {
  CUdevice dev;
  int major = 0;
  drv().cuDeviceGet(&dev, 0);
  drv().cuDeviceGetAttribute(&major,
                             CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev);
  return major;
}

std::string lastError() { return gemmrt_last_error(); }

//===--- runtimes ---------------------------------------------------------===//

struct RuntimeDeleter {
  void operator()(gemmrt_runtime *rt) const { gemmrt_destroy(rt); }
};
using RuntimePtr = std::unique_ptr<gemmrt_runtime, RuntimeDeleter>;

RuntimePtr createRuntime(const std::vector<std::string> &bundles,
                         gemmrt_policy policy) {
  std::vector<const char *> paths;
  for (const std::string &b : bundles)
    paths.push_back(b.c_str());
  gemmrt_runtime *rt = nullptr;
  gemmrt_status s = gemmrt_create(&rt, paths.data(), int(paths.size()));
  EXPECT_EQ(s, GEMMRT_OK) << lastError();
  if (rt)
    EXPECT_EQ(gemmrt_set_backend_policy(rt, policy), GEMMRT_OK);
  return RuntimePtr(rt);
}

//===--- bf16 and buffers -------------------------------------------------===//

uint16_t toBf16(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  if ((u & 0x7fffffffu) > 0x7f800000u)
    return 0x7fc0;
  u += 0x7fffu + ((u >> 16) & 1u); // round to nearest even
  return uint16_t(u >> 16);
}

double fromBf16(uint16_t h) {
  uint32_t u = uint32_t(h) << 16;
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

constexpr uint32_t kNaNBits = 0x7fc00000u;
constexpr uint16_t kBf16NaN = 0x7fc0;

struct DeviceBuffer {
  CUdeviceptr ptr = 0;
  size_t bytes = 0;
  explicit DeviceBuffer(size_t n) : bytes(n) {
    if (drv().cuMemAlloc(&ptr, n) != CUDA_SUCCESS)
      ptr = 0;
  }
  ~DeviceBuffer() {
    if (ptr)
      drv().cuMemFree(ptr);
  }
  DeviceBuffer(const DeviceBuffer &) = delete;
  DeviceBuffer &operator=(const DeviceBuffer &) = delete;
};

uint64_t freshSeed() {
  static std::random_device rd;
  return (uint64_t(rd()) << 32) | rd();
}

/// One GEMM problem: host bf16 inputs, device buffers, an output with a
/// guard region after the last row.
struct Problem {
  int64_t m, n, k, lda, ldb, ldc;
  size_t xOffsetBytes = 0; // misaligns x on purpose when non-zero
  uint64_t seed = 0;
  std::vector<uint16_t> x, y;
  std::unique_ptr<DeviceBuffer> dx, dy, dout;
  static constexpr size_t kGuardFloats = 64;

  Problem(int64_t m, int64_t n, int64_t k, int64_t lda = 0, int64_t ldb = 0,
          int64_t ldc = 0, size_t xOffsetBytes = 0)
      : m(m), n(n), k(k), lda(lda ? lda : k), ldb(ldb ? ldb : k),
        ldc(ldc ? ldc : n), xOffsetBytes(xOffsetBytes) {}

  std::string describe() const {
    return formatString("M=%lld N=%lld K=%lld lda=%lld ldb=%lld ldc=%lld "
                        "x+%zu seed=%llu",
                        (long long)m, (long long)n, (long long)k,
                        (long long)lda, (long long)ldb, (long long)ldc,
                        xOffsetBytes, (unsigned long long)seed);
  }

  /// New random inputs (padding beyond K is NaN: a kernel that reads it
  /// produces NaN). Allocates on first use, uploads every time.
  bool randomize(uint64_t s = 0) {
    seed = s ? s : freshSeed();
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    x.assign(size_t(m * lda), kBf16NaN);
    y.assign(size_t(n * ldb), kBf16NaN);
    for (int64_t r = 0; r < m; ++r)
      for (int64_t c = 0; c < k; ++c)
        x[r * lda + c] = toBf16(dist(gen));
    for (int64_t r = 0; r < n; ++r)
      for (int64_t c = 0; c < k; ++c)
        y[r * ldb + c] = toBf16(dist(gen));
    if (!dx) {
      dx = std::make_unique<DeviceBuffer>(x.size() * 2 + xOffsetBytes + 256);
      dy = std::make_unique<DeviceBuffer>(y.size() * 2 + 256);
      dout =
          std::make_unique<DeviceBuffer>((size_t(m * ldc) + kGuardFloats) * 4);
      if (!dx->ptr || !dy->ptr || !dout->ptr)
        return false;
    }
    return drv().cuMemcpyHtoD(dx->ptr + xOffsetBytes, x.data(), x.size() * 2) ==
               CUDA_SUCCESS &&
           drv().cuMemcpyHtoD(dy->ptr, y.data(), y.size() * 2) == CUDA_SUCCESS;
  }

  const void *xPtr() const {
    return reinterpret_cast<const void *>(dx->ptr + xOffsetBytes);
  }
  const void *yPtr() const { return reinterpret_cast<const void *>(dy->ptr); }
  float *outPtr() const { return reinterpret_cast<float *>(dout->ptr); }

  CUresult poison(CUstream stream) const {
    return drv().cuMemsetD32Async(dout->ptr, kNaNBits,
                                  size_t(m * ldc) + kGuardFloats, stream);
  }

  gemmrt_status call(gemmrt_runtime *rt, CUstream stream) const {
    return gemmrt_linear_bf16_fp32(rt, xPtr(), lda, yPtr(), ldb, outPtr(), ldc,
                                   m, n, k,
                                   reinterpret_cast<gemmrt_stream>(stream));
  }

  std::vector<float> download() const {
    std::vector<float> out(size_t(m * ldc) + kGuardFloats);
    drv().cuMemcpyDtoH(out.data(), dout->ptr, out.size() * 4);
    return out;
  }

  /// Rows checked against fp64: all of them unless M*N*K is large, then
  /// the first, the last and 30 spread in between.
  std::vector<int64_t> checkedRows() const {
    std::vector<int64_t> rows;
    if (double(m) * double(n) * double(k) <= 3e8) {
      for (int64_t r = 0; r < m; ++r)
        rows.push_back(r);
      return rows;
    }
    for (int64_t i = 0; i < 32; ++i)
      rows.push_back(i * (m - 1) / 31);
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    return rows;
  }

  /// fp64 reference of the listed rows ([rows.size() x n]).
  std::vector<double> reference(const std::vector<int64_t> &rows) const {
    std::vector<double> ref(rows.size() * size_t(n));
    std::vector<double> yd(size_t(n * k));
    for (int64_t r = 0; r < n; ++r)
      for (int64_t c = 0; c < k; ++c)
        yd[r * k + c] = fromBf16(y[r * ldb + c]);
    unsigned workers = std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::thread> threads;
    for (unsigned w = 0; w < workers; ++w)
      threads.emplace_back([&, w] {
        std::vector<double> xr(static_cast<size_t>(k));
        for (size_t i = w; i < rows.size(); i += workers) {
          int64_t r = rows[i];
          for (int64_t c = 0; c < k; ++c)
            xr[c] = fromBf16(x[r * lda + c]);
          for (int64_t j = 0; j < n; ++j) {
            const double *yr = &yd[j * k];
            double acc = 0;
            for (int64_t c = 0; c < k; ++c)
              acc += xr[c] * yr[c];
            ref[i * n + j] = acc;
          }
        }
      });
    for (auto &t : threads)
      t.join();
    return ref;
  }
};

/// "" when `out` matches: finite, rel. Frobenius error vs fp64 <= 2e-5 on
/// the checked rows, nothing written to the padding or the guard.
std::string checkAgainstFp64(const Problem &p, const std::vector<float> &out,
                             const std::vector<int64_t> &rows,
                             const std::vector<double> &ref) {
  double num = 0, den = 0;
  size_t nonFinite = 0;
  for (size_t i = 0; i < rows.size(); ++i)
    for (int64_t j = 0; j < p.n; ++j) {
      double got = out[size_t(rows[i] * p.ldc + j)];
      double want = ref[i * size_t(p.n) + size_t(j)];
      if (!std::isfinite(got)) {
        ++nonFinite;
        continue;
      }
      num += (got - want) * (got - want);
      den += want * want;
    }
  size_t touched = 0;
  auto isPoison = [](float f) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return u == kNaNBits;
  };
  for (int64_t r = 0; r < p.m; ++r)
    for (int64_t j = p.n; j < p.ldc; ++j)
      touched += !isPoison(out[size_t(r * p.ldc + j)]);
  for (size_t g = 0; g < Problem::kGuardFloats; ++g)
    touched += !isPoison(out[size_t(p.m * p.ldc) + g]);
  double rel = den > 0 ? std::sqrt(num / den) : std::sqrt(num);
  if (nonFinite || touched || !(rel <= kTolerance))
    return formatString("%s: rel. Frobenius error %.3g (limit %.1g), %zu "
                        "non-finite outputs (unwritten or NaN), %zu "
                        "padding/guard elements overwritten",
                        p.describe().c_str(), rel, kTolerance, nonFinite,
                        touched);
  return std::string();
}

/// Relative Frobenius difference of two outputs over [M, N].
double relDiff(const Problem &p, const std::vector<float> &a,
               const std::vector<float> &b) {
  double num = 0, den = 0;
  for (int64_t r = 0; r < p.m; ++r)
    for (int64_t j = 0; j < p.n; ++j) {
      double u = a[size_t(r * p.ldc + j)], v = b[size_t(r * p.ldc + j)];
      num += (u - v) * (u - v);
      den += v * v;
    }
  return den > 0 ? std::sqrt(num / den) : std::sqrt(num);
}

/// Poison, call, synchronize, download; "" on success.
std::string runAndDownload(gemmrt_runtime *rt, const Problem &p,
                           CUstream stream, std::vector<float> &out) {
  if (p.poison(stream) != CUDA_SUCCESS)
    return "poisoning the output failed";
  gemmrt_status s = p.call(rt, stream);
  if (s != GEMMRT_OK)
    return formatString("%s: %s: %s", p.describe().c_str(),
                        gemmrt_status_string(s), gemmrt_last_error());
  CUresult r = drv().cuStreamSynchronize(stream);
  if (r != CUDA_SUCCESS)
    return p.describe() + ": " + drv().errorText(r);
  out = p.download();
  return std::string();
}

/// Runs `p` with `rt` and checks it against fp64 and against the reference
/// backend (a second runtime under policy reference).
void expectCorrect(gemmrt_runtime *rt, Problem &p, const char *what) {
  SCOPED_TRACE(std::string(what) + ": " + p.describe());
  ASSERT_TRUE(p.randomize());
  std::vector<float> out, ref;
  std::string err = runAndDownload(rt, p, nullptr, out);
  ASSERT_EQ(err, "");
  std::vector<int64_t> rows = p.checkedRows();
  EXPECT_EQ(checkAgainstFp64(p, out, rows, p.reference(rows)), "");
  RuntimePtr oracle = createRuntime({}, GEMMRT_POLICY_REFERENCE);
  ASSERT_EQ(runAndDownload(oracle.get(), p, nullptr, ref), "");
  EXPECT_LE(relDiff(p, out, ref), kTolerance) << "vs the reference backend";
}

//===--- the fake generated bundle ----------------------------------------===//

struct FakeBundleOptions {
  bool cubin = false;
  std::string chip = "sm_90a";
  std::string kernel = "gemm_fake";
  bool wrongSha = false;
  bool wrongParam = false;
  /// out as an fp32 TMA descriptor (FakeGeneratedKernel.cu with
  /// FAKE_TMA_STORE), as gemm-compile --tma-store emits it.
  bool tmaStore = false;
};

/// Three variants of gemm_fake (N=200, K=4104): M [1,64] without cluster,
/// [65,128] with a 2x1x1 cluster, [129,256] with 1x2x1 (grid rounded up).
std::string makeFakeBundle(const std::string &dir,
                           const FakeBundleOptions &o = {}) {
  fs::create_directories(dir);
  fs::copy_file(o.tmaStore ? GEMMRT_FAKE_TMA_STORE_PTX : GEMMRT_FAKE_PTX,
                dir + "/fake.ptx", fs::copy_options::overwrite_existing);
  if (o.cubin)
    fs::copy_file(GEMMRT_FAKE_CUBIN, dir + "/fake.cubin",
                  fs::copy_options::overwrite_existing);
  std::string ptx = readText(dir + "/fake.ptx");
  std::string sha = o.wrongSha ? std::string(64, '0')
                               : Sha256::hashHex(ptx.data(), ptx.size());
  json variants = json::array();
  struct Bucket {
    int mMin, mMax, cx, cy;
  } buckets[] = {{1, 64, 1, 1}, {65, 128, 2, 1}, {129, 256, 1, 2}};
  for (const Bucket &b : buckets) {
    std::string name =
        "fake_m" + std::to_string(b.mMin) + "_" + std::to_string(b.mMax);
    variants.push_back(
        {{"name", name},
         {"n", kFakeN},
         {"k", kFakeK},
         {"m_min", b.mMin},
         {"m_max", b.mMax},
         {"chip", o.chip},
         {"config", {{"text", "fake (FakeGeneratedKernel.cu)"}}},
         {"kernel", o.kernel},
         {"ptx", "fake.ptx"},
         {"ptx_sha256", sha},
         {"cubin", o.cubin ? json("fake.cubin") : json(nullptr)},
         {"block", {256, 1, 1}},
         {"dynamic_smem_bytes", 64 * 128 + 128 * 128 + 1024},
         {"cluster", {b.cx, b.cy, 1}},
         {"grid",
          {{"kind", "tiles"},
           {"block_m", 64},
           {"block_n", 128},
           {"split_k", 1}}},
         {"params",
          {{{"kind", "tma_desc"}, {"tensor", "x"}, {"box", {64, 64}}},
           {{"kind", "tma_desc"}, {"tensor", "y"}, {"box", {64, 128}}},
           o.tmaStore ? json{{"kind", "tma_desc"},
                             {"tensor", "out"},
                             {"box", {32, 64}}}
                      : json{{"kind", "ptr"}, {"tensor", "out"}},
           {{"kind", o.wrongParam ? "i64" : "i32"}, {"value", "m"}},
           {{"kind", "i64"}, {"value", "ldc"}}}},
         {"requires",
          {{"k_multiple", 8},
           {"out_align_bytes", o.tmaStore ? 16 : 8},
           {"ldc_multiple", o.tmaStore ? 4 : 2},
           {"x_align_bytes", 16},
           {"y_align_bytes", 16}}}});
  }
  json manifest = {{"schema_version", 1},
                   {"compiler", "gemmrt GpuTest (fake)"},
                   {"options_hash", "0"},
                   {"chip", o.chip},
                   {"variants", variants}};
  writeText(dir + "/manifest.json", manifest.dump(2));
  return dir;
}

/// The bundle named by GEMMRT_TEST_BUNDLE, or "".
std::string realBundle() {
  const char *b = std::getenv("GEMMRT_TEST_BUNDLE");
  return b && *b ? b : "";
}

#define REQUIRE_REAL_BUNDLE()                                                  \
  do {                                                                         \
    if (realBundle().empty())                                                  \
      GTEST_SKIP() << "GEMMRT_TEST_BUNDLE is not set (a gemm-compile bundle "  \
                      "directory)";                                            \
  } while (0)

size_t countEntries(const std::string &cacheDir) {
  size_t n = 0;
  std::error_code ec;
  for (auto &e : fs::directory_iterator(cacheEntryDir(cacheDir), ec)) {
    (void)e;
    ++n;
  }
  return n;
}

/// Every test: a device (else skip), a private cache dir, no GEMMRT_* from
/// the caller's environment except GEMMRT_TEST_BUNDLE.
class Gpu : public ::testing::Test {
protected:
  TempDir tmp;
  std::unique_ptr<ScopedEnv> cacheEnv, backendEnv, logEnv;

  void SetUp() override {
    REQUIRE_DEVICE();
    makeContextCurrent();
    cacheEnv = std::make_unique<ScopedEnv>("GEMMRT_CACHE_DIR",
                                           (tmp / "cache").c_str());
    backendEnv = std::make_unique<ScopedEnv>("GEMMRT_BACKEND", nullptr);
    logEnv = std::make_unique<ScopedEnv>("GEMMRT_LOG", nullptr);
  }
  std::string cacheDir() const { return tmp / "cache"; }
  bool hopper() const { return deviceCcMajor() == 9; }
};

#define REQUIRE_SM90()                                                         \
  do {                                                                         \
    if (!hopper())                                                             \
      GTEST_SKIP() << "the fake generated kernel is sm_90a; device is sm_"     \
                   << deviceCcMajor() << "x";                                  \
  } while (0)

} // namespace

//===----------------------------------------------------------------------===//
// Reference and cuBLASLt backends
//===----------------------------------------------------------------------===//

TEST_F(Gpu, ReferenceMatchesFp64) {
  RuntimePtr rt = createRuntime({}, GEMMRT_POLICY_REFERENCE);
  std::vector<Problem> problems;
  problems.emplace_back(1, 200, 4104);
  problems.emplace_back(7, 200, 4104);
  problems.emplace_back(129, 200, 4104);
  problems.emplace_back(7, 256, 64, 72, 80, 260);
  problems.emplace_back(5, 33, 13);                        // K odd
  problems.emplace_back(3, 200, 4100, 4103, 4101, 201, 2); // any alignment
  for (Problem &p : problems) {
    ASSERT_TRUE(p.randomize());
    std::vector<float> out;
    ASSERT_EQ(runAndDownload(rt.get(), p, nullptr, out), "");
    auto rows = p.checkedRows();
    EXPECT_EQ(checkAgainstFp64(p, out, rows, p.reference(rows)), "");
  }
}

TEST_F(Gpu, CublasLtMatchesFp64AndReference) {
  RuntimePtr rt = createRuntime({}, GEMMRT_POLICY_CUBLASLT);
  Problem shapes[] = {{1, 200, 4104},   {7, 200, 4104},
                      {129, 200, 4104}, {64, 256, 4096},
                      {300, 384, 7168}, {7, 200, 4104, 4112, 4120, 202},
                      {33, 2048, 7168}};
  for (Problem &p : shapes)
    expectCorrect(rt.get(), p, "cublaslt");
}

TEST_F(Gpu, AutoHandlesOddKAndAlignment) {
  // No variant: cuBLASLt, or the reference kernel when cuBLASLt has no
  // algorithm for these alignments. Either way the answer must be right.
  RuntimePtr rt = createRuntime({}, GEMMRT_POLICY_AUTO);
  Problem shapes[] = {{3, 200, 4100, 4100, 4100, 200, 2}, {5, 33, 13}};
  for (Problem &p : shapes)
    expectCorrect(rt.get(), p, "auto");
}

//===----------------------------------------------------------------------===//
// Generated backend with the fake bundle
//===----------------------------------------------------------------------===//

TEST_F(Gpu, FakeGeneratedMatchesFp64InEveryBucket) {
  REQUIRE_SM90();
  std::string bundle = makeFakeBundle(tmp / "fake");
  RuntimePtr rt = createRuntime({bundle}, GEMMRT_POLICY_GENERATED);
  for (int64_t m : {1, 7, 64, 65, 100, 128, 129, 200, 256}) {
    Problem packed(m, kFakeN, kFakeK);
    expectCorrect(rt.get(), packed, "generated, packed");
  }
  Problem padded(129, kFakeN, kFakeK, kFakeK + 8, kFakeK + 64, kFakeN + 2);
  expectCorrect(rt.get(), padded, "generated, padded rows");
}

// out through TMA: the runtime's fp32 descriptor (dims {N, M}, stride ldc *
// 4) must put every element where the pointer form would, write nothing past
// column N of a padded row or past row M (the guard), and a row stride TMA
// cannot take is refused (generated) or served by cuBLASLt (auto).
TEST_F(Gpu, FakeGeneratedTmaStoreOut) {
  REQUIRE_SM90();
  FakeBundleOptions options;
  options.tmaStore = true;
  std::string bundle = makeFakeBundle(tmp / "fake-tma", options);
  RuntimePtr rt = createRuntime({bundle}, GEMMRT_POLICY_GENERATED);
  for (int64_t m : {1, 7, 64, 65, 100, 129, 256}) {
    Problem packed(m, kFakeN, kFakeK);
    expectCorrect(rt.get(), packed, "tma-store out, packed");
  }
  Problem padded(129, kFakeN, kFakeK, kFakeK + 8, kFakeK + 64, kFakeN + 4);
  expectCorrect(rt.get(), padded, "tma-store out, ldc = N + 4");
  Problem odd(7, kFakeN, kFakeK, 0, 0, kFakeN + 2);
  ASSERT_TRUE(odd.randomize());
  EXPECT_EQ(odd.call(rt.get(), nullptr), GEMMRT_ERROR_MISALIGNED);
  EXPECT_NE(lastError().find("is not a multiple of 4"), std::string::npos)
      << lastError();
  RuntimePtr autoRt = createRuntime({bundle}, GEMMRT_POLICY_AUTO);
  expectCorrect(autoRt.get(), odd, "auto with ldc = N + 2");
}

TEST_F(Gpu, FakeGeneratedJitDiskCacheAndCorruptEntry) {
  REQUIRE_SM90();
  std::string bundle = makeFakeBundle(tmp / "fake");
  ScopedEnv log("GEMMRT_LOG", "1");
  Problem p(1, kFakeN, kFakeK);
  ASSERT_TRUE(p.randomize());
  auto rows = p.checkedRows();
  auto ref = p.reference(rows);
  std::vector<float> out;

  // 1. Cold: JIT, entry written; the second variant (same PTX) hits it.
  {
    RuntimePtr rt = createRuntime({bundle}, GEMMRT_POLICY_GENERATED);
    ::testing::internal::CaptureStderr();
    std::string err = runAndDownload(rt.get(), p, nullptr, out);
    Problem p100(100, kFakeN, kFakeK);
    std::string err100 = p100.randomize()
                             ? runAndDownload(rt.get(), p100, nullptr, out)
                             : "alloc";
    std::string log = ::testing::internal::GetCapturedStderr();
    ASSERT_EQ(err, "");
    ASSERT_EQ(err100, "");
    EXPECT_NE(log.find("loaded variant fake_m1_64 (kernel gemm_fake) on "
                       "sm_90 from PTX JIT"),
              std::string::npos)
        << log;
    EXPECT_NE(log.find("loaded variant fake_m65_128 (kernel gemm_fake) on "
                       "sm_90 from disk cache"),
              std::string::npos)
        << log;
    EXPECT_EQ(countEntries(cacheDir()), 1u);
    // Each (N, K, M bucket) choice is logged once.
    EXPECT_NE(log.find("choice: M=1 N=200 K=4104 policy=generated -> "
                       "backend=generated variant=fake_m1_64"),
              std::string::npos)
        << log;
    ::testing::internal::CaptureStderr();
    for (int i = 0; i < 3; ++i)
      ASSERT_EQ(runAndDownload(rt.get(), p, nullptr, out), "");
    std::string again = ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(again.find("choice:"), std::string::npos) << again;
  }
  // 2. Warm start: a new runtime loads from disk.
  {
    RuntimePtr rt = createRuntime({bundle}, GEMMRT_POLICY_GENERATED);
    ::testing::internal::CaptureStderr();
    std::string err = runAndDownload(rt.get(), p, nullptr, out);
    std::string log = ::testing::internal::GetCapturedStderr();
    ASSERT_EQ(err, "");
    EXPECT_EQ(checkAgainstFp64(p, out, rows, ref), "");
    EXPECT_NE(log.find("fake_m1_64 (kernel gemm_fake) on sm_90 from disk "
                       "cache"),
              std::string::npos)
        << log;
  }
  // 3. A flipped byte: detected, removed, rebuilt by the JIT, never loaded.
  std::string entry;
  for (auto &e : fs::directory_iterator(cacheEntryDir(cacheDir())))
    entry = e.path().string();
  {
    std::string bytes = readText(entry);
    bytes[bytes.size() / 2] ^= 0x40;
    writeText(entry, bytes);
  }
  {
    RuntimePtr rt = createRuntime({bundle}, GEMMRT_POLICY_GENERATED);
    ::testing::internal::CaptureStderr();
    std::string err = runAndDownload(rt.get(), p, nullptr, out);
    std::string log = ::testing::internal::GetCapturedStderr();
    ASSERT_EQ(err, "");
    EXPECT_EQ(checkAgainstFp64(p, out, rows, ref), "");
    EXPECT_NE(log.find("corrupt disk cache entry"), std::string::npos) << log;
    EXPECT_NE(log.find("payload sha256 mismatch"), std::string::npos) << log;
    EXPECT_NE(log.find("from PTX JIT"), std::string::npos) << log;
  }
  std::vector<uint8_t> file, payload;
  std::string bytes = readText(entry);
  file.assign(bytes.begin(), bytes.end());
  EXPECT_EQ(decodeCacheEntry(file, payload), EntryCheck::Ok) << "rebuilt";
  // 4. Truncated: same story.
  writeText(entry, bytes.substr(0, bytes.size() / 3));
  {
    RuntimePtr rt = createRuntime({bundle}, GEMMRT_POLICY_GENERATED);
    ::testing::internal::CaptureStderr();
    std::string err = runAndDownload(rt.get(), p, nullptr, out);
    std::string log = ::testing::internal::GetCapturedStderr();
    ASSERT_EQ(err, "");
    EXPECT_EQ(checkAgainstFp64(p, out, rows, ref), "");
    EXPECT_NE(log.find("corrupt disk cache entry"), std::string::npos) << log;
  }
}

TEST_F(Gpu, FakeGeneratedCubinNeedsNoJit) {
  REQUIRE_SM90();
  std::string bundle = makeFakeBundle(tmp / "fake", {/*cubin=*/true});
  ScopedEnv log("GEMMRT_LOG", "1");
  RuntimePtr rt = createRuntime({bundle}, GEMMRT_POLICY_GENERATED);
  Problem p(7, kFakeN, kFakeK);
  ::testing::internal::CaptureStderr();
  expectCorrect(rt.get(), p, "generated from cubin");
  std::string text = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(text.find("fake_m1_64 (kernel gemm_fake) on sm_90 from cubin"),
            std::string::npos)
      << text;
  EXPECT_EQ(countEntries(cacheDir()), 0u) << "nothing JIT-compiled";
}

TEST_F(Gpu, FakeGeneratedDescriptorsAreCachedAcrossCalls) {
  REQUIRE_SM90();
  std::string bundle = makeFakeBundle(tmp / "fake");
  EnvConfig env;
  env.policy = Policy::Generated;
  env.cacheDir = cacheDir();
  std::unique_ptr<Runtime> rt;
  ASSERT_TRUE(Runtime::create({bundle}, env, rt).ok());
  Problem p(7, kFakeN, kFakeK);
  ASSERT_TRUE(p.randomize());
  GemmArgs a;
  a.x = uintptr_t(p.xPtr());
  a.y = uintptr_t(p.yPtr());
  a.out = uintptr_t(p.outPtr());
  a.m = p.m;
  a.n = p.n;
  a.k = p.k;
  a.lda = p.lda;
  a.ldb = p.ldb;
  a.ldc = p.ldc;
  for (int i = 0; i < 5; ++i) {
    Status s = rt->linear(a, nullptr);
    ASSERT_TRUE(s.ok()) << s.message();
  }
  ASSERT_EQ(drv().cuCtxSynchronize(), CUDA_SUCCESS);
  DeviceState *dev = nullptr;
  ASSERT_TRUE(rt->acquireDevice(dev).ok());
  EXPECT_EQ(dev->tensorMaps.misses(), 2u) << "x and y encoded once";
  EXPECT_EQ(dev->tensorMaps.hits(), 8u);
}

TEST_F(Gpu, FakeGeneratedMisalignedIsRejectedAndAutoFallsBack) {
  REQUIRE_SM90();
  std::string bundle = makeFakeBundle(tmp / "fake");
  Problem p(7, kFakeN, kFakeK, 0, 0, 0, /*xOffsetBytes=*/8);
  ASSERT_TRUE(p.randomize());
  RuntimePtr gen = createRuntime({bundle}, GEMMRT_POLICY_GENERATED);
  EXPECT_EQ(p.call(gen.get(), nullptr), GEMMRT_ERROR_MISALIGNED);
  EXPECT_NE(lastError().find("is not 16-byte aligned"), std::string::npos)
      << lastError();
  RuntimePtr autoRt = createRuntime({bundle}, GEMMRT_POLICY_AUTO);
  expectCorrect(autoRt.get(), p, "auto with misaligned x");
}

TEST_F(Gpu, BundleForAnotherChip) {
  std::string bundle = makeFakeBundle(tmp / "fake", {false, "sm_52a"});
  Problem p(7, kFakeN, kFakeK);
  ASSERT_TRUE(p.randomize());
  RuntimePtr gen = createRuntime({bundle}, GEMMRT_POLICY_GENERATED);
  EXPECT_EQ(p.call(gen.get(), nullptr), GEMMRT_ERROR_UNSUPPORTED_DEVICE);
  EXPECT_NE(lastError().find("built for sm_52a"), std::string::npos)
      << lastError();
  RuntimePtr autoRt = createRuntime({bundle}, GEMMRT_POLICY_AUTO);
  expectCorrect(autoRt.get(), p, "auto on another chip's bundle");
}

TEST_F(Gpu, BundleErrorsSurfaceAtFirstUseAndStay) {
  REQUIRE_SM90();
  Problem p(7, kFakeN, kFakeK);
  ASSERT_TRUE(p.randomize());
  struct Case {
    FakeBundleOptions options;
    const char *expected;
  } cases[] = {
      {{false, "sm_90a", "gemm_nope"}, "kernel symbol 'gemm_nope' not found"},
      {{false, "sm_90a", "gemm_fake", /*wrongSha=*/true},
       "but manifest.json says ptx_sha256"},
  };
  int i = 0;
  for (const Case &c : cases) {
    std::string bundle =
        makeFakeBundle(tmp / ("bad" + std::to_string(i++)), c.options);
    RuntimePtr rt = createRuntime({bundle}, GEMMRT_POLICY_GENERATED);
    for (int attempt = 0; attempt < 2; ++attempt) {
      EXPECT_EQ(p.call(rt.get(), nullptr), GEMMRT_ERROR_BUNDLE);
      EXPECT_NE(lastError().find(c.expected), std::string::npos) << lastError();
    }
  }
  if (drv().cuFuncGetParamInfo) {
    FakeBundleOptions o;
    o.wrongParam = true;
    std::string bundle = makeFakeBundle(tmp / "badparam", o);
    RuntimePtr rt = createRuntime({bundle}, GEMMRT_POLICY_GENERATED);
    EXPECT_EQ(p.call(rt.get(), nullptr), GEMMRT_ERROR_BUNDLE);
    EXPECT_NE(lastError().find("parameter 3 is 4 bytes"), std::string::npos)
        << lastError();
  }
}

// The other load-time checks (docs/errors.md): each way a manifest can
// disagree with its kernel, or ask more than the device has, fails the first
// call with the code and a message that names the problem.
TEST_F(Gpu, BundleLoadChecksNameTheProblem) {
  REQUIRE_SM90();
  Problem p(7, kFakeN, kFakeK); // variant fake_m1_64
  ASSERT_TRUE(p.randomize());
  using Edit = std::function<void(json &, const std::string &)>;
  struct Case {
    const char *name;
    Edit edit;
    gemmrt_status code;
    const char *expected;
    bool needsParamInfo;
  } cases[] = {
      {"invalid PTX",
       [](json &m, const std::string &dir) {
         std::string bad = ".version 8.0\n.target sm_90a\n.address_size 64\n"
                           "this is not PTX\n";
         writeText(dir + "/fake.ptx", bad);
         for (json &v : m["variants"])
           v["ptx_sha256"] = Sha256::hashHex(bad.data(), bad.size());
       },
       GEMMRT_ERROR_CUDA, "variant fake_m1_64: JIT compilation of", false},
      {"block larger than the kernel allows",
       [](json &m, const std::string &) {
         for (json &v : m["variants"])
           v["block"] = {512, 1, 1};
       },
       GEMMRT_ERROR_BUNDLE,
       "kernel gemm_fake allows at most 256 threads per block but "
       "manifest.json says block [512, 1, 1]",
       false},
      {"more shared memory than the device has",
       [](json &m, const std::string &) {
         for (json &v : m["variants"])
           v["dynamic_smem_bytes"] = 1 << 20;
       },
       GEMMRT_ERROR_UNSUPPORTED_DEVICE,
       "variant fake_m1_64 needs 1048576 bytes of dynamic", false},
      {"a parameter the kernel does not have",
       [](json &m, const std::string &) {
         for (json &v : m["variants"])
           v["params"].push_back({{"kind", "i32"}, {"value", "k"}});
       },
       GEMMRT_ERROR_BUNDLE,
       "kernel gemm_fake has fewer parameters than the 6 that manifest.json "
       "lists (no parameter 5)",
       true},
      {"a kernel parameter the manifest lacks",
       [](json &m, const std::string &) {
         for (json &v : m["variants"])
           v["params"].erase(4);
       },
       GEMMRT_ERROR_BUNDLE,
       "kernel gemm_fake has more parameters than the 4 that manifest.json "
       "lists",
       true},
  };
  int i = 0;
  for (const Case &c : cases) {
    if (c.needsParamInfo && !drv().cuFuncGetParamInfo)
      continue;
    std::string dir = tmp / ("load" + std::to_string(i++));
    makeFakeBundle(dir);
    json manifest = json::parse(readText(dir + "/manifest.json"));
    c.edit(manifest, dir);
    writeText(dir + "/manifest.json", manifest.dump(2));
    RuntimePtr rt = createRuntime({dir}, GEMMRT_POLICY_GENERATED);
    EXPECT_EQ(p.call(rt.get(), nullptr), c.code) << c.name << ": "
                                                 << lastError();
    EXPECT_NE(lastError().find(c.expected), std::string::npos)
        << c.name << ": " << lastError();
  }
}

TEST_F(Gpu, PreloadLoadsEverything) {
  REQUIRE_SM90();
  std::string bundle = makeFakeBundle(tmp / "fake");
  RuntimePtr rt = createRuntime({bundle}, GEMMRT_POLICY_AUTO);
  ASSERT_EQ(gemmrt_preload(rt.get()), GEMMRT_OK) << lastError();
  Problem p(100, kFakeN, kFakeK);
  expectCorrect(rt.get(), p, "after preload");
}

//===----------------------------------------------------------------------===//
// Real bundle (GEMMRT_TEST_BUNDLE)
//===----------------------------------------------------------------------===//

TEST_F(Gpu, RealBundleEveryVariantMatchesFp64) {
  REQUIRE_REAL_BUNDLE();
  Bundle b;
  Status s = loadBundle(realBundle(), b);
  ASSERT_TRUE(s.ok()) << s.message();
  RuntimePtr rt = createRuntime({realBundle()}, GEMMRT_POLICY_GENERATED);
  RuntimePtr autoRt = createRuntime({realBundle()}, GEMMRT_POLICY_AUTO);
  CUdevice dev;
  int major = 0, minor = 0;
  drv().cuDeviceGet(&dev, 0);
  drv().cuDeviceGetAttribute(&major,
                             CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev);
  drv().cuDeviceGetAttribute(&minor,
                             CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev);
  for (const Variant &v : b.variants) {
    if (!chipRunsOn(v.chipInfo, major, minor))
      continue;
    // An open bucket reaches millions of rows; the fp64 host reference of
    // such an M takes minutes, so the top is capped (tails stay in).
    int64_t top = std::min<int64_t>(v.mMax, v.mMin + 4096);
    std::vector<int64_t> ms = {v.mMin, top, (v.mMin + top) / 2};
    for (int64_t tail : {1, 7, 129})
      if (v.covers(tail))
        ms.push_back(tail);
    std::sort(ms.begin(), ms.end());
    ms.erase(std::unique(ms.begin(), ms.end()), ms.end());
    for (int64_t m : ms) {
      Problem p(m, v.n, v.k);
      expectCorrect(rt.get(), p, ("generated " + v.name).c_str());
      Problem q(m, v.n, v.k);
      expectCorrect(autoRt.get(), q, ("auto " + v.name).c_str());
    }
  }
}

//===----------------------------------------------------------------------===//
// CUDA graphs
//===----------------------------------------------------------------------===//

namespace {

struct GraphCase {
  const char *name;
  gemmrt_policy policy;
  std::vector<std::string> bundles;
  int64_t m, n, k;
};

std::vector<GraphCase> graphBackends(const std::string &fakeBundle) {
  std::vector<GraphCase> out = {
      {"reference", GEMMRT_POLICY_REFERENCE, {}, 7, 200, 4104},
      {"cublaslt", GEMMRT_POLICY_CUBLASLT, {}, 7, 200, 4104},
  };
  if (deviceCcMajor() == 9)
    out.push_back({"generated (fake)",
                   GEMMRT_POLICY_GENERATED,
                   {fakeBundle},
                   100,
                   kFakeN,
                   kFakeK});
  if (!realBundle().empty()) {
    Bundle b;
    if (loadBundle(realBundle(), b).ok() && !b.variants.empty()) {
      const Variant &v = b.variants.front();
      out.push_back({"generated (GEMMRT_TEST_BUNDLE)",
                     GEMMRT_POLICY_GENERATED,
                     {realBundle()},
                     v.mMin,
                     v.n,
                     v.k});
    }
  }
  return out;
}

/// Captures one call on `stream`, then replays the graph twice on fresh
/// inputs written to the same buffers; "" when every replay is right.
std::string captureAndReplay(gemmrt_runtime *rt, Problem &p, CUstream stream) {
  CUgraph graph = nullptr;
  CUgraphExec exec = nullptr;
  if (drv().cuStreamBeginCapture(stream, CU_STREAM_CAPTURE_MODE_GLOBAL) !=
      CUDA_SUCCESS)
    return "cuStreamBeginCapture failed";
  gemmrt_status s = p.call(rt, stream);
  std::string callError = s == GEMMRT_OK ? "" : lastError();
  CUresult r = drv().cuStreamEndCapture(stream, &graph);
  if (s != GEMMRT_OK)
    return "call during capture failed: " + callError;
  if (r != CUDA_SUCCESS)
    return "cuStreamEndCapture: " + drv().errorText(r);
  r = drv().cuGraphInstantiateWithFlags(&exec, graph, 0);
  if (r != CUDA_SUCCESS)
    return "cuGraphInstantiate: " + drv().errorText(r);
  std::string result;
  for (int replay = 0; replay < 2 && result.empty(); ++replay) {
    if (!p.randomize()) {
      result = "upload failed";
      break;
    }
    p.poison(stream);
    r = drv().cuGraphLaunch(exec, stream);
    if (r == CUDA_SUCCESS)
      r = drv().cuStreamSynchronize(stream);
    if (r != CUDA_SUCCESS) {
      result = "replay: " + drv().errorText(r);
      break;
    }
    auto out = p.download();
    auto rows = p.checkedRows();
    result = checkAgainstFp64(p, out, rows, p.reference(rows));
    if (!result.empty())
      result = formatString("replay %d: ", replay) + result;
  }
  drv().cuGraphExecDestroy(exec);
  drv().cuGraphDestroy(graph);
  return result;
}

} // namespace

TEST_F(Gpu, GraphCaptureAndReplayAfterWarmUp) {
  std::string fake = makeFakeBundle(tmp / "fake");
  CUstream stream;
  ASSERT_EQ(drv().cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING),
            CUDA_SUCCESS);
  for (const GraphCase &b : graphBackends(fake)) {
    SCOPED_TRACE(b.name);
    RuntimePtr rt = createRuntime(b.bundles, b.policy);
    Problem p(b.m, b.n, b.k);
    ASSERT_TRUE(p.randomize());
    std::vector<float> warm;
    ASSERT_EQ(runAndDownload(rt.get(), p, stream, warm), "");
    EXPECT_EQ(captureAndReplay(rt.get(), p, stream), "");
  }
  drv().cuStreamDestroy(stream);
}

TEST_F(Gpu, GraphCaptureOfTheVeryFirstCall) {
  // Lazy loading (modules, cuBLASLt handle, workspace) inside a capture.
  std::string fake = makeFakeBundle(tmp / "fake");
  CUstream stream;
  ASSERT_EQ(drv().cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING),
            CUDA_SUCCESS);
  for (const GraphCase &b : graphBackends(fake)) {
    SCOPED_TRACE(b.name);
    RuntimePtr rt = createRuntime(b.bundles, b.policy);
    Problem p(b.m, b.n, b.k);
    ASSERT_TRUE(p.randomize());
    EXPECT_EQ(captureAndReplay(rt.get(), p, stream), "");
  }
  drv().cuStreamDestroy(stream);
}

//===----------------------------------------------------------------------===//
// Batch invariance
//===----------------------------------------------------------------------===//

// Under policy batch_invariant every M of an (N, K) runs the bundle's 1-max
// kernel, so the rows a call shares with a bigger batch are bitwise equal
// to that batch's. GEMMRT_TEST_BUNDLE_INVARIANT: a gemm-compile bundle made
// with --m-buckets 1- (scripts/compile-bundles.sh: out/bundles/dsv4-invariant).
TEST_F(Gpu, BatchInvariantRowsAreBitwiseIdentical) {
  const char *dir = std::getenv("GEMMRT_TEST_BUNDLE_INVARIANT");
  if (!dir || !*dir)
    GTEST_SKIP() << "GEMMRT_TEST_BUNDLE_INVARIANT is not set (a bundle "
                    "compiled with gemm-compile --m-buckets 1-)";
  Bundle b;
  ASSERT_TRUE(loadBundle(dir, b).ok());
  RuntimePtr rt = createRuntime({dir}, GEMMRT_POLICY_BATCH_INVARIANT);
  const int64_t kBig = 1100; // several 128-row tiles and a tail
  for (const Variant &v : b.variants) {
    SCOPED_TRACE(v.name);
    Problem big(kBig, v.n, v.k);
    ASSERT_TRUE(big.randomize());
    std::vector<float> full;
    ASSERT_EQ(runAndDownload(rt.get(), big, nullptr, full), "");
    std::vector<int64_t> rows = big.checkedRows();
    EXPECT_EQ(checkAgainstFp64(big, full, rows, big.reference(rows)), "");
    for (int64_t m : {1, 7, 64, 129, 1000}) {
      Problem small(m, v.n, v.k);
      ASSERT_TRUE(small.randomize());
      // The first m rows of the big batch's x, the same weight.
      small.x.assign(big.x.begin(), big.x.begin() + m * v.k);
      small.y = big.y;
      ASSERT_EQ(drv().cuMemcpyHtoD(small.dx->ptr, small.x.data(),
                                   small.x.size() * 2),
                CUDA_SUCCESS);
      ASSERT_EQ(drv().cuMemcpyHtoD(small.dy->ptr, small.y.data(),
                                   small.y.size() * 2),
                CUDA_SUCCESS);
      std::vector<float> part;
      ASSERT_EQ(runAndDownload(rt.get(), small, nullptr, part), "");
      size_t differ = 0;
      for (int64_t r = 0; r < m; ++r)
        differ += std::memcmp(&part[size_t(r * v.n)], &full[size_t(r * v.n)],
                              size_t(v.n) * 4) != 0;
      EXPECT_EQ(differ, 0u) << "M=" << m << ": rows differing from the M="
                            << kBig << " batch";
    }
  }
}

//===----------------------------------------------------------------------===//
// Background compilation of uncovered shapes
//===----------------------------------------------------------------------===//

// Under auto, a shape no bundle covers is served by cuBLASLt at once while
// the compiler library (here the stand-in of FakeCompiler.cpp, which
// "compiles" by copying the fake bundle after 1.5 s) works in the
// background; the next runtime serves it with the compiled kernel.
TEST_F(Gpu, UncoveredShapeServedAtOnceThenCompiled) {
  REQUIRE_SM90();
  std::string templ = makeFakeBundle(tmp / "template");
  ScopedEnv tmplEnv("FAKE_COMPILER_TEMPLATE", templ.c_str());
  ScopedEnv delay("FAKE_COMPILER_DELAY_MS", "1500");
  ScopedEnv compiler("GEMMRT_COMPILER", GEMMRT_FAKE_COMPILER);
  {
    RuntimePtr rt = createRuntime({}, GEMMRT_POLICY_AUTO);
    Problem p(16, kFakeN, kFakeK);
    ASSERT_TRUE(p.randomize());
    std::vector<int64_t> rows = p.checkedRows();
    std::vector<double> ref = p.reference(rows);
    std::vector<float> out;
    auto t0 = std::chrono::steady_clock::now();
    ASSERT_EQ(runAndDownload(rt.get(), p, nullptr, out), "");
    double ms = std::chrono::duration<double, std::milli>(
                    std::chrono::steady_clock::now() - t0)
                    .count();
    EXPECT_EQ(checkAgainstFp64(p, out, rows, ref), "");
    int pending = -1;
    ASSERT_EQ(gemmrt_wait_background(rt.get(), 0, &pending), GEMMRT_OK);
    EXPECT_EQ(pending, 1) << "the call returned after " << ms
                          << " ms; the compile takes 1.5 s";
    EXPECT_LT(ms, 1500.0);
    char buf[1024];
    gemmrt_describe_choice(rt.get(), 16, kFakeN, kFakeK, buf, sizeof buf);
    EXPECT_NE(std::string(buf).find("backend=cublaslt"), std::string::npos)
        << buf;
    ASSERT_EQ(gemmrt_wait_background(rt.get(), -1, &pending), GEMMRT_OK);
    EXPECT_EQ(pending, 0);
  }
  RuntimePtr rt = createRuntime({}, GEMMRT_POLICY_GENERATED);
  char buf[1024];
  ASSERT_EQ(gemmrt_describe_choice(rt.get(), 16, kFakeN, kFakeK, buf,
                                   sizeof buf),
            GEMMRT_OK)
      << buf;
  EXPECT_NE(std::string(buf).find("variant=fake_m1_64"), std::string::npos)
      << buf;
  Problem p(16, kFakeN, kFakeK);
  expectCorrect(rt.get(), p, "background-compiled variant");
}

//===----------------------------------------------------------------------===//
// Concurrency
//===----------------------------------------------------------------------===//

namespace {

struct Shape {
  int64_t m, n, k;
};

/// The shapes the concurrency tests mix: cuBLASLt-only shapes, the fake
/// generated variants (sm_90) and the first variants of GEMMRT_TEST_BUNDLE.
std::vector<Shape> concurrencyShapes(bool hopper, const std::string &fake,
                                     std::vector<std::string> &bundles) {
  std::vector<Shape> shapes = {{7, 256, 64}, {3, 96, 4100}, {33, 512, 4096}};
  if (hopper) {
    bundles.push_back(fake);
    shapes.push_back({1, kFakeN, kFakeK});   // generated, no cluster
    shapes.push_back({100, kFakeN, kFakeK}); // generated, 2x1x1 cluster
    shapes.push_back({200, kFakeN, kFakeK}); // generated, 1x2x1 cluster
  }
  if (!realBundle().empty()) {
    Bundle b;
    if (loadBundle(realBundle(), b).ok())
      for (size_t i = 0; i < b.variants.size() && i < 4; ++i)
        shapes.push_back(
            {b.variants[i].mMin, b.variants[i].n, b.variants[i].k});
    bundles.push_back(realBundle());
  }
  return shapes;
}

/// `threads` host threads share `rt`; thread t runs on devices[t % size]
/// (its primary context), with two streams of its own, and calls every
/// shape on each stream in a different order per thread and round, then
/// checks every output against fp64. Returns the failures, one per thread
/// ("" when fine), and counts the checked outputs.
std::vector<std::string> runConcurrently(gemmrt_runtime *rt,
                                         const std::vector<Shape> &shapes,
                                         const std::vector<int> &devices,
                                         int threadCount, int rounds,
                                         std::atomic<int> &checked) {
  // Inputs and fp64 references are computed once per shape and shared.
  std::vector<std::unique_ptr<Problem>> models;
  std::vector<std::vector<int64_t>> rows;
  std::vector<std::vector<double>> refs;
  std::vector<std::string> failures(static_cast<size_t>(threadCount));
  makeContextCurrent(devices[0]);
  for (const Shape &s : shapes) {
    auto p = std::make_unique<Problem>(s.m, s.n, s.k);
    if (!p->randomize()) {
      failures[0] = "allocation failed";
      return failures;
    }
    rows.push_back(p->checkedRows());
    refs.push_back(p->reference(rows.back()));
    models.push_back(std::move(p));
  }

  std::vector<std::thread> threads;
  for (int t = 0; t < threadCount; ++t)
    threads.emplace_back([&, t] {
      int device = devices[size_t(t) % devices.size()];
      makeContextCurrent(device);
      std::string &failure = failures[size_t(t)];
      CUstream streams[2];
      for (CUstream &s : streams)
        drv().cuStreamCreate(&s, CU_STREAM_NON_BLOCKING);
      // Each thread owns buffers per shape and stream on its device, holding
      // the shared inputs.
      std::vector<std::unique_ptr<Problem>> mine;
      for (int si = 0; si < 2; ++si)
        for (const auto &model : models) {
          auto p = std::make_unique<Problem>(model->m, model->n, model->k);
          if (!p->randomize(model->seed)) {
            failure = formatString("device %d: allocation failed", device);
            return;
          }
          mine.push_back(std::move(p));
        }
      size_t count = models.size();
      for (int round = 0; round < rounds && failure.empty(); ++round) {
        for (size_t j = 0; j < mine.size(); ++j) {
          size_t idx = (j * 7 + size_t(t) + size_t(round)) % mine.size();
          CUstream s = streams[idx / count];
          mine[idx]->poison(s);
          if (mine[idx]->call(rt, s) != GEMMRT_OK) {
            failure = formatString("device %d: ", device) +
                      mine[idx]->describe() + ": " + lastError();
            break;
          }
        }
        for (CUstream s : streams)
          if (drv().cuStreamSynchronize(s) != CUDA_SUCCESS)
            failure = formatString("device %d: stream synchronize failed",
                                   device);
        for (size_t idx = 0; idx < mine.size() && failure.empty(); ++idx) {
          size_t shape = idx % count;
          std::string err = checkAgainstFp64(*mine[idx], mine[idx]->download(),
                                             rows[shape], refs[shape]);
          if (!err.empty())
            failure = formatString("device %d, round %d: ", device, round) +
                      err;
          ++checked;
        }
      }
      for (CUstream s : streams)
        drv().cuStreamDestroy(s);
    });
  for (auto &th : threads)
    th.join();
  makeContextCurrent(0);
  return failures;
}

int deviceCount() {
  int n = 0;
  return gemmrt_device_count(&n) == GEMMRT_OK ? n : 0;
}

int ccMajorOf(int device) {
  CUdevice dev;
  int major = 0;
  drv().cuDeviceGet(&dev, device);
  drv().cuDeviceGetAttribute(&major,
                             CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev);
  return major;
}

} // namespace

TEST_F(Gpu, EightThreadsTwoStreamsMixedShapes) {
  std::vector<std::string> bundles;
  std::vector<Shape> shapes =
      concurrencyShapes(hopper(), hopper() ? makeFakeBundle(tmp / "fake") : "",
                        bundles);
  RuntimePtr rt = createRuntime(bundles, GEMMRT_POLICY_AUTO);
  const int kThreads = 8, kRounds = 5;
  std::atomic<int> checked{0};
  std::vector<std::string> failures =
      runConcurrently(rt.get(), shapes, {0}, kThreads, kRounds, checked);
  for (int t = 0; t < kThreads; ++t)
    EXPECT_EQ(failures[size_t(t)], "") << "thread " << t;
  EXPECT_EQ(checked.load(), kThreads * kRounds * 2 * int(shapes.size()));
}

// One runtime object serves two devices at once: modules, tensor maps and
// cuBLASLt handles are per context, so a kernel loaded on device 0 must not
// be launched on device 1 (that fails with CUDA_ERROR_INVALID_HANDLE or
// computes garbage). Threads alternate devices; every output is checked.
TEST_F(Gpu, TwoDevicesOneRuntime) {
  int n = deviceCount();
  if (n < 2)
    GTEST_SKIP() << "needs two CUDA devices; this machine has " << n;
  bool bothHopper = ccMajorOf(0) == 9 && ccMajorOf(1) == 9;
  std::vector<std::string> bundles;
  std::vector<Shape> shapes = concurrencyShapes(
      bothHopper, bothHopper ? makeFakeBundle(tmp / "fake") : "", bundles);
  RuntimePtr rt = createRuntime(bundles, GEMMRT_POLICY_AUTO);
  const int kThreads = 8, kRounds = 4;
  std::atomic<int> checked{0};
  std::vector<std::string> failures =
      runConcurrently(rt.get(), shapes, {0, 1}, kThreads, kRounds, checked);
  for (int t = 0; t < kThreads; ++t)
    EXPECT_EQ(failures[size_t(t)], "") << "thread " << t;
  EXPECT_EQ(checked.load(), kThreads * kRounds * 2 * int(shapes.size()));

  // The same shape on both devices, one after the other from one thread:
  // the second device must load its own module rather than reuse the
  // first's.
  for (int device : {1, 0, 1}) {
    makeContextCurrent(device);
    for (const Shape &s : shapes) {
      Problem p(s.m, s.n, s.k);
      ASSERT_TRUE(p.randomize());
      std::vector<float> out;
      std::string err = runAndDownload(rt.get(), p, nullptr, out);
      ASSERT_EQ(err, "") << "device " << device;
      std::vector<int64_t> rows = p.checkedRows();
      EXPECT_EQ(checkAgainstFp64(p, out, rows, p.reference(rows)), "")
          << "device " << device;
    }
  }
  makeContextCurrent(0);
}
