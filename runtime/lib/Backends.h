//===- Backends.h - Loading and launching kernels ---------------*- C++ -*-===//
//
// The generated backend (bundle variants: module load with the JIT disk
// cache, descriptor encoding, generic parameter buffer, cuLaunchKernelEx)
// and the reference backend (the embedded fatbin). cuBLASLt lives in
// CublasLtBackend.h.
//
//===----------------------------------------------------------------------===//

#ifndef GEMMRT_LIB_BACKENDS_H
#define GEMMRT_LIB_BACKENDS_H

#include "DeviceState.h"
#include "Log.h"
#include "Manifest.h"

#include <string>

namespace gemmrt::impl {

/// How a variant's module is obtained (for logs and tests).
enum class LoadPath { Cubin, DiskCache, Jit };

/// Loads the variant's module on the current context: its cubin when the
/// device matches the chip exactly, else the PTX through the JIT with the
/// disk cache under `cacheDir` (empty: no disk cache). Then checks the kernel
/// against the manifest (symbol, parameter layout, block size, shared
/// memory) and raises its dynamic shared memory limit.
Status loadVariantKernel(const CudaDriver &driver, const DeviceState &device,
                         const Variant &variant, const std::string &cacheDir,
                         Logger &log, KernelSlot &slot,
                         LoadPath *path = nullptr);

/// The grid for a call (the manifest's rule, then rounded up to whole
/// clusters). Pure.
/// smCount: the device's SMs, for persistent grids (0: one cluster per
/// cluster tile, which is correct but not persistent).
void gridFor(const Variant &variant, int64_t m, int64_t n, unsigned grid[3],
             int smCount = 0);

/// Fills `buffer` (variant.paramBytes bytes, 128-byte aligned) and `args`
/// (one pointer per param, into `buffer`) for cuLaunchKernelEx.
Status buildParams(const Variant &variant, const GemmArgs &a,
                   TensorMapCache &tensorMaps, unsigned char *buffer,
                   void **args);

/// Launches `function`; with `programmaticLaunch` and a variant that
/// allows it, with programmatic stream serialization (the kernel may start
/// while the previous one in the stream finishes; it waits for it itself).
Status launchGenerated(const CudaDriver &driver, DeviceState &device,
                       const Variant &variant, CUfunction function,
                       const GemmArgs &a, CUstream stream,
                       bool programmaticLaunch);

/// Loads the embedded reference fatbin into the current context.
Status loadReferenceKernel(const CudaDriver &driver, KernelSlot &slot);

Status launchReference(const CudaDriver &driver, CUfunction function,
                       const GemmArgs &a, CUstream stream);

/// The embedded reference image (for tests).
const unsigned char *referenceImage(size_t *size);

} // namespace gemmrt::impl

#endif // GEMMRT_LIB_BACKENDS_H
