//===- CudaDriver.cpp - The CUDA driver API, loaded at run time ----------===//

#include "CudaDriver.h"

#include <dlfcn.h>
#include <mutex>

namespace gemmrt::impl {

std::string CudaDriver::errorText(CUresult result) const {
  const char *name = nullptr, *text = nullptr;
  if (cuGetErrorName)
    cuGetErrorName(result, &name);
  if (cuGetErrorString)
    cuGetErrorString(result, &text);
  return formatString("%s (%d): %s", name ? name : "CUDA error", int(result),
                      text ? text : "unknown error");
}

Status CudaDriver::check(CUresult result, const char *what,
                         gemmrt_status code) const {
  if (result == CUDA_SUCCESS)
    return Status::success();
  return makeError(code, "%s failed: %s", what, errorText(result).c_str());
}

using GetProcAddressFn = CUresult (*)(const char *, void **, int, cuuint64_t,
                                      CUdriverProcAddressQueryResult *);

static Status loadDriver(CudaDriver &d) {
  // RTLD_LOCAL: the application may have its own view of libcuda; we only
  // need the handle to reach cuGetProcAddress.
  void *lib = ::dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char *err = ::dlerror();
    return makeError(GEMMRT_ERROR_NO_DEVICE,
                     "the NVIDIA driver library libcuda.so.1 could not be "
                     "loaded (%s); is an NVIDIA driver installed?",
                     err ? err : "unknown dlopen error");
  }
  auto getProc =
      reinterpret_cast<GetProcAddressFn>(::dlsym(lib, "cuGetProcAddress_v2"));
  if (!getProc)
    return makeError(GEMMRT_ERROR_UNSUPPORTED_DEVICE,
                     "libcuda.so.1 has no cuGetProcAddress_v2: the driver is "
                     "older than CUDA 12.0, which libgemmrt needs");

  std::string missing;
  auto resolve = [&](const char *name, void **slot, bool required) {
    CUdriverProcAddressQueryResult found = CU_GET_PROC_ADDRESS_SYMBOL_NOT_FOUND;
    // Ask for the CUDA 12.0 ABI: the signatures CudaDriver.h declares. Asking
    // for the header's own version is wrong for functions whose signature
    // changed later (CUDA 13.0's cuCtxGetDevice takes a context too, and
    // calling it with the old arguments returns a garbage device). Optional
    // functions newer than 12.0 are asked for at the header's version.
    int abi = required ? 12000 : CUDA_VERSION;
    CUresult r = getProc(name, slot, abi, CU_GET_PROC_ADDRESS_DEFAULT, &found);
    if (r != CUDA_SUCCESS || found != CU_GET_PROC_ADDRESS_SUCCESS) {
      *slot = nullptr;
      if (required)
        missing += missing.empty() ? name : std::string(", ") + name;
    }
  };
#define GEMMRT_RESOLVE_REQUIRED(name)                                          \
  resolve(#name, reinterpret_cast<void **>(&d.name), true);
#define GEMMRT_RESOLVE_OPTIONAL(name)                                          \
  resolve(#name, reinterpret_cast<void **>(&d.name), false);
  GEMMRT_CUDA_REQUIRED_FUNCTIONS(GEMMRT_RESOLVE_REQUIRED)
  GEMMRT_CUDA_OPTIONAL_FUNCTIONS(GEMMRT_RESOLVE_OPTIONAL)
#undef GEMMRT_RESOLVE_REQUIRED
#undef GEMMRT_RESOLVE_OPTIONAL
  if (!missing.empty())
    return makeError(GEMMRT_ERROR_UNSUPPORTED_DEVICE,
                     "libcuda.so.1 lacks %s: the driver is too old (CUDA "
                     "12.0 or newer is needed)",
                     missing.c_str());

  CUresult r = d.cuInit(0);
  if (r != CUDA_SUCCESS)
    return makeError(GEMMRT_ERROR_NO_DEVICE, "cuInit(0) failed: %s",
                     d.errorText(r).c_str());
  if (Status s = d.check(d.cuDriverGetVersion(&d.driverVersion),
                         "cuDriverGetVersion", GEMMRT_ERROR_NO_DEVICE);
      !s.ok())
    return s;
  if (Status s = d.check(d.cuDeviceGetCount(&d.deviceCount), "cuDeviceGetCount",
                         GEMMRT_ERROR_NO_DEVICE);
      !s.ok())
    return s;
  if (d.deviceCount <= 0)
    return makeError(GEMMRT_ERROR_NO_DEVICE,
                     "cuDeviceGetCount reports 0 CUDA devices (driver %d)",
                     d.driverVersion);
  return Status::success();
}

const CudaDriver *cudaDriver(Status *status) {
  // Loaded once per process; the outcome (good or bad) is kept, so a
  // machine without a GPU answers every call quickly and the same way.
  static CudaDriver driver;
  static Status loadStatus;
  static std::once_flag once;
  std::call_once(once, [] { loadStatus = loadDriver(driver); });
  if (!loadStatus.ok()) {
    if (status)
      *status = loadStatus;
    return nullptr;
  }
  return &driver;
}

RelaxedCaptureScope::RelaxedCaptureScope(const CudaDriver &driver)
    : driver_(driver) {
  active_ = driver_.cuThreadExchangeStreamCaptureMode(&saved_) == CUDA_SUCCESS;
}

RelaxedCaptureScope::~RelaxedCaptureScope() {
  if (active_)
    driver_.cuThreadExchangeStreamCaptureMode(&saved_);
}

} // namespace gemmrt::impl
