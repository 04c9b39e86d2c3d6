//===- engine.cpp - How an inference engine uses libgemmrt ----------------===//
//
// 1. At start: create one runtime over the shipped bundle(s) and register
//    the model's weights, i.e. print what each (N, K) gets per M bucket.
// 2. Warm up: preload modules, then one call per weight and bucket on the
//    serving stream (first calls allocate; later ones, and CUDA graph
//    capture, do not).
// 3. Serve: a mixed stream of batch sizes over all weights, a few results
//    checked against fp64, time per weight.
// 4. A weight no bundle covers is served by cuBLASLt from the first call;
//    with the compiler library installed it is compiled in the background
//    and the next start uses the kernel.
//
//   gemmrt-engine-example [--steps 400] BUNDLE_DIR...
//   GEMMRT_LOG=1 shows every selection and the background compiles.
//
//===----------------------------------------------------------------------===//

#include "gemmrt/gemmrt.hpp"

#include <cuda_runtime.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace {

#define CHECK_CUDA(expr)                                                       \
  do {                                                                         \
    cudaError_t e_ = (expr);                                                   \
    if (e_ != cudaSuccess) {                                                   \
      std::fprintf(stderr, "%s: %s\n", #expr, cudaGetErrorString(e_));         \
      std::exit(1);                                                            \
    }                                                                          \
  } while (0)

uint16_t toBf16(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  u += 0x7fffu + ((u >> 16) & 1u);
  return uint16_t(u >> 16);
}
double fromBf16(uint16_t h) {
  uint32_t u = uint32_t(h) << 16;
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

struct Weight {
  const char *site;
  int64_t n, k;
  std::vector<uint16_t> host;
  void *device = nullptr;
  double seconds = 0;
  int calls = 0;
};

} // namespace

int main(int argc, char **argv) {
  int steps = 400;
  std::vector<std::string> bundles;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--steps") && i + 1 < argc)
      steps = std::atoi(argv[++i]);
    else
      bundles.push_back(argv[i]);
  }

  gemmrt::Runtime rt;
  if (gemmrt::Status s = gemmrt::Runtime::create(bundles, &rt); !s) {
    std::fprintf(stderr, "gemmrt: %s\n", s.toString().c_str());
    return 1;
  }
  int devices = 0;
  if (gemmrt::Status s = gemmrt::Runtime::deviceCount(&devices); !s) {
    std::fprintf(stderr, "no GPU: %s\n", s.toString().c_str());
    return 77;
  }

  // DeepSeek-V4 call sites (shapes/dsv4.json) and one the bundle lacks.
  std::vector<Weight> weights = {
      {"router gate (Flash)", 256, 4096}, {"router gate (Pro)", 384, 7168},
      {"indexer compressor", 512, 7168},  {"HCA compressor", 1024, 7168},
      {"CSA compressor", 2048, 7168},     {"not in the bundle", 640, 4096}};
  const int64_t kMs[] = {1, 4, 16, 64, 256, 1024};
  const int64_t kMaxM = 1024;

  std::printf("== registered weights: what each M bucket runs on\n");
  std::mt19937 gen(1234);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (Weight &w : weights) {
    w.host.resize(size_t(w.n * w.k));
    for (uint16_t &v : w.host)
      v = toBf16(dist(gen));
    CHECK_CUDA(cudaMalloc(&w.device, w.host.size() * 2));
    CHECK_CUDA(cudaMemcpy(w.device, w.host.data(), w.host.size() * 2,
                          cudaMemcpyHostToDevice));
    std::printf("%-20s N=%-5lld K=%-5lld\n", w.site, (long long)w.n,
                (long long)w.k);
    for (int64_t m : kMs) {
      std::string what;
      rt.describe(m, w.n, w.k, &what);
      // Keep the part an operator reads: backend, variant, bucket.
      std::string shortWhat;
      for (const char *key : {"backend=", "variant=", "bucket="}) {
        size_t p = what.find(key);
        if (p != std::string::npos)
          shortWhat += what.substr(p, what.find(' ', p) - p) + " ";
      }
      std::printf("    M=%-5lld %s\n", (long long)m, shortWhat.c_str());
    }
  }

  // Activations for the largest batch; smaller batches use a prefix.
  int64_t maxK = 7168, maxN = 2048;
  std::vector<uint16_t> x(size_t(kMaxM * maxK));
  for (uint16_t &v : x)
    v = toBf16(dist(gen));
  void *dx = nullptr;
  float *dout = nullptr;
  CHECK_CUDA(cudaMalloc(&dx, x.size() * 2));
  CHECK_CUDA(cudaMemcpy(dx, x.data(), x.size() * 2, cudaMemcpyHostToDevice));
  CHECK_CUDA(cudaMalloc(reinterpret_cast<void **>(&dout),
                        size_t(kMaxM * maxN) * 4));
  cudaStream_t stream;
  CHECK_CUDA(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));

  auto call = [&](Weight &w, int64_t m) {
    gemmrt::Status s = rt.linear(dx, w.k, w.device, w.k, dout, w.n, m, w.n,
                                 w.k, stream);
    if (!s) {
      std::fprintf(stderr, "M=%lld N=%lld K=%lld: %s\n", (long long)m,
                   (long long)w.n, (long long)w.k, s.toString().c_str());
      std::exit(1);
    }
  };

  std::printf("== warm-up\n");
  auto t0 = std::chrono::steady_clock::now();
  if (gemmrt::Status s = rt.preload(); !s)
    std::printf("preload: %s\n", s.toString().c_str());
  for (Weight &w : weights)
    for (int64_t m : kMs)
      call(w, m);
  CHECK_CUDA(cudaStreamSynchronize(stream));
  std::printf("preload + one call per weight and bucket: %.1f ms\n",
              std::chrono::duration<double, std::milli>(
                  std::chrono::steady_clock::now() - t0)
                  .count());

  std::printf("== serving %d steps of mixed batch sizes\n", steps);
  std::uniform_int_distribution<size_t> pickM(0, std::size(kMs) - 1);
  std::uniform_int_distribution<size_t> pickW(0, weights.size() - 1);
  int checked = 0, bad = 0;
  std::vector<float> out;
  for (int step = 0; step < steps; ++step) {
    Weight &w = weights[pickW(gen)];
    int64_t m = kMs[pickM(gen)];
    auto start = std::chrono::steady_clock::now();
    call(w, m);
    CHECK_CUDA(cudaStreamSynchronize(stream));
    w.seconds += std::chrono::duration<double>(
                     std::chrono::steady_clock::now() - start)
                     .count();
    ++w.calls;
    if (step % 50 == 0) {
      // One row checked against fp64.
      int64_t row = m - 1;
      out.resize(size_t(w.n));
      CHECK_CUDA(cudaMemcpy(out.data(), dout + row * w.n, size_t(w.n) * 4,
                            cudaMemcpyDeviceToHost));
      double num = 0, den = 0;
      for (int64_t c = 0; c < w.n; ++c) {
        double acc = 0;
        for (int64_t i = 0; i < w.k; ++i)
          acc += fromBf16(x[size_t(row * w.k + i)]) *
                 fromBf16(w.host[size_t(c * w.k + i)]);
        num += (out[size_t(c)] - acc) * (out[size_t(c)] - acc);
        den += acc * acc;
      }
      ++checked;
      if (!(std::sqrt(num / den) <= 2e-5)) {
        ++bad;
        std::printf("step %d: M=%lld N=%lld: rel. error %.3g\n", step,
                    (long long)m, (long long)w.n, std::sqrt(num / den));
      }
    }
  }
  for (const Weight &w : weights)
    if (w.calls)
      std::printf("%-20s %4d calls, %7.1f us per call (host, synchronized)\n",
                  w.site, w.calls, 1e6 * w.seconds / w.calls);
  std::printf("checked %d results against fp64: %d wrong\n", checked, bad);

  int pending = 0;
  rt.waitBackground(60000, &pending);
  std::printf("background compilation: %d pending (shapes no bundle covers "
              "are compiled into the disk cache when the compiler library is "
              "installed; the next start uses them)\n",
              pending);
  cudaFree(dx);
  cudaFree(dout);
  for (Weight &w : weights)
    cudaFree(w.device);
  cudaStreamDestroy(stream);
  return bad ? 1 : 0;
}
