//===- Runtime.cpp - The runtime behind the C API ------------------------===//

#include "Runtime.h"
#include "Backends.h"

#include <cstdio>

namespace gemmrt::impl {

Status Runtime::create(const std::vector<std::string> &bundleDirs,
                       const EnvConfig &env, std::unique_ptr<Runtime> &out) {
  std::unique_ptr<Runtime> rt(new Runtime(env));
  for (const std::string &dir : bundleDirs) {
    // Heap-allocated before parsing: variants and tuning entries point at
    // their bundle.
    auto bundle = std::make_unique<Bundle>();
    if (Status s = loadBundle(dir, *bundle); !s.ok())
      return s;
    rt->bundles_.push_back(std::move(bundle));
  }
  // Bundles compiled in the background by earlier runtimes: after the
  // explicit ones (those win ties), and a bad one is skipped, not fatal (a
  // cache must never stop the runtime from starting).
  size_t explicitBundles = rt->bundles_.size();
  std::vector<std::string> skippedJit;
  if (!env.cacheDir.empty()) {
    for (const std::string &dir : listJitBundles(env.cacheDir + "/compiled")) {
      auto bundle = std::make_unique<Bundle>();
      if (Status s = loadBundle(dir, *bundle); !s.ok()) {
        skippedJit.push_back(s.message());
        continue;
      }
      rt->bundles_.push_back(std::move(bundle));
    }
    if (!env.compilerOff)
      rt->compiler_ = std::make_unique<BackgroundCompiler>(
          env.cacheDir + "/compiled", env.compiler, rt->log_);
  }
  std::vector<Bundle *> bundles;
  for (auto &b : rt->bundles_)
    bundles.push_back(b.get());
  rt->selector_ = std::make_unique<Selector>(bundles);
  rt->policy_.store(int(env.policy));
  if (rt->log_.enabled()) {
    rt->log_.line(formatString(
        "libgemmrt %s: %zu bundle(s), %zu variant(s), policy=%s, disk "
        "cache %s",
        gemmrt_version(), rt->bundles_.size(), rt->selector_->variants().size(),
        policyName(env.policy),
        env.cacheDir.empty() ? "off" : ("'" + env.cacheDir + "'").c_str()));
    for (const auto &b : rt->bundles_)
      rt->log_.line(formatString(
          "bundle '%s': %s, chip %s, %zu variant(s), tuning.json %s",
          b->dir.c_str(), b->compiler.c_str(), b->chip.c_str(),
          b->variants.size(),
          b->hasTuning
              ? formatString("with %zu entries", b->tuning.entries.size())
                    .c_str()
              : "absent"));
  }
  if (rt->log_.enabled()) {
    std::string state = "on";
    if (!rt->compiler_)
      state = env.cacheDir.empty() ? "off (no disk cache)"
                                   : "off (GEMMRT_COMPILER)";
    else if (!env.compiler.empty())
      state += " ('" + env.compiler + "')";
    rt->log_.line(formatString("%zu bundle(s) from background compilation in "
                               "'%s/compiled'; background compilation %s",
                               rt->bundles_.size() - explicitBundles,
                               env.cacheDir.c_str(), state.c_str()));
    for (const std::string &why : skippedJit)
      rt->log_.line("skipped a background-compiled bundle: " + why);
  }
  out = std::move(rt);
  return Status::success();
}

Runtime::~Runtime() {
  // First: the compiler thread logs through log_ and must stop before the
  // rest goes.
  compiler_.reset();
  int n = numStates_.load(std::memory_order_acquire);
  const CudaDriver *drv =
      n > 0 || retainedPrimary_ ? cudaDriver(nullptr) : nullptr;
  if (!drv)
    return;
  for (int i = 0; i < n; ++i) {
    DeviceState &d = *states_[i];
    bool pushed = drv->cuCtxPushCurrent(d.context) == CUDA_SUCCESS;
    if (pushed) {
      for (size_t v = 0; v < d.numVariants; ++v)
        if (d.variantSlots[v].module)
          drv->cuModuleUnload(d.variantSlots[v].module);
      if (d.reference.module)
        drv->cuModuleUnload(d.reference.module);
      d.cublas.reset(); // handle and workspaces, in their context
      CUcontext popped;
      drv->cuCtxPopCurrent(&popped);
    }
    states_[i].reset();
  }
  if (retainedPrimary_)
    drv->cuDevicePrimaryCtxRelease(retainedDevice_);
}

Status Runtime::acquireDevice(DeviceState *&out) {
  Status status;
  const CudaDriver *drv = cudaDriver(&status);
  if (!drv)
    return status;
  CUcontext ctx = nullptr;
  if (Status s = drv->check(drv->cuCtxGetCurrent(&ctx), "cuCtxGetCurrent");
      !s.ok())
    return s;
  if (!ctx) {
    // As the CUDA runtime does: a thread without a context uses device 0's
    // primary context (shared with cudart, PyTorch, ...).
    {
      std::lock_guard<std::mutex> guard(statesMutex_);
      if (!retainedPrimary_) {
        CUdevice dev0;
        if (Status s = drv->check(drv->cuDeviceGet(&dev0, 0), "cuDeviceGet(0)");
            !s.ok())
          return s;
        CUcontext primary = nullptr;
        if (Status s = drv->check(drv->cuDevicePrimaryCtxRetain(&primary, dev0),
                                  "cuDevicePrimaryCtxRetain(device 0)");
            !s.ok())
          return s;
        retainedPrimary_ = primary;
        retainedDevice_ = dev0;
      }
      ctx = retainedPrimary_;
    }
    if (Status s = drv->check(drv->cuCtxSetCurrent(ctx), "cuCtxSetCurrent");
        !s.ok())
      return s;
  }

  int n = numStates_.load(std::memory_order_acquire);
  for (int i = 0; i < n; ++i)
    if (contexts_[i].load(std::memory_order_acquire) == ctx) {
      out = states_[i].get();
      return Status::success();
    }

  std::lock_guard<std::mutex> guard(statesMutex_);
  n = numStates_.load(std::memory_order_relaxed);
  for (int i = 0; i < n; ++i)
    if (contexts_[i].load(std::memory_order_relaxed) == ctx) {
      out = states_[i].get();
      return Status::success();
    }
  if (n == kMaxContexts)
    return makeError(GEMMRT_ERROR_UNSUPPORTED_DEVICE,
                     "more than %d CUDA contexts used with one runtime",
                     kMaxContexts);
  auto state =
      std::make_unique<DeviceState>(*drv, selector_->variants().size());
  state->context = ctx;
  if (Status s =
          drv->check(drv->cuCtxGetDevice(&state->device), "cuCtxGetDevice");
      !s.ok())
    return s;
  int major = 0, minor = 0, smem = 0;
  Status s = drv->check(
      drv->cuDeviceGetAttribute(
          &major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, state->device),
      "cuDeviceGetAttribute(COMPUTE_CAPABILITY_MAJOR)");
  if (s.ok())
    s = drv->check(drv->cuDeviceGetAttribute(
                       &minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
                       state->device),
                   "cuDeviceGetAttribute(COMPUTE_CAPABILITY_MINOR)");
  if (s.ok())
    s = drv->check(drv->cuDeviceGetAttribute(
                       &smem,
                       CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN,
                       state->device),
                   "cuDeviceGetAttribute(MAX_SHARED_MEMORY_PER_BLOCK_OPTIN)");
  int sms = 0;
  if (s.ok())
    s = drv->check(
        drv->cuDeviceGetAttribute(
            &sms, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, state->device),
        "cuDeviceGetAttribute(MULTIPROCESSOR_COUNT)");
  if (!s.ok())
    return s;
  state->smCount = sms;
  char name[256] = {0};
  if (drv->cuDeviceGetName(name, sizeof(name) - 1, state->device) !=
      CUDA_SUCCESS)
    std::snprintf(name, sizeof(name), "device %d", int(state->device));
  state->caps.ccMajor = major;
  state->caps.ccMinor = minor;
  state->maxDynamicSmemOptin = smem;
  state->name = name;
  state->chip = deviceChipName(major, minor);
  log_.line(formatString("device %d: %s (%s), driver %d, context %p",
                         int(state->device), name, state->chip.c_str(),
                         drv->driverVersion, static_cast<void *>(ctx)));
  states_[n] = std::move(state);
  contexts_[n].store(ctx, std::memory_order_release);
  numStates_.store(n + 1, std::memory_order_release);
  out = states_[n].get();
  return Status::success();
}

Status Runtime::variantKernel(DeviceState &dev, const Variant &v,
                              CUfunction &fn) {
  KernelSlot &slot = dev.variantSlots[v.id];
  if (!slot.done.load(std::memory_order_acquire)) {
    std::lock_guard<std::mutex> guard(slot.mutex);
    if (!slot.done.load(std::memory_order_relaxed)) {
      const CudaDriver &drv = *cudaDriver(nullptr);
      RelaxedCaptureScope relaxed(drv);
      slot.status =
          loadVariantKernel(drv, dev, v, env_.cacheDir, log_, slot, nullptr);
      slot.done.store(true, std::memory_order_release);
    }
  }
  if (!slot.status.ok())
    return slot.status;
  fn = slot.function;
  return Status::success();
}

Status Runtime::referenceKernel(DeviceState &dev, CUfunction &fn) {
  KernelSlot &slot = dev.reference;
  if (!slot.done.load(std::memory_order_acquire)) {
    std::lock_guard<std::mutex> guard(slot.mutex);
    if (!slot.done.load(std::memory_order_relaxed)) {
      const CudaDriver &drv = *cudaDriver(nullptr);
      RelaxedCaptureScope relaxed(drv);
      slot.status = loadReferenceKernel(drv, slot);
      slot.done.store(true, std::memory_order_release);
    }
  }
  if (!slot.status.ok())
    return slot.status;
  fn = slot.function;
  return Status::success();
}

Status Runtime::runReference(DeviceState &dev, const GemmArgs &a,
                             CUstream stream) {
  CUfunction fn = nullptr;
  if (Status s = referenceKernel(dev, fn); !s.ok())
    return s;
  return launchReference(*cudaDriver(nullptr), fn, a, stream);
}

void Runtime::logChoice(Policy policy, const GemmArgs &a, const Selection &s) {
  std::string key = formatString(
      "%d|%lld|%lld|%lld|%lld|%d|%s|%d", int(policy), (long long)a.n,
      (long long)a.k, (long long)s.mLo, (long long)s.mHi, int(s.backend),
      s.variant ? s.variant->name.c_str() : "", int(s.reason));
  if (log_.once(key))
    log_.line("choice: " + Selector::describe(policy, a, s));
}

Status Runtime::linear(const GemmArgs &a, CUstream stream) {
  if (Status s = validateCommonArgs(a); !s.ok())
    return s;
  Policy policy = this->policy();
  DeviceState *dev = nullptr;
  if (Status ds = acquireDevice(dev); !ds.ok()) {
    // Shape and alignment errors of the policy need no GPU and say more
    // than "no device".
    Selection sel;
    Status ss = selector_->select(policy, a, nullptr, sel);
    return ss.ok() ? ds : ss;
  }
  Selection sel;
  if (Status s = selector_->select(policy, a, &dev->caps, sel); !s.ok())
    return s;
  if (log_.enabled())
    logChoice(policy, a, sel);
  if (compiler_ && sel.reason == Reason::NoVariant && policy == Policy::Auto)
    requestCompile(a, *dev);

  const CudaDriver &drv = *cudaDriver(nullptr);
  switch (sel.backend) {
  case Backend::Generated: {
    CUfunction fn = nullptr;
    if (Status s = variantKernel(*dev, *sel.variant, fn); !s.ok())
      return s;
    return launchGenerated(drv, *dev, *sel.variant, fn, a, stream,
                           env_.programmaticLaunch);
  }
  case Backend::CublasLt: {
    bool noAlgorithm = false;
    Status s = dev->cublas->run(a, stream, &noAlgorithm);
    if (!s.ok() && noAlgorithm && policy == Policy::Auto) {
      // auto promises an answer: the reference kernel takes any shape.
      if (log_.enabled()) {
        Selection ref = sel;
        ref.backend = Backend::Reference;
        ref.reason = Reason::NoCublasAlgo;
        logChoice(policy, a, ref);
      }
      return runReference(*dev, a, stream);
    }
    return s;
  }
  case Backend::Reference:
    return runReference(*dev, a, stream);
  }
  return makeError(GEMMRT_ERROR_INTERNAL,
                   "internal error: the selector returned unknown backend %d",
                   int(sel.backend));
}

void Runtime::requestCompile(const GemmArgs &a, const DeviceState &dev) {
  // The compiler targets sm_90a, and TMA needs rows of a multiple of 16
  // bytes; anything else stays with cuBLASLt.
  if (dev.caps.ccMajor != 9 || dev.caps.ccMinor != 0 || a.k % 8 != 0)
    return;
  int64_t lo, hi;
  defaultMBucket(a.m, lo, hi);
  compiler_->request("sm_90a", a.n, a.k, lo, hi);
}

int Runtime::waitBackground(int timeoutMs) {
  return compiler_ ? compiler_->wait(timeoutMs) : 0;
}

Status Runtime::describe(int64_t m, int64_t n, int64_t k,
                         std::string &text) const {
  GemmArgs a;
  a.x = a.y = a.out = uintptr_t(1) << 20; // well aligned, non-null
  a.m = m;
  a.n = n;
  a.k = k;
  a.lda = k;
  a.ldb = k;
  a.ldc = n;
  Status s = validateCommonArgs(a);
  Selection sel;
  if (s.ok())
    s = selector_->select(policy(), a, nullptr, sel);
  if (!s.ok()) {
    text = s.message();
    return s;
  }
  text = Selector::describe(policy(), a, sel);
  return Status::success();
}

Status Runtime::preload() {
  DeviceState *dev = nullptr;
  if (Status s = acquireDevice(dev); !s.ok())
    return s;
  Status first;
  auto keep = [&first](Status s) {
    if (first.ok() && !s.ok())
      first = std::move(s);
  };
  for (const Variant *v : selector_->variants()) {
    if (!chipRunsOn(v->chipInfo, dev->caps.ccMajor, dev->caps.ccMinor))
      continue;
    CUfunction fn;
    keep(variantKernel(*dev, *v, fn));
  }
  CUfunction fn;
  keep(referenceKernel(*dev, fn));
  {
    RelaxedCaptureScope relaxed(*cudaDriver(nullptr));
    keep(dev->cublas->init());
  }
  return first;
}

} // namespace gemmrt::impl
