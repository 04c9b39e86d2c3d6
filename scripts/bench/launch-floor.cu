// What a call costs before it does any work: per-call time of kernels that
// do (almost) nothing, replayed in a CUDA graph the way gemm-bench times
// GEMMs. Decode GEMMs take 4-17 us of which the HBM floor is 0.6-9 us; this
// says how much of the rest is launch and scheduling, for the launch shapes
// the generated kernels use (64-256 CTAs, 256-384 threads, ~200 KiB of
// shared memory, clusters of 1-8, with and without programmatic dependent
// launch).
//   nvcc -arch=sm_90a -O2 -o launch-floor launch-floor.cu && ./launch-floor
#include "cuda-check.h"
#include "graph-timing.h"

#include <cuda_runtime.h>

#include <cstdio>
#include <cstdlib>

// Touches its shared memory and writes one word per CTA, so nothing is
// optimized away; with `pdl`, behaves like the generated kernels
// (launch_dependents first, wait before the global store).
__global__ void nearlyEmpty(float *out, int pdl) {
  // Static, so the cases without dynamic shared memory have some to touch.
  __shared__ float smem[1024];
  if (pdl)
    asm volatile("griddepcontrol.launch_dependents;");
  smem[threadIdx.x] = float(threadIdx.x);
  __syncthreads();
  if (pdl)
    asm volatile("griddepcontrol.wait;" ::: "memory");
  if (threadIdx.x == 0)
    out[blockIdx.x + gridDim.x * blockIdx.z] = smem[blockDim.x - 1];
}

struct Case {
  const char *name;
  int ctas, threads, smemKiB, cluster, pdl;
};

static float perCallUs(const Case &c, float *out, cudaStream_t stream) {
  const int calls = 64;
  cudaLaunchConfig_t cfg = {};
  cfg.gridDim = dim3(c.ctas / c.cluster, 1, c.cluster);
  cfg.blockDim = dim3(c.threads, 1, 1);
  cfg.dynamicSmemBytes = size_t(c.smemKiB) * 1024;
  cfg.stream = stream;
  cudaLaunchAttribute attrs[2];
  int n = 0;
  if (c.cluster > 1) {
    attrs[n].id = cudaLaunchAttributeClusterDimension;
    attrs[n].val.clusterDim.x = 1;
    attrs[n].val.clusterDim.y = 1;
    attrs[n].val.clusterDim.z = c.cluster;
    ++n;
  }
  if (c.pdl) {
    attrs[n].id = cudaLaunchAttributeProgrammaticStreamSerialization;
    attrs[n].val.programmaticStreamSerializationAllowed = 1;
    ++n;
  }
  cfg.attrs = attrs;
  cfg.numAttrs = n;
  return graphPerCallUs(stream, calls, /*warmups=*/1, [&](int) {
    CHECK(cudaLaunchKernelEx(&cfg, nearlyEmpty, out, c.pdl));
  });
}

int main() {
  CHECK(cudaFuncSetAttribute(nearlyEmpty,
                             cudaFuncAttributeMaxDynamicSharedMemorySize,
                             220 * 1024));
  cudaDeviceProp prop;
  CHECK(cudaGetDeviceProperties(&prop, 0));
  float *out;
  CHECK(cudaMalloc(&out, 4096 * sizeof(float)));
  cudaStream_t stream;
  CHECK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
  const Case cases[] = {
      {"1 CTA x 32, no smem", 1, 32, 0, 1, 0},
      {"64 CTAs x 256, no smem", 64, 256, 0, 1, 0},
      {"64 CTAs x 256, 193 KiB", 64, 256, 193, 1, 0},
      {"64 CTAs x 256, 193 KiB, clusters of 8", 64, 256, 193, 8, 0},
      {"64 CTAs x 256, 193 KiB, clusters of 8, PDL", 64, 256, 193, 8, 1},
      {"128 CTAs x 384, 220 KiB, clusters of 8", 128, 384, 220, 8, 0},
      {"128 CTAs x 384, 220 KiB, clusters of 8, PDL", 128, 384, 220, 8, 1},
      {"128 CTAs x 384, 220 KiB", 128, 384, 220, 1, 0},
      {"128 CTAs x 384, 220 KiB, PDL", 128, 384, 220, 1, 1},
  };
  std::printf("# %s, %d SMs: per-call us, graph of 64 calls, median of 15\n",
              prop.name, prop.multiProcessorCount);
  std::printf("case,us\n");
  for (const Case &c : cases)
    std::printf("%s,%.3f\n", c.name, perCallUs(c, out, stream));
  CHECK(cudaFree(out));
  return 0;
}
