/*===- gemmrt.h - C API of the gemmgen runtime ------------------*- C -*-===*\
|*                                                                            *|
|* libgemmrt runs out[M,N] = x[M,K] * y[N,K]^T (bf16 inputs, fp32 output and  *|
|* accumulation, all row-major) with a kernel from a gemmgen bundle, with     *|
|* cuBLASLt, or with a simple reference kernel, chosen per (N, K, M bucket).  *|
|*                                                                            *|
|* The header is plain C (C99 and later) and needs no CUDA header: streams    *|
|* are passed as `struct CUstream_st *`, which is what both CUstream and      *|
|* cudaStream_t are. Device addresses are passed as pointers.                 *|
|*                                                                            *|
|* See docs/runtime.md for the selection rules, environment variables and the *|
|* error table.                                                               *|
\*===----------------------------------------------------------------------===*/

#ifndef GEMMRT_GEMMRT_H
#define GEMMRT_GEMMRT_H

#include <stddef.h>
#include <stdint.h>

#if defined(GEMMRT_BUILDING_LIBRARY)
#define GEMMRT_API __attribute__((visibility("default")))
#else
#define GEMMRT_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define GEMMRT_VERSION_MAJOR 0
#define GEMMRT_VERSION_MINOR 1
#define GEMMRT_VERSION_PATCH 0

/* Every entry point returns one of these. The values are stable (ABI). */
typedef enum gemmrt_status {
  GEMMRT_OK = 0,
  /* A null/invalid argument: null pointer, M/N/K <= 0, lda < K, ldb < K,
     ldc < N, an unknown policy, a bad GEMMRT_BACKEND value. */
  GEMMRT_ERROR_INVALID_ARGUMENT = 1,
  /* A pointer or leading dimension breaks an alignment rule of the chosen
     backend (element alignment always; 16-byte x/y and lda % 8 for
     generated kernels, ...). */
  GEMMRT_ERROR_MISALIGNED = 2,
  /* No kernel of the requested backend serves this shape (policy
     `generated` and no variant covers (M, N, K), or K % 8 != 0). */
  GEMMRT_ERROR_UNSUPPORTED_SHAPE = 3,
  /* No CUDA driver, cuInit failed, or no device. */
  GEMMRT_ERROR_NO_DEVICE = 4,
  /* The device cannot run the bundle's kernels (compute capability does not
     match the bundle chip) or lacks a needed resource. */
  GEMMRT_ERROR_UNSUPPORTED_DEVICE = 5,
  /* Missing bundle directory or files; malformed or incompatible
     manifest.json / tuning.json; a kernel that disagrees with its manifest. */
  GEMMRT_ERROR_BUNDLE = 6,
  /* A CUDA driver call failed (module load, JIT, launch, allocation). */
  GEMMRT_ERROR_CUDA = 7,
  /* A cuBLASLt call failed or found no algorithm. */
  GEMMRT_ERROR_CUBLAS = 8,
  /* The on-disk kernel cache is unusable (GEMMRT_CACHE_DIR is not a
     directory). A corrupt entry is never an error: it is rebuilt. */
  GEMMRT_ERROR_CACHE = 9,
  /* A bug in libgemmrt (an invariant broke); please report it. */
  GEMMRT_ERROR_INTERNAL = 10,
  /* Not a status: makes the enum span int, so any int from another
     language is a valid value to pass (and to reject). */
  GEMMRT_STATUS_MAX_ENUM = 0x7fffffff
} gemmrt_status;

/* Which backend serves calls. Values are stable (ABI). */
typedef enum gemmrt_policy {
  /* tuning.json entry, else a covering generated variant, else cuBLASLt. */
  GEMMRT_POLICY_AUTO = 0,
  /* Only bundle kernels; an uncovered shape is an error. */
  GEMMRT_POLICY_GENERATED = 1,
  /* Only cuBLASLt. */
  GEMMRT_POLICY_CUBLASLT = 2,
  /* Only the built-in fp32 reference kernel (slow, any shape/alignment). */
  GEMMRT_POLICY_REFERENCE = 3,
  /* Batch-invariant results: every M of an (N, K) runs the same bundle
     kernel, one whose M range is 1-max (gemm-compile --m-buckets 1-), so
     each output row is bitwise the same whatever M the call has (how
     requests were batched does not change them). No fallback: a shape
     without such a variant is GEMMRT_ERROR_UNSUPPORTED_SHAPE. */
  GEMMRT_POLICY_BATCH_INVARIANT = 4,
  /* Not a policy (see GEMMRT_STATUS_MAX_ENUM). */
  GEMMRT_POLICY_MAX_ENUM = 0x7fffffff
} gemmrt_policy;

/* Opaque runtime: one per process is typical; thread-safe. */
typedef struct gemmrt_runtime gemmrt_runtime;

/* Same type as CUstream and cudaStream_t. NULL is the legacy default stream. */
typedef struct CUstream_st *gemmrt_stream;

/* Loads and validates the bundles (CPU only: no CUDA call is made here) and
   reads GEMMRT_BACKEND, GEMMRT_LOG and GEMMRT_CACHE_DIR once. Succeeds on a
   machine without a GPU; calls then fail with GEMMRT_ERROR_NO_DEVICE.
   `bundle_paths` may be NULL when `num_bundles` is 0 (cuBLASLt/reference
   only). On failure *rt is set to NULL. */
GEMMRT_API gemmrt_status gemmrt_create(gemmrt_runtime **rt,
                                       const char *const *bundle_paths,
                                       int num_bundles);

/* Releases modules, cuBLASLt state and workspaces. NULL is a no-op. Do not
   call while other threads use `rt`, or after the CUDA contexts it used were
   destroyed. */
GEMMRT_API void gemmrt_destroy(gemmrt_runtime *rt);

/* out[m * ldc + n] = sum_k float(x[m * lda + k]) * float(y[n * ldb + k]).
   x, y: bf16 device memory; out: fp32 device memory. Enqueued on `stream`
   (asynchronous; no synchronization and, after the first call of a shape on
   a stream, no allocation: safe under CUDA graph capture). Runs on the
   device of the calling thread's current CUDA context; a thread without one
   gets device 0's primary context made current (as the CUDA runtime does). */
GEMMRT_API gemmrt_status gemmrt_linear_bf16_fp32(
    gemmrt_runtime *rt, const void *x, int64_t lda, const void *y,
    int64_t ldb, float *out, int64_t ldc, int64_t M, int64_t N, int64_t K,
    gemmrt_stream stream);

/* Overrides the policy read from GEMMRT_BACKEND; takes effect for the next
   call of any thread. */
GEMMRT_API gemmrt_status gemmrt_set_backend_policy(gemmrt_runtime *rt,
                                                   gemmrt_policy policy);
GEMMRT_API gemmrt_status gemmrt_get_backend_policy(const gemmrt_runtime *rt,
                                                   gemmrt_policy *policy);

/* Writes (NUL-terminated, truncated to `len`) which backend and variant a
   call of this shape would use under the current policy, assuming
   well-aligned pointers and packed rows (lda = ldb = K, ldc = N) and no
   device check (a device of another chip is only detected at the first
   call). Returns what such a call would return before touching the GPU,
   e.g. GEMMRT_ERROR_UNSUPPORTED_SHAPE under `generated`; `buf` then holds
   the message. */
GEMMRT_API gemmrt_status gemmrt_describe_choice(const gemmrt_runtime *rt,
                                                int64_t M, int64_t N,
                                                int64_t K, char *buf,
                                                size_t len);

/* Loads every bundle variant the current device can run, the reference
   kernel and cuBLASLt state now instead of at first use (cold start is
   paid here, and first calls inside graph capture load nothing). */
GEMMRT_API gemmrt_status gemmrt_preload(gemmrt_runtime *rt);

/* Background compilation. Under policy auto, a call whose (N, K, M bucket)
   no bundle covers runs on cuBLASLt at once and, when the disk cache is on
   and the optional compiler library (libgemmgen_compiler.so, see
   GEMMRT_COMPILER in docs/runtime.md) can be loaded, is queued for a
   background thread that compiles it into <cache dir>/compiled/. Runtimes
   created afterwards load those bundles; no call ever waits for a
   compilation. This waits up to `timeout_ms` (negative: no limit) until
   nothing is queued or compiling and sets *pending (may be NULL) to what is
   left; 0 when background compilation is off. */
GEMMRT_API gemmrt_status gemmrt_wait_background(gemmrt_runtime *rt,
                                                int timeout_ms, int *pending);

/* Initializes the CUDA driver (once per process) and reports the number of
   devices. GEMMRT_ERROR_NO_DEVICE with a reason (driver library missing,
   cuInit error, zero devices) in gemmrt_last_error() when there is none. */
GEMMRT_API gemmrt_status gemmrt_device_count(int *count);

/* The message of the last failed call on this thread ("" after a
   successful call). Valid until the next gemmrt call on this thread. */
GEMMRT_API const char *gemmrt_last_error(void);

/* "GEMMRT_OK", "GEMMRT_ERROR_MISALIGNED", ...; "unknown gemmrt_status". */
GEMMRT_API const char *gemmrt_status_string(gemmrt_status status);

/* "auto", "generated", "cublaslt", "reference"; NULL for others. */
GEMMRT_API const char *gemmrt_policy_string(gemmrt_policy policy);

/* "0.1.0" */
GEMMRT_API const char *gemmrt_version(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* GEMMRT_GEMMRT_H */
