//===- gemmrt-coldstart.cpp - process start to first correct result -------===//
//
// What an engine pays before its first linear_bf16_fp32 result: create the
// runtime on a bundle, initialize CUDA, upload inputs, run one bundled shape
// under policy generated (so it is the bundle's kernel: module load, or JIT
// and disk cache when the bundle has no cubin), synchronize. The timestamps
// are wall-clock (CLOCK_REALTIME) so that a parent process can subtract its
// own start time; the result is checked against fp64 after the clock
// stopped. The last stdout line is JSON:
//   {"t_result": s, "ok": bool, "phases": {"main": s, ...}, ...}
// scripts/bench/cold-start.py runs it with an empty and a warm
// GEMMRT_CACHE_DIR beside the same for PyTorch's cuBLAS path.
//
//   gemmrt-coldstart --bundle DIR [--m 16 --n 384 --k 7168]
//
//===----------------------------------------------------------------------===//

#include "gemmrt/gemmrt.h"

#include <cuda_runtime.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace {

double now() {
  return std::chrono::duration<double>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

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

int fail(const std::string &what) {
  std::printf("{\"ok\": false, \"error\": \"%s\"}\n", what.c_str());
  return 1;
}

} // namespace

int main(int argc, char **argv) {
  double tMain = now();
  std::string bundle;
  long long m = 16, n = 384, k = 7168;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char * {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "gemmrt-coldstart: %s needs a value\n",
                     a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--bundle")
      bundle = next();
    else if (a == "--m")
      m = std::atoll(next());
    else if (a == "--n")
      n = std::atoll(next());
    else if (a == "--k")
      k = std::atoll(next());
    else {
      std::fprintf(stderr,
                   "usage: gemmrt-coldstart --bundle DIR [--m M --n N --k K]\n");
      return 2;
    }
  }
  if (bundle.empty() || m < 1 || n < 1 || k < 1) {
    std::fprintf(stderr, "gemmrt-coldstart: --bundle DIR and positive M, N, "
                         "K are required\n");
    return 2;
  }

  std::vector<std::pair<const char *, double>> phases = {{"main", tMain}};
  gemmrt_runtime *rt = nullptr;
  const char *paths[] = {bundle.c_str()};
  if (gemmrt_create(&rt, paths, 1) != GEMMRT_OK)
    return fail(std::string("gemmrt_create: ") + gemmrt_last_error());
  gemmrt_set_backend_policy(rt, GEMMRT_POLICY_GENERATED);
  phases.push_back({"runtime_created", now()});

  if (cudaFree(nullptr) != cudaSuccess)
    return fail("CUDA initialization failed");
  phases.push_back({"cuda_ready", now()});

  std::mt19937 gen(std::random_device{}());
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<uint16_t> x(size_t(m * k)), y(size_t(n * k));
  for (auto &v : x)
    v = toBf16(dist(gen));
  for (auto &v : y)
    v = toBf16(dist(gen));
  void *dx = nullptr, *dy = nullptr;
  float *dout = nullptr;
  if (cudaMalloc(&dx, x.size() * 2) != cudaSuccess ||
      cudaMalloc(&dy, y.size() * 2) != cudaSuccess ||
      cudaMalloc(reinterpret_cast<void **>(&dout), size_t(m * n) * 4) !=
          cudaSuccess)
    return fail("cudaMalloc failed");
  cudaMemcpy(dx, x.data(), x.size() * 2, cudaMemcpyHostToDevice);
  cudaMemcpy(dy, y.data(), y.size() * 2, cudaMemcpyHostToDevice);
  cudaMemset(dout, 0xff, size_t(m * n) * 4); // NaN: unwritten shows
  phases.push_back({"inputs_ready", now()});

  gemmrt_status s =
      gemmrt_linear_bf16_fp32(rt, dx, k, dy, k, dout, n, m, n, k, nullptr);
  if (s != GEMMRT_OK)
    return fail(std::string(gemmrt_status_string(s)) + ": " +
                gemmrt_last_error());
  if (cudaDeviceSynchronize() != cudaSuccess)
    return fail("the kernel failed");
  double tResult = now();
  phases.push_back({"first_result", tResult});

  // Checked after the clock stopped: fp64 over every element.
  std::vector<float> out(size_t(m * n));
  cudaMemcpy(out.data(), dout, out.size() * 4, cudaMemcpyDeviceToHost);
  double num = 0, den = 0;
  bool finite = true;
  for (long long r = 0; r < m; ++r)
    for (long long c = 0; c < n; ++c) {
      double acc = 0;
      for (long long i = 0; i < k; ++i)
        acc += fromBf16(x[size_t(r * k + i)]) * fromBf16(y[size_t(c * k + i)]);
      double got = out[size_t(r * n + c)];
      finite &= std::isfinite(got);
      num += (got - acc) * (got - acc);
      den += acc * acc;
    }
  double rel = std::sqrt(num / den);
  char choice[512] = {0};
  gemmrt_describe_choice(rt, m, n, k, choice, sizeof choice);
  for (char &c : choice)
    if (c == '"' || c == '\\')
      c = '\'';
  gemmrt_destroy(rt);

  std::printf("{\"t_result\": %.6f, \"ok\": %s, \"rel_err\": %.3g, "
              "\"choice\": \"%s\", \"phases\": {",
              tResult, finite && rel <= 2e-5 ? "true" : "false", rel, choice);
  for (size_t i = 0; i < phases.size(); ++i)
    std::printf("%s\"%s\": %.6f", i ? ", " : "", phases[i].first,
                phases[i].second);
  std::printf("}}\n");
  return finite && rel <= 2e-5 ? 0 : 1;
}
