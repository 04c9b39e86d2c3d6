//===- CublasLtBackend.cpp - The vendor backend (cuBLASLt) ---------------===//

#include "CublasLtBackend.h"

#include <functional>
#include <thread>

#include <cstring>

namespace gemmrt::impl {

uint32_t pointerAlignment(uint64_t address) {
  uint32_t align = 1;
  while (align < 256 && address % (uint64_t(align) * 2) == 0)
    align *= 2;
  return align;
}

CublasLtProblem cublasLtProblemFor(const GemmArgs &a) {
  CublasLtProblem p;
  p.opA = CUBLAS_OP_T; // y is [N, K] row-major = [K, N] column-major
  p.opB = CUBLAS_OP_N; // x is [M, K] row-major = [K, M] column-major
  p.aRows = uint64_t(a.k);
  p.aCols = uint64_t(a.n);
  p.lda = a.ldb;
  p.bRows = uint64_t(a.k);
  p.bCols = uint64_t(a.m);
  p.ldb = a.lda;
  p.cRows = uint64_t(a.n); // out is [M, N] row-major = [N, M] column-major
  p.cCols = uint64_t(a.m);
  p.ldc = a.ldc;
  p.aIsY = true;
  return p;
}

bool CublasLtBackend::PlanKey::operator==(const PlanKey &o) const {
  return m == o.m && n == o.n && k == o.k && lda == o.lda && ldb == o.ldb &&
         ldc == o.ldc && alignX == o.alignX && alignY == o.alignY &&
         alignOut == o.alignOut && workspaceBytes == o.workspaceBytes;
}

size_t CublasLtBackend::PlanKeyHash::operator()(const PlanKey &k) const {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&h](uint64_t v) {
    h ^= v;
    h *= 1099511628211ull;
  };
  mix(uint64_t(k.m));
  mix(uint64_t(k.n));
  mix(uint64_t(k.k));
  mix(uint64_t(k.lda));
  mix(uint64_t(k.ldb));
  mix(uint64_t(k.ldc));
  mix((uint64_t(k.alignX) << 32) | (uint64_t(k.alignY) << 16) | k.alignOut);
  mix(k.workspaceBytes);
  return size_t(h);
}

static Status cublasError(cublasStatus_t s, const std::string &what) {
  return makeError(GEMMRT_ERROR_CUBLAS, "%s failed: %s (%d)", what.c_str(),
                   cublasLtGetStatusName(s), int(s));
}

CublasLtBackend::~CublasLtBackend() {
  for (auto &[id, ptr] : workspaces_)
    driver_.cuMemFree(ptr);
  if (handle_)
    cublasLtDestroy(handle_);
}

Status CublasLtBackend::init() {
  std::lock_guard<std::mutex> guard(initMutex_);
  if (!initDone_) {
    RelaxedCaptureScope relaxed(driver_); // a first call may be captured
    cublasStatus_t s = cublasLtCreate(&handle_);
    if (s != CUBLAS_STATUS_SUCCESS) {
      handle_ = nullptr;
      initStatus_ = cublasError(s, "cublasLtCreate");
    }
    initDone_ = true;
  }
  return initStatus_;
}

size_t CublasLtBackend::planCount() const {
  std::shared_lock<std::shared_mutex> lock(planMutex_);
  return plans_.size();
}

Status CublasLtBackend::workspaceFor(CUstream stream, CUdeviceptr &ptr,
                                     size_t &bytes) {
  // Keyed by the stream handle: cuStreamGetId is refused on a capturing
  // stream in every capture mode, and a call under graph capture must work.
  // Work on one stream is serialized, so its calls may share a workspace;
  // the per-thread default stream is one handle for many streams, so it is
  // keyed per thread as well. (A handle reused after cuStreamDestroy while
  // the old stream still has work queued could share a workspace with it:
  // destroy streams after synchronizing them.)
  unsigned long long id = reinterpret_cast<uintptr_t>(stream);
  if (stream == CU_STREAM_PER_THREAD)
    id ^= (std::hash<std::thread::id>()(std::this_thread::get_id()) |
           (1ull << 63));
  {
    std::shared_lock<std::shared_mutex> lock(workspaceMutex_);
    auto it = workspaces_.find(id);
    if (it != workspaces_.end()) {
      ptr = it->second;
      bytes = ptr ? kCublasLtWorkspaceBytes : 0;
      return Status::success();
    }
  }
  // First call on this stream: allocate (allowed even inside a capture, in
  // relaxed mode). Without memory, run without a workspace rather than fail.
  CUdeviceptr fresh = 0;
  {
    RelaxedCaptureScope relaxed(driver_);
    if (driver_.cuMemAlloc(&fresh, kCublasLtWorkspaceBytes) != CUDA_SUCCESS)
      fresh = 0;
  }
  std::unique_lock<std::shared_mutex> lock(workspaceMutex_);
  auto [it, inserted] = workspaces_.emplace(id, fresh);
  if (!inserted && fresh)
    driver_.cuMemFree(fresh); // another thread won the race
  ptr = it->second;
  bytes = ptr ? kCublasLtWorkspaceBytes : 0;
  return Status::success();
}

Status CublasLtBackend::makePlan(const PlanKey &key, Plan &plan) {
  GemmArgs a;
  a.m = key.m;
  a.n = key.n;
  a.k = key.k;
  a.lda = key.lda;
  a.ldb = key.ldb;
  a.ldc = key.ldc;
  CublasLtProblem p = cublasLtProblemFor(a);
  std::string shape =
      formatString("cuBLASLt M=%lld N=%lld K=%lld lda=%lld ldb=%lld ldc=%lld",
                   (long long)key.m, (long long)key.n, (long long)key.k,
                   (long long)key.lda, (long long)key.ldb, (long long)key.ldc);

  cublasStatus_t s =
      cublasLtMatmulDescInit(&plan.op, CUBLAS_COMPUTE_32F, CUDA_R_32F);
  if (s != CUBLAS_STATUS_SUCCESS)
    return cublasError(s, "cublasLtMatmulDescInit (" + shape + ")");
  s = cublasLtMatmulDescSetAttribute(&plan.op, CUBLASLT_MATMUL_DESC_TRANSA,
                                     &p.opA, sizeof(p.opA));
  if (s == CUBLAS_STATUS_SUCCESS)
    s = cublasLtMatmulDescSetAttribute(&plan.op, CUBLASLT_MATMUL_DESC_TRANSB,
                                       &p.opB, sizeof(p.opB));
  if (s != CUBLAS_STATUS_SUCCESS)
    return cublasError(s, "cublasLtMatmulDescSetAttribute (" + shape + ")");
  s = cublasLtMatrixLayoutInit(&plan.a, CUDA_R_16BF, p.aRows, p.aCols, p.lda);
  if (s == CUBLAS_STATUS_SUCCESS)
    s = cublasLtMatrixLayoutInit(&plan.b, CUDA_R_16BF, p.bRows, p.bCols, p.ldb);
  if (s == CUBLAS_STATUS_SUCCESS)
    s = cublasLtMatrixLayoutInit(&plan.c, CUDA_R_32F, p.cRows, p.cCols, p.ldc);
  if (s != CUBLAS_STATUS_SUCCESS)
    return cublasError(s, "cublasLtMatrixLayoutInit (" + shape + ")");

  cublasLtMatmulPreferenceOpaque_t pref;
  s = cublasLtMatmulPreferenceInit(&pref);
  uint64_t workspace = key.workspaceBytes;
  // A is y, B is x, C and D are out.
  uint32_t alignA = key.alignY, alignB = key.alignX, alignC = key.alignOut;
  if (s == CUBLAS_STATUS_SUCCESS)
    s = cublasLtMatmulPreferenceSetAttribute(
        &pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &workspace,
        sizeof(workspace));
  if (s == CUBLAS_STATUS_SUCCESS)
    s = cublasLtMatmulPreferenceSetAttribute(
        &pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES, &alignA,
        sizeof(alignA));
  if (s == CUBLAS_STATUS_SUCCESS)
    s = cublasLtMatmulPreferenceSetAttribute(
        &pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES, &alignB,
        sizeof(alignB));
  if (s == CUBLAS_STATUS_SUCCESS)
    s = cublasLtMatmulPreferenceSetAttribute(
        &pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES, &alignC,
        sizeof(alignC));
  if (s == CUBLAS_STATUS_SUCCESS)
    s = cublasLtMatmulPreferenceSetAttribute(
        &pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES, &alignC,
        sizeof(alignC));
  if (s != CUBLAS_STATUS_SUCCESS)
    return cublasError(s, "cublasLtMatmulPreference (" + shape + ")");

  cublasLtMatmulHeuristicResult_t result;
  std::memset(&result, 0, sizeof(result));
  int found = 0;
  s = cublasLtMatmulAlgoGetHeuristic(handle_, &plan.op, &plan.a, &plan.b,
                                     &plan.c, &plan.c, &pref, 1, &result,
                                     &found);
  if (s != CUBLAS_STATUS_SUCCESS || found == 0) {
    plan.found = false;
    plan.error = makeError(
        GEMMRT_ERROR_CUBLAS,
        "cublasLtMatmulAlgoGetHeuristic found no algorithm for %s "
        "(alignments x %u, y %u, out %u bytes, workspace %llu bytes): %s",
        shape.c_str(), key.alignX, key.alignY, key.alignOut,
        (unsigned long long)key.workspaceBytes,
        s == CUBLAS_STATUS_SUCCESS ? "no result" : cublasLtGetStatusName(s));
    return Status::success();
  }
  plan.algo = result.algo;
  plan.found = true;
  return Status::success();
}

Status CublasLtBackend::run(const GemmArgs &a, CUstream stream,
                            bool *noAlgorithm) {
  if (noAlgorithm)
    *noAlgorithm = false;
  if (Status s = init(); !s.ok())
    return s;
  CUdeviceptr workspace = 0;
  size_t workspaceBytes = 0;
  if (Status s = workspaceFor(stream, workspace, workspaceBytes); !s.ok())
    return s;

  PlanKey key{a.m,
              a.n,
              a.k,
              a.lda,
              a.ldb,
              a.ldc,
              pointerAlignment(a.x),
              pointerAlignment(a.y),
              pointerAlignment(a.out),
              workspaceBytes};
  const Plan *plan = nullptr;
  {
    std::shared_lock<std::shared_mutex> lock(planMutex_);
    auto it = plans_.find(key);
    if (it != plans_.end())
      plan = it->second.get();
  }
  if (!plan) {
    auto fresh = std::make_unique<Plan>();
    if (Status s = makePlan(key, *fresh); !s.ok())
      return s;
    std::unique_lock<std::shared_mutex> lock(planMutex_);
    auto [it, inserted] = plans_.emplace(key, std::move(fresh));
    plan = it->second.get();
  }
  if (!plan->found) {
    if (noAlgorithm)
      *noAlgorithm = true;
    return plan->error;
  }

  const float alpha = 1.0f, beta = 0.0f;
  // The descriptors are only read by cublasLtMatmul.
  Plan *p = const_cast<Plan *>(plan);
  cublasStatus_t s = cublasLtMatmul(
      handle_, &p->op, &alpha, reinterpret_cast<const void *>(a.y), &p->a,
      reinterpret_cast<const void *>(a.x), &p->b, &beta,
      reinterpret_cast<const void *>(a.out), &p->c,
      reinterpret_cast<void *>(a.out), &p->c, &p->algo,
      reinterpret_cast<void *>(workspace), workspaceBytes,
      reinterpret_cast<cudaStream_t>(stream));
  if (s != CUBLAS_STATUS_SUCCESS)
    return cublasError(s, formatString("cublasLtMatmul (M=%lld N=%lld K=%lld)",
                                       (long long)a.m, (long long)a.n,
                                       (long long)a.k));
  return Status::success();
}

} // namespace gemmrt::impl
