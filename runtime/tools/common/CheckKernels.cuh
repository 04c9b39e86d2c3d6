//===- CheckKernels.cuh - inputs and fp64 oracle of the GPU tools -*- CUDA -*-//
//
// Shared by gemm-check and gemm-bench: the random inputs every check uses
// and the fp64 reference they are judged against.
//
//===----------------------------------------------------------------------===//

#ifndef GEMMRT_TOOLS_COMMON_CHECKKERNELS_CUH
#define GEMMRT_TOOLS_COMMON_CHECKKERNELS_CUH

#include <cuda_bf16.h>

#include <cstdint>

namespace gemmrt_tools {

/// A NaN pattern no kernel computes: outputs are filled with it first, so an
/// element still holding it was never written.
constexpr uint32_t kPoison = 0x7fc0dead;

/// 64 well-mixed bits for element i under `seed` (MurmurHash3's 64-bit
/// finalizer over a Weyl step):
/// fresh for every seed, reproducible from it.
__device__ inline uint64_t elementHash(uint64_t seed, int64_t i) {
  uint64_t h = seed ^ (0x9E3779B97F4A7C15ull * (uint64_t)(i + 1));
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

/// Uniform in [-1, 1) from a per-element hash of (seed, r * cols + c): fresh
/// for every seed, never all zeros, reproducible from the seed.
__global__ void fillRandom(__nv_bfloat16 *p, int64_t rows, int64_t cols,
                           int64_t ld, uint64_t seed) {
  int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x;
  if (i >= rows * cols)
    return;
  int64_t r = i / cols, c = i % cols;
  uint64_t h = elementHash(seed, i);
  float u = (float)(h >> 40) / (float)(1ull << 24) * 2.0f - 1.0f;
  p[r * ld + c] = __float2bfloat16(u);
}

/// Normal(0, scale^2) from the same per-element hash (Box-Muller on its two
/// halves): the distribution peers.py feeds torch (x ~ N(0, 1), y ~ N(0, 1)
/// / sqrt(K)). Timings of compute-bound shapes depend on the inputs' bits
/// (the tensor cores' power draw decides the clock under the power cap), so
/// backends compared across tools must see the same distribution.
__global__ void fillNormal(__nv_bfloat16 *p, int64_t rows, int64_t cols,
                           int64_t ld, uint64_t seed, float scale) {
  int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x;
  if (i >= rows * cols)
    return;
  int64_t r = i / cols, c = i % cols;
  uint64_t h = elementHash(seed, i);
  // u1 in (0, 1] (never 0: log), u2 in [0, 1).
  float u1 = ((float)(h >> 40) + 1.0f) / (float)(1ull << 24);
  float u2 = (float)((h >> 8) & 0xffffff) / (float)(1ull << 24);
  float z = sqrtf(-2.0f * logf(u1)) * cospif(2.0f * u2);
  p[r * ld + c] = __float2bfloat16(z * scale);
}

/// ref[m, n] = sum_k x[m, k] * y[n, k] in fp64 (16 x 16 tiles); ref is
/// packed M x N.
__global__ void referenceF64(const __nv_bfloat16 *x, int64_t lda,
                             const __nv_bfloat16 *y, int64_t ldb, double *ref,
                             int64_t M, int64_t N, int64_t K) {
  __shared__ double xs[16][17], ys[16][17];
  int64_t m = blockIdx.y * 16 + threadIdx.y, n = blockIdx.x * 16 + threadIdx.x;
  int64_t ym = blockIdx.x * 16 + threadIdx.y;
  double acc = 0;
  for (int64_t k0 = 0; k0 < K; k0 += 16) {
    int64_t k = k0 + threadIdx.x;
    xs[threadIdx.y][threadIdx.x] =
        (m < M && k < K) ? (double)__bfloat162float(x[m * lda + k]) : 0.0;
    ys[threadIdx.y][threadIdx.x] =
        (ym < N && k < K) ? (double)__bfloat162float(y[ym * ldb + k]) : 0.0;
    __syncthreads();
    for (int kk = 0; kk < 16; ++kk)
      acc += xs[threadIdx.y][kk] * ys[threadIdx.x][kk];
    __syncthreads();
  }
  if (m < M && n < N)
    ref[m * N + n] = acc;
}

} // namespace gemmrt_tools

#endif // GEMMRT_TOOLS_COMMON_CHECKKERNELS_CUH
