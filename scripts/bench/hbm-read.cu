// The fastest a kernel can read a weight from HBM, timed as gemm-bench
// times GEMMs: per-call time of a kernel that only reads S bytes (16-byte
// non-coherent loads, every byte once) and writes one word per CTA,
// replayed in a CUDA graph over enough distinct buffers that each call
// starts with a cold L2. For S = the dsv4 weights (N x K bf16), this is a
// measured floor for a decode GEMM, launch included: no kernel that reads
// the weight once can take less. The best over grid sizes is reported.
//   nvcc -arch=sm_90a -O2 -o hbm-read hbm-read.cu && ./hbm-read [MiB ...]
#include "cuda-check.h"
#include "graph-timing.h"

#include <cuda_runtime.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

// Four independent 16-byte loads in flight per thread and step, so the
// memory system, not the issue rate, limits the read.
__global__ void readAll(const uint4 *__restrict__ in, size_t n16,
                        unsigned *out) {
  unsigned acc = 0;
  size_t stride = size_t(gridDim.x) * blockDim.x;
  size_t i = size_t(blockIdx.x) * blockDim.x + threadIdx.x;
  for (; i + 3 * stride < n16; i += 4 * stride) {
    uint4 a = __ldg(in + i), b = __ldg(in + i + stride),
          c = __ldg(in + i + 2 * stride), d = __ldg(in + i + 3 * stride);
    acc ^= a.x ^ a.y ^ a.z ^ a.w ^ b.x ^ b.y ^ b.z ^ b.w ^ c.x ^ c.y ^ c.z ^
           c.w ^ d.x ^ d.y ^ d.z ^ d.w;
  }
  for (; i < n16; i += stride) {
    uint4 a = __ldg(in + i);
    acc ^= a.x ^ a.y ^ a.z ^ a.w;
  }
  // One word per CTA keeps the loads live without a reduction's cost.
  acc = __reduce_xor_sync(0xffffffffu, acc);
  if ((threadIdx.x & 31) == 0 && acc == 0x9e3779b9u)
    out[blockIdx.x] = acc;
  if (threadIdx.x == 0)
    out[gridDim.x + blockIdx.x] = blockIdx.x;
}

int main(int argc, char **argv) {
  // dsv4 weights (N x K x 2 bytes, MiB) by default, then larger reads.
  std::vector<double> mib = {2.0, 4.0, 5.25, 7.0, 8.0, 14.0, 16.0, 28.0, 256.0};
  if (argc > 1) {
    mib.clear();
    for (int i = 1; i < argc; ++i)
      mib.push_back(std::atof(argv[i]));
  }
  int sms = 0;
  CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0));
  int l2 = 0;
  CHECK(cudaDeviceGetAttribute(&l2, cudaDevAttrL2CacheSize, 0));
  cudaDeviceProp prop;
  CHECK(cudaGetDeviceProperties(&prop, 0));
  std::printf("# %s, %d SMs, L2 %d MiB\n", prop.name, sms, l2 >> 20);
  std::printf("MiB,us,TB_per_s,ctas,threads\n");
  const size_t pool = size_t(4) * l2; // distinct buffers: 4x L2 per cycle
  unsigned *out;
  CHECK(cudaMalloc(&out, 2 * 64 * sms * sizeof(unsigned)));
  cudaStream_t stream;
  CHECK(cudaStreamCreate(&stream));
  for (double m : mib) {
    size_t bytes = size_t(m * 1048576.0) / 16 * 16;
    int count = int(std::max<size_t>(1, (pool + bytes - 1) / bytes));
    count = std::min(count, 512);
    char *buf;
    CHECK(cudaMalloc(&buf, bytes * count));
    CHECK(cudaMemset(buf, 1, bytes * count));
    double best = 1e30;
    int bestCtas = 0, bestThreads = 0;
    for (int threads : {256, 512, 1024}) {
      for (int perSm : {1, 2, 4, 8}) {
        int ctas = perSm * sms;
        if (threads * perSm > 2048)
          continue;
        double med = graphPerCallUs(stream, count, /*warmups=*/3, [&](int c) {
          readAll<<<ctas, threads, 0, stream>>>(
              reinterpret_cast<const uint4 *>(buf + bytes * c), bytes / 16,
              out);
        });
        if (med < best) {
          best = med;
          bestCtas = ctas;
          bestThreads = threads;
        }
      }
    }
    std::printf("%g,%.3f,%.3f,%d,%d\n", m, best, bytes / best / 1e6, bestCtas,
                bestThreads);
    CHECK(cudaFree(buf));
  }
  return 0;
}
