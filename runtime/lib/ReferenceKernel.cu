//===- ReferenceKernel.cu - The obviously-correct fp32 oracle ------------===//
//
// One thread per output element, a plain loop over K, bf16 -> fp32 by a
// 16-bit shift, fp32 accumulation. No shared memory, no vector loads, no
// alignment beyond the element type: it serves any shape, any K and any
// leading dimensions, and it is the oracle the tests compare against.
// Built by nvcc into a fatbin embedded in libgemmrt (see CMakeLists.txt).
//
//===----------------------------------------------------------------------===//

extern "C" __global__ void
gemmrt_reference_bf16_fp32(const unsigned short *__restrict__ x, long long lda,
                           const unsigned short *__restrict__ y, long long ldb,
                           float *__restrict__ out, long long ldc, long long m,
                           long long n, long long k) {
  long long total = m * n;
  long long stride = (long long)gridDim.x * blockDim.x;
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
       i < total; i += stride) {
    long long row = i / n;
    long long col = i - row * n;
    const unsigned short *xr = x + row * lda;
    const unsigned short *yr = y + col * ldb;
    float acc = 0.0f;
    for (long long kk = 0; kk < k; ++kk) {
      float a = __uint_as_float((unsigned)xr[kk] << 16);
      float b = __uint_as_float((unsigned)yr[kk] << 16);
      acc = fmaf(a, b, acc);
    }
    out[row * ldc + col] = acc;
  }
}
