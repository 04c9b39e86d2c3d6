//===- gemmrt-overhead.cpp - Host-side cost of one gemmrt call -----------===//
//
// Measures how long gemmrt_linear_bf16_fp32 takes on the host for a shape
// whose kernel, descriptors and plan are already cached: many calls in
// batches (synchronizing between batches, outside the timed region, so a
// full launch queue never blocks a timed call), reported as the average and
// the best batch in microseconds per call.
//
//   gemmrt-overhead [--bundle DIR]... [--policy
//   auto|generated|cublaslt|reference]
//                   [--m M] [--n N] [--k K] [--calls COUNT]
//
// Exits 77 (ctest: skipped) when there is no CUDA device.
//
//===----------------------------------------------------------------------===//

#include "gemmrt/gemmrt.h"

#include "CudaDriver.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace gemmrt::impl;

static int usage(const char *argv0) {
  std::fprintf(stderr,
               "usage: %s [--bundle DIR]... [--policy auto|generated|"
               "cublaslt|reference] [--m M] [--n N] [--k K] [--calls COUNT]\n",
               argv0);
  return 2;
}

int main(int argc, char **argv) {
  std::vector<std::string> bundles;
  std::string policyName = "auto";
  long long m = 1, n = 256, k = 4096, calls = 20000;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char * {
      return i + 1 < argc ? argv[++i] : nullptr;
    };
    const char *v = nullptr;
    if (a == "--bundle" && (v = next()))
      bundles.push_back(v);
    else if (a == "--policy" && (v = next()))
      policyName = v;
    else if (a == "--m" && (v = next()))
      m = std::atoll(v);
    else if (a == "--n" && (v = next()))
      n = std::atoll(v);
    else if (a == "--k" && (v = next()))
      k = std::atoll(v);
    else if (a == "--calls" && (v = next()))
      calls = std::atoll(v);
    else
      return usage(argv[0]);
  }
  gemmrt_policy policy = GEMMRT_POLICY_AUTO;
  bool known = false;
  for (gemmrt_policy p : {GEMMRT_POLICY_AUTO, GEMMRT_POLICY_GENERATED,
                          GEMMRT_POLICY_CUBLASLT, GEMMRT_POLICY_REFERENCE})
    if (policyName == gemmrt_policy_string(p)) {
      policy = p;
      known = true;
    }
  if (!known || m <= 0 || n <= 0 || k <= 0 || calls <= 0)
    return usage(argv[0]);

  int devices = 0;
  if (gemmrt_device_count(&devices) != GEMMRT_OK) {
    std::printf("gemmrt-overhead: skipped: no CUDA device: %s\n",
                gemmrt_last_error());
    return 77;
  }

  std::vector<const char *> paths;
  for (const std::string &b : bundles)
    paths.push_back(b.c_str());
  gemmrt_runtime *rt = nullptr;
  if (gemmrt_create(&rt, paths.data(), int(paths.size())) != GEMMRT_OK ||
      gemmrt_set_backend_policy(rt, policy) != GEMMRT_OK) {
    std::fprintf(stderr, "gemmrt-overhead: %s\n", gemmrt_last_error());
    return 1;
  }

  const CudaDriver &drv = *cudaDriver(nullptr);
  CUdevice dev;
  CUcontext ctx;
  drv.cuDeviceGet(&dev, 0);
  drv.cuDevicePrimaryCtxRetain(&ctx, dev);
  drv.cuCtxSetCurrent(ctx);
  CUdeviceptr x = 0, y = 0, out = 0;
  CUstream stream = nullptr;
  bool ok = drv.cuMemAlloc(&x, size_t(m * k * 2)) == CUDA_SUCCESS &&
            drv.cuMemAlloc(&y, size_t(n * k * 2)) == CUDA_SUCCESS &&
            drv.cuMemAlloc(&out, size_t(m * n * 4)) == CUDA_SUCCESS &&
            drv.cuMemsetD32(x, 0, size_t(m * k / 2)) == CUDA_SUCCESS &&
            drv.cuMemsetD32(y, 0, size_t(n * k / 2)) == CUDA_SUCCESS &&
            drv.cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING) == CUDA_SUCCESS;
  if (!ok) {
    std::fprintf(stderr, "gemmrt-overhead: CUDA setup failed\n");
    return 1;
  }

  auto call = [&] {
    return gemmrt_linear_bf16_fp32(rt, reinterpret_cast<const void *>(x), k,
                                   reinterpret_cast<const void *>(y), k,
                                   reinterpret_cast<float *>(out), n, m, n, k,
                                   reinterpret_cast<gemmrt_stream>(stream));
  };
  // Warm-up: module load, descriptors, cuBLASLt plan, workspace.
  for (int i = 0; i < 100; ++i)
    if (call() != GEMMRT_OK) {
      std::fprintf(stderr, "gemmrt-overhead: %s\n", gemmrt_last_error());
      return 1;
    }
  drv.cuStreamSynchronize(stream);
  char what[1024];
  gemmrt_describe_choice(rt, m, n, k, what, sizeof(what));

  const long long batch = 256;
  double total = 0, best = 1e30;
  long long done = 0;
  while (done < calls) {
    long long count = std::min(batch, calls - done);
    auto t0 = std::chrono::steady_clock::now();
    for (long long i = 0; i < count; ++i)
      call();
    auto t1 = std::chrono::steady_clock::now();
    drv.cuStreamSynchronize(stream);
    double us = std::chrono::duration<double, std::micro>(t1 - t0).count();
    total += us;
    best = std::min(best, us / double(count));
    done += count;
  }
  std::printf("gemmrt-overhead: %s\n", what);
  std::printf("gemmrt-overhead: M=%lld N=%lld K=%lld policy=%s: %.3f us per "
              "call on the host (average of %lld calls; best batch %.3f "
              "us)\n",
              m, n, k, policyName.c_str(), total / double(calls), calls, best);
  drv.cuMemFree(x);
  drv.cuMemFree(y);
  drv.cuMemFree(out);
  gemmrt_destroy(rt);
  drv.cuStreamDestroy(stream);
  return 0;
}
