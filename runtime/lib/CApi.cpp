//===- CApi.cpp - The extern "C" entry points -----------------------------===//
//
// Thin: convert arguments, call the Runtime, record the message for
// gemmrt_last_error(). No exception crosses the C boundary.
//
//===----------------------------------------------------------------------===//

#include "gemmrt/gemmrt.h"

#include "CudaDriver.h"
#include "Guard.h"
#include "Runtime.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

using namespace gemmrt::impl;

struct gemmrt_runtime {
  std::unique_ptr<Runtime> impl;
};

namespace {

Status nullRuntime(const char *fn) {
  return makeError(GEMMRT_ERROR_INVALID_ARGUMENT, "%s: rt is NULL", fn);
}

} // namespace

extern "C" {

gemmrt_status gemmrt_create(gemmrt_runtime **rt,
                            const char *const *bundle_paths, int num_bundles) {
  return guarded("gemmrt_create", [&] {
    if (!rt)
      return finish(Status(GEMMRT_ERROR_INVALID_ARGUMENT,
                           "gemmrt_create: rt (the output pointer) is NULL"));
    *rt = nullptr;
    if (num_bundles < 0)
      return finish(makeError(GEMMRT_ERROR_INVALID_ARGUMENT,
                              "gemmrt_create: num_bundles=%d is negative",
                              num_bundles));
    if (num_bundles > 0 && !bundle_paths)
      return finish(makeError(GEMMRT_ERROR_INVALID_ARGUMENT,
                              "gemmrt_create: bundle_paths is NULL but "
                              "num_bundles=%d",
                              num_bundles));
    std::vector<std::string> dirs;
    for (int i = 0; i < num_bundles; ++i) {
      if (!bundle_paths[i])
        return finish(makeError(GEMMRT_ERROR_INVALID_ARGUMENT,
                                "gemmrt_create: bundle_paths[%d] is NULL", i));
      dirs.emplace_back(bundle_paths[i]);
    }
    EnvConfig env;
    if (Status s =
            readEnvConfig([](const char *n) { return std::getenv(n); }, env);
        !s.ok())
      return finish(s);
    std::unique_ptr<Runtime> impl;
    if (Status s = Runtime::create(dirs, env, impl); !s.ok())
      return finish(s);
    *rt = new gemmrt_runtime{std::move(impl)};
    return finish(Status::success());
  });
}

void gemmrt_destroy(gemmrt_runtime *rt) {
  try {
    delete rt;
  } catch (...) {
  }
}

gemmrt_status gemmrt_linear_bf16_fp32(gemmrt_runtime *rt, const void *x,
                                      int64_t lda, const void *y, int64_t ldb,
                                      float *out, int64_t ldc, int64_t M,
                                      int64_t N, int64_t K,
                                      gemmrt_stream stream) {
  return guarded("gemmrt_linear_bf16_fp32", [&] {
    if (!rt)
      return finish(nullRuntime("gemmrt_linear_bf16_fp32"));
    GemmArgs a;
    a.x = reinterpret_cast<uintptr_t>(x);
    a.y = reinterpret_cast<uintptr_t>(y);
    a.out = reinterpret_cast<uintptr_t>(out);
    a.lda = lda;
    a.ldb = ldb;
    a.ldc = ldc;
    a.m = M;
    a.n = N;
    a.k = K;
    return finish(rt->impl->linear(a, reinterpret_cast<CUstream>(stream)));
  });
}

gemmrt_status gemmrt_set_backend_policy(gemmrt_runtime *rt,
                                        gemmrt_policy policy) {
  return guarded("gemmrt_set_backend_policy", [&] {
    if (!rt)
      return finish(nullRuntime("gemmrt_set_backend_policy"));
    switch (policy) {
    case GEMMRT_POLICY_AUTO:
    case GEMMRT_POLICY_GENERATED:
    case GEMMRT_POLICY_CUBLASLT:
    case GEMMRT_POLICY_REFERENCE:
    case GEMMRT_POLICY_BATCH_INVARIANT:
      rt->impl->setPolicy(Policy(int(policy)));
      return finish(Status::success());
    case GEMMRT_POLICY_MAX_ENUM:
      break;
    }
    return finish(makeError(GEMMRT_ERROR_INVALID_ARGUMENT,
                            "gemmrt_set_backend_policy: unknown policy %d",
                            int(policy)));
  });
}

gemmrt_status gemmrt_get_backend_policy(const gemmrt_runtime *rt,
                                        gemmrt_policy *policy) {
  return guarded("gemmrt_get_backend_policy", [&] {
    if (!rt)
      return finish(nullRuntime("gemmrt_get_backend_policy"));
    if (!policy)
      return finish(Status(GEMMRT_ERROR_INVALID_ARGUMENT,
                           "gemmrt_get_backend_policy: policy is NULL"));
    *policy = gemmrt_policy(int(rt->impl->policy()));
    return finish(Status::success());
  });
}

gemmrt_status gemmrt_describe_choice(const gemmrt_runtime *rt, int64_t M,
                                     int64_t N, int64_t K, char *buf,
                                     size_t len) {
  return guarded("gemmrt_describe_choice", [&] {
    if (!rt)
      return finish(nullRuntime("gemmrt_describe_choice"));
    if (!buf || len == 0)
      return finish(Status(GEMMRT_ERROR_INVALID_ARGUMENT,
                           "gemmrt_describe_choice: buf is NULL or len is 0"));
    std::string text;
    Status s = rt->impl->describe(M, N, K, text);
    size_t n = std::min(text.size(), len - 1);
    std::memcpy(buf, text.data(), n);
    buf[n] = '\0';
    return finish(s);
  });
}

gemmrt_status gemmrt_preload(gemmrt_runtime *rt) {
  return guarded("gemmrt_preload", [&] {
    if (!rt)
      return finish(nullRuntime("gemmrt_preload"));
    return finish(rt->impl->preload());
  });
}

gemmrt_status gemmrt_wait_background(gemmrt_runtime *rt, int timeout_ms,
                                     int *pending) {
  return guarded("gemmrt_wait_background", [&] {
    if (pending)
      *pending = 0;
    if (!rt)
      return finish(nullRuntime("gemmrt_wait_background"));
    int left = rt->impl->waitBackground(timeout_ms);
    if (pending)
      *pending = left;
    return finish(Status::success());
  });
}

gemmrt_status gemmrt_device_count(int *count) {
  return guarded("gemmrt_device_count", [&] {
    if (count)
      *count = 0;
    Status s;
    const CudaDriver *drv = cudaDriver(&s);
    if (!drv)
      return finish(s);
    if (count)
      *count = drv->deviceCount;
    return finish(Status::success());
  });
}

const char *gemmrt_last_error(void) { return lastErrorMessage(); }

const char *gemmrt_status_string(gemmrt_status status) {
  switch (status) {
  case GEMMRT_OK:
    return "GEMMRT_OK";
  case GEMMRT_ERROR_INVALID_ARGUMENT:
    return "GEMMRT_ERROR_INVALID_ARGUMENT";
  case GEMMRT_ERROR_MISALIGNED:
    return "GEMMRT_ERROR_MISALIGNED";
  case GEMMRT_ERROR_UNSUPPORTED_SHAPE:
    return "GEMMRT_ERROR_UNSUPPORTED_SHAPE";
  case GEMMRT_ERROR_NO_DEVICE:
    return "GEMMRT_ERROR_NO_DEVICE";
  case GEMMRT_ERROR_UNSUPPORTED_DEVICE:
    return "GEMMRT_ERROR_UNSUPPORTED_DEVICE";
  case GEMMRT_ERROR_BUNDLE:
    return "GEMMRT_ERROR_BUNDLE";
  case GEMMRT_ERROR_CUDA:
    return "GEMMRT_ERROR_CUDA";
  case GEMMRT_ERROR_CUBLAS:
    return "GEMMRT_ERROR_CUBLAS";
  case GEMMRT_ERROR_CACHE:
    return "GEMMRT_ERROR_CACHE";
  case GEMMRT_ERROR_INTERNAL:
    return "GEMMRT_ERROR_INTERNAL";
  case GEMMRT_STATUS_MAX_ENUM:
    break;
  }
  return "unknown gemmrt_status";
}

const char *gemmrt_policy_string(gemmrt_policy policy) {
  switch (policy) {
  case GEMMRT_POLICY_AUTO:
  case GEMMRT_POLICY_GENERATED:
  case GEMMRT_POLICY_CUBLASLT:
  case GEMMRT_POLICY_REFERENCE:
  case GEMMRT_POLICY_BATCH_INVARIANT:
    return policyName(Policy(int(policy)));
  case GEMMRT_POLICY_MAX_ENUM:
    break;
  }
  return nullptr;
}

#define GEMMRT_STRINGIFY2(x) #x
#define GEMMRT_STRINGIFY(x) GEMMRT_STRINGIFY2(x)

const char *gemmrt_version(void) {
  return GEMMRT_STRINGIFY(GEMMRT_VERSION_MAJOR) "." GEMMRT_STRINGIFY(
      GEMMRT_VERSION_MINOR) "." GEMMRT_STRINGIFY(GEMMRT_VERSION_PATCH);
}

} // extern "C"
