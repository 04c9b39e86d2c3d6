/*===- gemmgen-c/Compiler.h - C API of the gemmgen compiler library -*- C -*-===*\
|*                                                                            *|
|* libgemmgen_compiler.so compiles linear_bf16_fp32 kernels into a bundle     *|
|* directory (docs/bundle.md), as gemm-compile does. libgemmrt loads it with  *|
|* dlopen, when it is installed, to compile shapes no bundle covers on a      *|
|* background thread; the runtime has no link-time dependency on it or on    *|
|* MLIR. The functions are thread-safe.                                       *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef GEMMGEN_C_COMPILER_H
#define GEMMGEN_C_COMPILER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped when a signature below changes; libgemmrt refuses other values. */
#define GEMMGEN_COMPILER_ABI_VERSION 1

int gemmgen_compiler_abi_version(void);

/* "gemmgen 0.1.0" */
const char *gemmgen_compiler_version(void);

/* Compiles one variant for the weight (n, k) and M in [m_min, m_max] for
   `chip` ("sm_90a") into the bundle directory `out_dir`, written to a
   temporary directory beside it and renamed into place. `ptxas`: the ptxas
   to make a cubin with; NULL finds one (PATH, then the CUDA toolkit gemmgen
   was built against); "" writes PTX only. Returns 0 on success; otherwise
   non-zero with a NUL-terminated message in `error` (truncated to
   `error_len`). */
int gemmgen_compile_bundle(const char *out_dir, const char *chip, int64_t n,
                           int64_t k, int64_t m_min, int64_t m_max,
                           const char *ptxas, char *error, size_t error_len);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* GEMMGEN_C_COMPILER_H */
