// CHECK(call): a CUDA runtime call that must succeed; on an error, prints
// where and why and exits 1. Shared by the standalone probes in this folder
// (nvcc finds it beside the .cu file that includes it).
#ifndef GEMMGEN_SCRIPTS_BENCH_CUDA_CHECK_H
#define GEMMGEN_SCRIPTS_BENCH_CUDA_CHECK_H

#include <cuda_runtime.h>

#include <cstdio>
#include <cstdlib>

#define CHECK(call)                                                            \
  do {                                                                         \
    cudaError_t e = (call);                                                    \
    if (e != cudaSuccess) {                                                    \
      std::fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #call,       \
                   cudaGetErrorString(e));                                     \
      std::exit(1);                                                            \
    }                                                                          \
  } while (0)

#endif // GEMMGEN_SCRIPTS_BENCH_CUDA_CHECK_H
