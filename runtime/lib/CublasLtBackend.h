//===- CublasLtBackend.h - The vendor backend (cuBLASLt) --------*- C++ -*-===//
//
// bf16 x bf16 -> fp32 with CUBLAS_COMPUTE_32F. Row-major out[M,N] = x y^T is
// column-major out^T[N,M] = y x^T: A = y seen column-major as [K, N] (ld =
// ldb) with op T, B = x seen column-major as [K, M] (ld = lda) with op N,
// C = D = out^T [N, M] (ld = ldc). The heuristic runs once per (M, N, K,
// lda, ldb, ldc, pointer alignments, workspace size) and the plan
// (descriptors and algorithm) is kept. Each stream gets its own workspace so
// concurrent streams never share one.
//
//===----------------------------------------------------------------------===//

#ifndef GEMMRT_LIB_CUBLASLTBACKEND_H
#define GEMMRT_LIB_CUBLASLTBACKEND_H

#include "CudaDriver.h"
#include "Selector.h"
#include "Status.h"

#include <cublasLt.h>

#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

namespace gemmrt::impl {

/// The workspace cuBLASLt may use per stream.
constexpr size_t kCublasLtWorkspaceBytes = size_t(32) << 20;

/// Largest power of two (<= 256) that divides `address`.
uint32_t pointerAlignment(uint64_t address);

/// The cuBLASLt problem for a row-major call (the transpose trick above);
/// pure, so it is unit-tested without a GPU.
struct CublasLtProblem {
  cublasOperation_t opA, opB;
  uint64_t aRows, aCols;
  int64_t lda;
  uint64_t bRows, bCols;
  int64_t ldb;
  uint64_t cRows, cCols;
  int64_t ldc;
  bool aIsY; // A is the weight y, B the activation x
};
CublasLtProblem cublasLtProblemFor(const GemmArgs &a);

class CublasLtBackend {
public:
  explicit CublasLtBackend(const CudaDriver &driver) : driver_(driver) {}
  /// The owning device's context must be current.
  ~CublasLtBackend();

  /// Creates the handle once; later calls return the first outcome.
  Status init();

  /// Enqueues the GEMM. *noAlgorithm is set when cuBLASLt has no algorithm
  /// for this problem (the caller may fall back).
  Status run(const GemmArgs &a, CUstream stream, bool *noAlgorithm);

  size_t planCount() const;

private:
  struct PlanKey {
    int64_t m, n, k, lda, ldb, ldc;
    uint32_t alignX, alignY, alignOut;
    uint64_t workspaceBytes;
    bool operator==(const PlanKey &o) const;
  };
  struct PlanKeyHash {
    size_t operator()(const PlanKey &k) const;
  };
  struct Plan {
    cublasLtMatmulDescOpaque_t op;
    cublasLtMatrixLayoutOpaque_t a, b, c;
    cublasLtMatmulAlgo_t algo;
    bool found = false;
    Status error;
  };

  Status workspaceFor(CUstream stream, CUdeviceptr &ptr, size_t &bytes);
  Status makePlan(const PlanKey &key, Plan &plan);

  const CudaDriver &driver_;
  std::mutex initMutex_;
  bool initDone_ = false;
  Status initStatus_;
  cublasLtHandle_t handle_ = nullptr;

  std::shared_mutex workspaceMutex_;
  std::unordered_map<unsigned long long, CUdeviceptr> workspaces_;

  mutable std::shared_mutex planMutex_;
  std::unordered_map<PlanKey, std::unique_ptr<Plan>, PlanKeyHash> plans_;
};

} // namespace gemmrt::impl

#endif // GEMMRT_LIB_CUBLASLTBACKEND_H
