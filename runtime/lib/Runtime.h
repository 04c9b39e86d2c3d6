//===- Runtime.h - The runtime behind the C API -----------------*- C++ -*-===//
//
// Owns the bundles, the selector and the per-context device states. Bundle
// loading and selection need no GPU; CUDA is initialized lazily at the
// first call that needs it, so gemmrt_create succeeds on a machine without
// a device and argument errors are reported there too.
//
//===----------------------------------------------------------------------===//

#ifndef GEMMRT_LIB_RUNTIME_H
#define GEMMRT_LIB_RUNTIME_H

#include "BackgroundCompiler.h"
#include "DeviceState.h"
#include "Env.h"
#include "Log.h"
#include "Manifest.h"
#include "Selector.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace gemmrt::impl {

class Runtime {
public:
  /// Loads every bundle (the first error wins) with the given environment.
  static Status create(const std::vector<std::string> &bundleDirs,
                       const EnvConfig &env, std::unique_ptr<Runtime> &out);
  ~Runtime();

  Status linear(const GemmArgs &a, CUstream stream);

  void setPolicy(Policy p) { policy_.store(int(p), std::memory_order_relaxed); }
  Policy policy() const {
    return Policy(policy_.load(std::memory_order_relaxed));
  }

  /// The selection for a well-aligned, packed call of this shape, without
  /// a device; the returned status is what such a call would return before
  /// touching the GPU.
  Status describe(int64_t m, int64_t n, int64_t k, std::string &text) const;

  Status preload();

  /// Waits for background compilations (see BackgroundCompiler); returns
  /// how many are still pending (0 when background compilation is off).
  int waitBackground(int timeoutMs);
  BackgroundCompiler *backgroundCompiler() { return compiler_.get(); }

  const Selector &selector() const { return *selector_; }
  const EnvConfig &env() const { return env_; }
  const std::vector<std::unique_ptr<Bundle>> &bundles() const {
    return bundles_;
  }

  /// The device state of the calling thread's current context (making
  /// device 0's primary context current when there is none).
  Status acquireDevice(DeviceState *&out);

  /// The loaded kernel for a variant on `device` (loads it the first time).
  Status variantKernel(DeviceState &device, const Variant &v, CUfunction &fn);
  Status referenceKernel(DeviceState &device, CUfunction &fn);

private:
  Runtime(EnvConfig env) : env_(std::move(env)), log_(env_.log) {}
  Status runReference(DeviceState &device, const GemmArgs &a, CUstream stream);
  void logChoice(Policy policy, const GemmArgs &a, const Selection &s);
  void requestCompile(const GemmArgs &a, const DeviceState &dev);

  EnvConfig env_;
  Logger log_;
  std::vector<std::unique_ptr<Bundle>> bundles_;
  std::unique_ptr<Selector> selector_;
  std::atomic<int> policy_{0};
  std::unique_ptr<BackgroundCompiler> compiler_; // null: off

  // Context -> state. Lookups are lock-free (a short scan of published
  // slots); inserts take the mutex. Engines use one context per device.
  static constexpr int kMaxContexts = 64;
  std::atomic<CUcontext> contexts_[kMaxContexts] = {};
  std::unique_ptr<DeviceState> states_[kMaxContexts];
  std::atomic<int> numStates_{0};
  std::mutex statesMutex_;
  CUcontext retainedPrimary_ = nullptr; // device 0's, when we retained it
  CUdevice retainedDevice_ = 0;
};

} // namespace gemmrt::impl

#endif // GEMMRT_LIB_RUNTIME_H
