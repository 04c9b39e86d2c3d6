// What the split-K reduction of a cluster_push kernel costs, piece by
// piece, without the main loop. docs/perf ("where the fixed cost goes")
// fits ~3.8 us more fixed cost to a 128 x 128 split-K kernel than to a
// split-1 one, ~1 us to 64 x 128 and ~0.5 us to 64 x 64, and cannot say
// whether the remote stores, the cluster barrier or the owner's sums hold
// it. Each kernel here holds a tile's fp32 partial in registers (values
// per thread as the wgmma fragments hold them) in one wave of resident
// clusters of `split` CTAs with ~200 KiB of shared memory, and ends as
// one of:
//   direct   every thread stores its whole fragment to global (split 1)
//   barrier  one cluster barrier, then each rank stores its share (the
//            reduction with no remote traffic and no sums)
//   scalar   the cluster_push reduction as gemm-compile emits it: 4-byte
//            st.shared::cluster per value, barrier, the owner's sums
//   vector   the same with 16-byte stores and loads (--vector-push)
//   remote   vector, but a rank's own share stays in registers: no store
//            to itself and one load fewer per sum (an idea, not emitted)
// Per-call time is the median of 15 replays of a graph of 64 calls, as in
// launch-floor.cu. scalar - barrier is what the stores and the owner's
// sums cost, vector - barrier the same with 16-byte accesses, barrier -
// direct what the barrier costs (less the smaller share to store).
//   nvcc -arch=sm_90a -O2 -o push-cost push-cost.cu && ./push-cost
#include "cuda-check.h"
#include "graph-timing.h"

#include <cuda_runtime.h>

#include <cstdint>
#include <cstdio>

enum Mode { Direct, Barrier, Scalar, Vector, Remote };
const char *const kModeNames[] = {"direct", "barrier", "scalar", "vector",
                                   "remote"};
constexpr int kSmemBytes = 200 * 1024;

__device__ uint32_t remoteAddr(uint32_t local, uint32_t rank) {
  uint32_t remote;
  asm volatile("mapa.shared::cluster.u32 %0, %1, %2;"
               : "=r"(remote)
               : "r"(local), "r"(rank));
  return remote;
}

__device__ void clusterSync() {
  asm volatile("barrier.cluster.arrive.release.aligned;\n\t"
               "barrier.cluster.wait.acquire.aligned;" ::
                   : "memory");
}

// V values per thread (V / 2 pairs); owner r of a cluster of S sums the
// pairs p with p % S == r over ranks 0..S-1 in order, as the generated
// kernels do. Layouts as in WarpSpecializedKernel.cpp's push reduction.
template <int V, int S, int M>
__global__ void __launch_bounds__(256) reduce(const float *seed, float *out) {
  extern __shared__ __align__(1024) float smem[];
  constexpr int kPairs = V / 2, kPerOwner = kPairs / S;
  static_assert(kPairs % S == 0 && kPerOwner % 2 == 0, "whole v4 groups");
  const int t = threadIdx.x, threads = blockDim.x;
  uint32_t rank;
  asm volatile("mov.u32 %0, %%cluster_ctarank;" : "=r"(rank));
  const int cta = blockIdx.x + gridDim.x * blockIdx.z;
  // Every rank has started before anyone writes its shared memory (the
  // generated kernels arrive after set-up and wait before the push).
  asm volatile("barrier.cluster.arrive.relaxed.aligned;" ::: "memory");
  float acc[V];
  float base = seed[t];
#pragma unroll
  for (int i = 0; i < V; ++i)
    acc[i] = base + float(i);
  asm volatile("barrier.cluster.wait.aligned;" ::: "memory");
  auto *out2 = reinterpret_cast<float2 *>(out);
  if (M == Direct) {
#pragma unroll
    for (int p = 0; p < kPairs; ++p)
      out2[(size_t(cta) * kPairs + p) * threads + t] =
          make_float2(acc[2 * p], acc[2 * p + 1]);
    return;
  }
  const uint32_t buffer = uint32_t(__cvta_generic_to_shared(smem));
  const uint32_t section = 2 * kPerOwner * threads * 4; // bytes per sender
  if (M == Scalar) {
#pragma unroll
    for (int r = 0; r < S; ++r)
#pragma unroll
      for (int j = 0; j < kPerOwner; ++j)
#pragma unroll
        for (int e = 0; e < 2; ++e) {
          uint32_t local =
              buffer + rank * section + ((2 * j + e) * threads + t) * 4;
          asm volatile("st.shared::cluster.f32 [%0], %1;" ::"r"(
                           remoteAddr(local, r)),
                       "f"(acc[2 * (r + j * S) + e])
                       : "memory");
        }
  } else if (M == Vector || M == Remote) {
#pragma unroll
    for (int r = 0; r < S; ++r)
#pragma unroll
      for (int j = 0; j < kPerOwner; j += 2) {
        if (M == Remote && r == int(rank))
          continue;
        uint32_t local =
            buffer + rank * section + ((j / 2) * 4 * threads + t * 4) * 4;
        int p = r + j * S, q = r + (j + 1) * S;
        asm volatile(
            "st.shared::cluster.v4.f32 [%0], {%1, %2, %3, %4};" ::"r"(
                remoteAddr(local, r)),
            "f"(acc[2 * p]), "f"(acc[2 * p + 1]), "f"(acc[2 * q]),
            "f"(acc[2 * q + 1])
            : "memory");
      }
  }
  clusterSync();
  // This rank's share: its pairs summed over the senders (Barrier: its own
  // values of them, no sums).
#pragma unroll
  for (int j = 0; j < kPerOwner; j += 2) {
    float4 sum;
    if (M == Barrier) {
      // Pairs j, j + 1 of acc rather than the rank's own (rank + j * S):
      // indexing registers by the rank would spill them, and which values
      // go out does not change the cost measured here.
      sum = make_float4(acc[2 * j], acc[2 * j + 1], acc[2 * j + 2],
                        acc[2 * j + 3]);
    } else {
#pragma unroll
      for (int s = 0; s < S; ++s) {
        float4 part;
        if (M == Remote && s == int(rank)) {
          // Pairs j, j + 1 of acc, as in Barrier.
          part = make_float4(acc[2 * j], acc[2 * j + 1], acc[2 * j + 2],
                             acc[2 * j + 3]);
        } else if (M == Vector || M == Remote) {
          part = *reinterpret_cast<const float4 *>(
              smem + s * section / 4 + (j / 2) * 4 * threads + t * 4);
        } else {
          const float *w = smem + s * section / 4;
          part = make_float4(w[(2 * j) * threads + t],
                             w[(2 * j + 1) * threads + t],
                             w[(2 * j + 2) * threads + t],
                             w[(2 * j + 3) * threads + t]);
        }
        if (s == 0) {
          sum = part;
        } else {
          sum.x += part.x;
          sum.y += part.y;
          sum.z += part.z;
          sum.w += part.w;
        }
      }
    }
    size_t at = (size_t(cta) * kPerOwner + j) * threads + t;
    out2[at] = make_float2(sum.x, sum.y);
    out2[at + threads] = make_float2(sum.z, sum.w);
  }
}

struct Case {
  const char *tile;
  int threads, values, split, mode;
  void (*kernel)(const float *, float *);
};

// A launch of one of the kernels: `ctas` CTAs in clusters of `split`
// along z. `attr` holds the cluster size the config points to.
static cudaLaunchConfig_t launchConfig(const Case &c, int ctas,
                                       cudaLaunchAttribute &attr,
                                       cudaStream_t stream) {
  cudaLaunchConfig_t cfg = {};
  cfg.gridDim = dim3(ctas / c.split, 1, c.split);
  cfg.blockDim = dim3(c.threads, 1, 1);
  cfg.dynamicSmemBytes = kSmemBytes;
  cfg.stream = stream;
  attr.id = cudaLaunchAttributeClusterDimension;
  attr.val.clusterDim.x = 1;
  attr.val.clusterDim.y = 1;
  attr.val.clusterDim.z = c.split;
  cfg.attrs = &attr;
  cfg.numAttrs = 1;
  return cfg;
}

// One wave: as many clusters as stay resident at once.
static int oneWaveCtas(const Case &c) {
  CHECK(cudaFuncSetAttribute(c.kernel,
                             cudaFuncAttributeMaxDynamicSharedMemorySize,
                             kSmemBytes));
  cudaLaunchAttribute attr;
  cudaLaunchConfig_t cfg = launchConfig(c, 64 * c.split, attr, nullptr);
  int clusters = 0;
  CHECK(cudaOccupancyMaxActiveClusters(&clusters, c.kernel, &cfg));
  return clusters * c.split;
}

static float perCallUs(const Case &c, int ctas, const float *seed, float *out,
                       cudaStream_t stream) {
  cudaLaunchAttribute attr;
  cudaLaunchConfig_t cfg = launchConfig(c, ctas, attr, stream);
  return graphPerCallUs(stream, /*calls=*/64, /*warmups=*/1, [&](int) {
    CHECK(cudaLaunchKernelEx(&cfg, c.kernel, seed, out));
  });
}

#define CASES(TILE, THREADS, V, S)                                             \
  {TILE, THREADS, V, S, Direct, reduce<V, S, Direct>},                         \
      {TILE, THREADS, V, S, Barrier, reduce<V, S, Barrier>},                   \
      {TILE, THREADS, V, S, Scalar, reduce<V, S, Scalar>},                     \
      {TILE, THREADS, V, S, Vector, reduce<V, S, Vector>},                     \
      {TILE, THREADS, V, S, Remote, reduce<V, S, Remote>}

int main() {
  const Case cases[] = {
      CASES("128x128", 256, 64, 2), CASES("128x128", 256, 64, 4),
      CASES("128x128", 256, 64, 8), CASES("64x128", 128, 64, 2),
      CASES("64x128", 128, 64, 4),  CASES("64x128", 128, 64, 8),
      CASES("64x64", 128, 32, 2),   CASES("64x64", 128, 32, 4),
      CASES("64x64", 128, 32, 8),
  };
  cudaDeviceProp prop;
  CHECK(cudaGetDeviceProperties(&prop, 0));
  float *seed, *out;
  CHECK(cudaMalloc(&seed, 256 * sizeof(float)));
  CHECK(cudaMemset(seed, 0, 256 * sizeof(float)));
  // The largest grid's output: 132 CTAs x 64 values x 256 threads.
  CHECK(cudaMalloc(&out, size_t(132) * 64 * 256 * sizeof(float)));
  cudaStream_t stream;
  CHECK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
  std::printf("# %s, %d SMs: per-call us, graph of 64 calls, median of 15; "
              "one wave of resident clusters, %d KiB of shared memory\n",
              prop.name, prop.multiProcessorCount, kSmemBytes / 1024);
  std::printf("tile,threads,values,split,ctas,mode,us\n");
  for (const Case &c : cases) {
    int ctas = oneWaveCtas(c);
    std::printf("%s,%d,%d,%d,%d,%s,%.3f\n", c.tile, c.threads, c.values,
                c.split, ctas, kModeNames[c.mode],
                perCallUs(c, ctas, seed, out, stream));
  }
  CHECK(cudaFree(seed));
  CHECK(cudaFree(out));
  return 0;
}
