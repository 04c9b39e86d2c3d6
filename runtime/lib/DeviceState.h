//===- DeviceState.h - Per-context state: modules, caches, cuBLASLt -*- C++
//-*-//
//
// One DeviceState per CUDA context the runtime was called in (one per device
// with primary contexts, as engines use). Everything in it is created
// lazily and is thread-safe: kernel slots load once under their own mutex
// and are read lock-free afterwards.
//
//===----------------------------------------------------------------------===//

#ifndef GEMMRT_LIB_DEVICESTATE_H
#define GEMMRT_LIB_DEVICESTATE_H

#include "CublasLtBackend.h"
#include "CudaDriver.h"
#include "Selector.h"
#include "TensorMapCache.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

namespace gemmrt::impl {

/// A kernel loaded at most once; a failed load is remembered and reported
/// on every use (a broken bundle fails the same way each time).
struct KernelSlot {
  std::mutex mutex;
  std::atomic<bool> done{false};
  Status status;
  CUmodule module = nullptr;
  CUfunction function = nullptr;
};

struct DeviceState {
  DeviceState(const CudaDriver &driver, size_t numVariants)
      : variantSlots(new KernelSlot[numVariants ? numVariants : 1]),
        numVariants(numVariants),
        tensorMaps([&driver](const TensorMapKey &key, CUtensorMap *out) {
          return encodeTensorMap(driver, key, out);
        }),
        cublas(new CublasLtBackend(driver)) {}

  CUcontext context = nullptr;
  CUdevice device = 0;
  DeviceCaps caps;
  std::string name;
  std::string chip; // "sm_90"
  int maxDynamicSmemOptin = 0;
  int smCount = 0; // sizes persistent grids

  std::unique_ptr<KernelSlot[]> variantSlots; // indexed by Variant::id
  size_t numVariants;
  KernelSlot reference;
  TensorMapCache tensorMaps;
  std::unique_ptr<CublasLtBackend> cublas;
};

} // namespace gemmrt::impl

#endif // GEMMRT_LIB_DEVICESTATE_H
