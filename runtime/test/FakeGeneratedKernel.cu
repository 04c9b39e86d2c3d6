//===- FakeGeneratedKernel.cu - A slow kernel with the generated ABI -----===//
//
// Stands in for a gemm-compile variant in the GPU tests, so that module
// loading (cubin, PTX JIT, disk cache), the TMA descriptors the runtime
// encodes, the parameter buffer, the grid rule and cluster launches are all
// checked on a device without a real bundle. It has the parameter list of
// docs/bundle.md (tma_desc x, tma_desc y, ptr out, i32 m, i64 ldc), loads
// 64 x 64 (x) and 128 x 64 (y) boxes with cp.async.bulk.tensor through the
// runtime's 128-byte-swizzled descriptors, and multiplies them naively. N and
// K are compile-time constants, as in real variants; M, N and K tails rely
// on the descriptors' zero fill, as in real variants.
//
// With FAKE_TMA_STORE out is a third descriptor (fp32, box 32 x 64, as
// gemm-compile --tma-store emits it): the tile goes out in 32-column chunks
// through a 128-byte-swizzled staging box and cp.async.bulk.tensor stores,
// which write nothing past M or N.
//
//===----------------------------------------------------------------------===//

#include <cuda.h>
#include <stdint.h>

#ifndef FAKE_N
#define FAKE_N 200
#endif
#ifndef FAKE_K
#define FAKE_K 4104
#endif
#define BM 64
#define BN 128
#define BK 64
#define THREADS 256
#define PER_THREAD (BM * BN / THREADS)

static __device__ __forceinline__ uint32_t smemAddress(const void *p) {
  return static_cast<uint32_t>(__cvta_generic_to_shared(p));
}

// Element (row, col) of a [rows x 64] bf16 box stored with SWIZZLE_128B:
// 128-byte rows, 16-byte chunk index XOR (row % 8), base 1024-byte aligned.
static __device__ __forceinline__ float loadSwizzled(const unsigned char *box,
                                                     int row, int col) {
  int chunk = (col >> 3) ^ (row & 7);
  const unsigned short *p = reinterpret_cast<const unsigned short *>(
      box + row * 128 + chunk * 16 + (col & 7) * 2);
  return __uint_as_float(uint32_t(*p) << 16);
}

static __device__ __forceinline__ void tmaLoad2d(void *dst,
                                                 const CUtensorMap *map, int c0,
                                                 int c1, uint64_t *barrier) {
  asm volatile("cp.async.bulk.tensor.2d.shared::cluster.global.tile"
               ".mbarrier::complete_tx::bytes [%0], [%1, {%2, %3}], [%4];"
               :
               : "r"(smemAddress(dst)), "l"(reinterpret_cast<uint64_t>(map)),
                 "r"(c0), "r"(c1), "r"(smemAddress(barrier))
               : "memory");
}

#ifdef FAKE_TMA_STORE
// 32 fp32 columns: one 128-byte swizzled row per tile row.
#define STORE_COLS 32
static __device__ __forceinline__ void tmaStore2d(const CUtensorMap *map,
                                                  const void *src, int c0,
                                                  int c1) {
  asm volatile("cp.async.bulk.tensor.2d.global.shared::cta.tile.bulk_group"
               " [%0, {%1, %2}], [%3];"
               :
               : "l"(reinterpret_cast<uint64_t>(map)), "r"(c0), "r"(c1),
                 "r"(smemAddress(src))
               : "memory");
}
#endif

extern "C" __global__ void __launch_bounds__(THREADS)
    gemm_fake(const __grid_constant__ CUtensorMap tx,
              const __grid_constant__ CUtensorMap ty,
#ifdef FAKE_TMA_STORE
              const __grid_constant__ CUtensorMap tout,
#else
              float *out,
#endif
              int m, long long ldc) {
  extern __shared__ unsigned char dynamicSmem[];
  __shared__ __align__(8) uint64_t barrier;
  unsigned char *base = reinterpret_cast<unsigned char *>(
      (reinterpret_cast<uintptr_t>(dynamicSmem) + 1023) & ~uintptr_t(1023));
  unsigned char *xs = base;            // BM rows of 128 bytes
  unsigned char *ys = base + BM * 128; // BN rows of 128 bytes

  const int tid = threadIdx.x;
  const int row0 = blockIdx.y * BM;
  const int col0 = blockIdx.x * BN;
  // Blocks added to complete a cluster, or beyond M or N, still take part
  // in the loads (their boxes are all zero fill) and store nothing.

  if (tid == 0) {
    asm volatile(
        "mbarrier.init.shared::cta.b64 [%0], 1;" ::"r"(smemAddress(&barrier)));
    asm volatile("fence.mbarrier_init.release.cluster;" ::: "memory");
    asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
  }
  __syncthreads();

  float acc[PER_THREAD];
  for (int j = 0; j < PER_THREAD; ++j)
    acc[j] = 0.0f;

  uint32_t phase = 0;
  for (int k0 = 0; k0 < FAKE_K; k0 += BK) {
    if (tid == 0) {
      uint64_t state;
      asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 %0, [%1], %2;"
                   : "=l"(state)
                   : "r"(smemAddress(&barrier)), "r"((BM + BN) * BK * 2)
                   : "memory");
      asm volatile("" ::"l"(state)); // the arrival state is not needed
      tmaLoad2d(xs, &tx, k0, row0, &barrier);
      tmaLoad2d(ys, &ty, k0, col0, &barrier);
    }
    uint32_t done = 0;
    while (!done)
      asm volatile("{\n\t.reg .pred p;\n\t"
                   "mbarrier.try_wait.parity.shared::cta.b64 p, [%1], %2;\n\t"
                   "selp.u32 %0, 1, 0, p;\n\t}"
                   : "=r"(done)
                   : "r"(smemAddress(&barrier)), "r"(phase)
                   : "memory");
    phase ^= 1;

    for (int j = 0; j < PER_THREAD; ++j) {
      int idx = tid + j * THREADS;
      int r = idx / BN, c = idx % BN;
      float a = acc[j];
      for (int kk = 0; kk < BK; ++kk)
        a = fmaf(loadSwizzled(xs, r, kk), loadSwizzled(ys, c, kk), a);
      acc[j] = a;
    }
    // Everyone is done reading before the next loads overwrite the boxes.
    __syncthreads();
  }

#ifdef FAKE_TMA_STORE
  // The x box is free (the last __syncthreads above): stage each chunk of
  // 32 columns there, element (r, c) at r * 128 + ((c / 4) ^ (r % 8)) * 16
  // + (c % 4) * 4, and store it whole; TMA clips rows >= M and columns >= N.
  // A box wholly past M or N (blocks that complete a cluster, the last
  // chunk of the last N tile) is not stored, as the generated kernels do.
  (void)ldc;
  for (int q = 0; q < BN / STORE_COLS; ++q) {
    if (row0 >= m || col0 + q * STORE_COLS >= FAKE_N)
      break;
    for (int j = 0; j < PER_THREAD; ++j) {
      int idx = tid + j * THREADS;
      int r = idx / BN, c = idx % BN - q * STORE_COLS;
      if (c < 0 || c >= STORE_COLS)
        continue;
      float *slot = reinterpret_cast<float *>(
          xs + r * 128 + (((c >> 2) ^ (r & 7)) << 4) + (c & 3) * 4);
      *slot = acc[j];
    }
    asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
    __syncthreads();
    if (tid == 0) {
      tmaStore2d(&tout, xs, col0 + q * STORE_COLS, row0);
      asm volatile("cp.async.bulk.commit_group;" ::: "memory");
      asm volatile("cp.async.bulk.wait_group.read 0;" ::: "memory");
    }
    __syncthreads();
  }
#else
  for (int j = 0; j < PER_THREAD; ++j) {
    int idx = tid + j * THREADS;
    int r = row0 + idx / BN, c = col0 + idx % BN;
    if (r < m && c < FAKE_N)
      out[(long long)r * ldc + c] = acc[j];
  }
#endif
}
