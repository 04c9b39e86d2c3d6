//===- CudaDriver.h - The CUDA driver API, loaded at run time ---*- C++ -*-===//
//
// libgemmrt does not link libcuda: it dlopens libcuda.so.1 on first use and
// takes every entry point from cuGetProcAddress. So the library (and an
// engine that links it) loads on machines without an NVIDIA driver, and the
// absence of a GPU becomes GEMMRT_ERROR_NO_DEVICE with a reason instead of a
// loader error. Types and prototypes still come from <cuda.h>; the macros
// there (cuMemAlloc -> cuMemAlloc_v2, ...) rename our members the same way
// they rename the functions, so `driver.cuMemAlloc(...)` reads as usual.
//
//===----------------------------------------------------------------------===//

#ifndef GEMMRT_LIB_CUDADRIVER_H
#define GEMMRT_LIB_CUDADRIVER_H

#include "Status.h"

#include <cuda.h>

namespace gemmrt::impl {

// Entry points the runtime and its GPU tests need.
#define GEMMRT_CUDA_REQUIRED_FUNCTIONS(X)                                      \
  X(cuInit)                                                                    \
  X(cuDriverGetVersion)                                                        \
  X(cuGetErrorName)                                                            \
  X(cuGetErrorString)                                                          \
  X(cuDeviceGet)                                                               \
  X(cuDeviceGetCount)                                                          \
  X(cuDeviceGetAttribute)                                                      \
  X(cuDeviceGetName)                                                           \
  X(cuDevicePrimaryCtxRetain)                                                  \
  X(cuDevicePrimaryCtxRelease)                                                 \
  X(cuCtxGetCurrent)                                                           \
  X(cuCtxSetCurrent)                                                           \
  X(cuCtxGetDevice)                                                            \
  X(cuCtxPushCurrent)                                                          \
  X(cuCtxPopCurrent)                                                           \
  X(cuCtxSynchronize)                                                          \
  X(cuModuleLoadData)                                                          \
  X(cuModuleLoadDataEx)                                                        \
  X(cuModuleGetFunction)                                                       \
  X(cuModuleUnload)                                                            \
  X(cuLinkCreate)                                                              \
  X(cuLinkAddData)                                                             \
  X(cuLinkComplete)                                                            \
  X(cuLinkDestroy)                                                             \
  X(cuFuncSetAttribute)                                                        \
  X(cuFuncGetAttribute)                                                        \
  X(cuLaunchKernelEx)                                                          \
  X(cuTensorMapEncodeTiled)                                                    \
  X(cuMemAlloc)                                                                \
  X(cuMemFree)                                                                 \
  X(cuMemcpyHtoD)                                                              \
  X(cuMemcpyDtoH)                                                              \
  X(cuMemcpyHtoDAsync)                                                         \
  X(cuMemcpyDtoHAsync)                                                         \
  X(cuMemsetD32)                                                               \
  X(cuMemsetD32Async)                                                          \
  X(cuStreamCreate)                                                            \
  X(cuStreamDestroy)                                                           \
  X(cuStreamSynchronize)                                                       \
  X(cuStreamGetId)                                                             \
  X(cuStreamIsCapturing)                                                       \
  X(cuStreamBeginCapture)                                                      \
  X(cuStreamEndCapture)                                                        \
  X(cuThreadExchangeStreamCaptureMode)                                         \
  X(cuGraphInstantiateWithFlags)                                               \
  X(cuGraphLaunch)                                                             \
  X(cuGraphExecDestroy)                                                        \
  X(cuGraphDestroy)

// Entry points used when present (newer drivers).
#define GEMMRT_CUDA_OPTIONAL_FUNCTIONS(X) X(cuFuncGetParamInfo)

struct CudaDriver {
#define GEMMRT_DECLARE_MEMBER(name) decltype(&::name) name = nullptr;
  GEMMRT_CUDA_REQUIRED_FUNCTIONS(GEMMRT_DECLARE_MEMBER)
  GEMMRT_CUDA_OPTIONAL_FUNCTIONS(GEMMRT_DECLARE_MEMBER)
#undef GEMMRT_DECLARE_MEMBER

  int driverVersion = 0;
  int deviceCount = 0;

  /// "cuModuleLoadData(n384_k7168_m1_64): CUDA_ERROR_INVALID_PTX: a PTX JIT
  /// compilation failed" as a GEMMRT_ERROR_CUDA status (OK for CUDA_SUCCESS).
  Status check(CUresult result, const char *what,
               gemmrt_status code = GEMMRT_ERROR_CUDA) const;
  std::string errorText(CUresult result) const;
};

/// Loads libcuda, resolves the entry points and runs cuInit(0) once per
/// process. Null with the reason in *status when there is no usable driver
/// or no device (GEMMRT_ERROR_NO_DEVICE; a driver older than CUDA 12 is
/// GEMMRT_ERROR_UNSUPPORTED_DEVICE).
const CudaDriver *cudaDriver(Status *status);

/// While alive, this thread's stream-capture mode is "relaxed", so lazy
/// one-time work (module loads, workspace allocation) that a first call may
/// do inside a graph capture is allowed and does not invalidate it.
class RelaxedCaptureScope {
public:
  explicit RelaxedCaptureScope(const CudaDriver &driver);
  ~RelaxedCaptureScope();
  RelaxedCaptureScope(const RelaxedCaptureScope &) = delete;
  RelaxedCaptureScope &operator=(const RelaxedCaptureScope &) = delete;

private:
  const CudaDriver &driver_;
  CUstreamCaptureMode saved_ = CU_STREAM_CAPTURE_MODE_RELAXED;
  bool active_ = false;
};

} // namespace gemmrt::impl

#endif // GEMMRT_LIB_CUDADRIVER_H
