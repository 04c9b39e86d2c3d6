//===- Selector.h - Backend and variant selection (pure, GPU-free) -*- C++ -*-//
//
// Given the policy, a call's shape and operands and (when known) the
// device's compute capability, picks the backend and, for generated
// kernels, the variant. Pure and GPU-free so that every branch of the rules
// in docs/runtime.md has its own unit test; the runtime calls it on every
// call (a hash lookup and a scan of the few variants of one (N, K)).
//
//===----------------------------------------------------------------------===//

#ifndef GEMMRT_LIB_SELECTOR_H
#define GEMMRT_LIB_SELECTOR_H

#include "Manifest.h"
#include "Status.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace gemmrt::impl {

enum class Policy {
  Auto = 0,
  Generated = 1,
  CublasLt = 2,
  Reference = 3,
  BatchInvariant = 4
};
enum class Backend { Generated, CublasLt, Reference };

const char *policyName(Policy p);
const char *backendName(Backend b);

/// One call's operands. Pointers are device addresses; only their values
/// (alignment, null) are looked at here.
struct GemmArgs {
  uintptr_t x = 0, y = 0, out = 0;
  int64_t lda = 0, ldb = 0, ldc = 0;
  int64_t m = 0, n = 0, k = 0;
};

/// Checks every backend relies on, run before any CUDA call: non-null
/// pointers, positive sizes, leading dimensions, element alignment.
Status validateCommonArgs(const GemmArgs &a);

/// The variant's "requires" plus the TMA rules (16-byte base, lda/ldb
/// multiples of 8): GEMMRT_ERROR_MISALIGNED or _UNSUPPORTED_SHAPE naming the
/// operand.
Status checkVariantRequirements(const Variant &v, const GemmArgs &a);

struct DeviceCaps {
  int ccMajor = 0;
  int ccMinor = 0;
};

/// Why a selection was made (for the log and gemmrt_describe_choice).
enum class Reason {
  Policy,            // the policy names one backend
  Tuning,            // tuning.json entry
  CoveringVariant,   // generated variant whose [m_min, m_max] covers M
  NoVariant,         // no variant for (N, K, M): vendor fallback
  RequirementsUnmet, // variants exist but this call's operands break a rule
  DeviceMismatch,    // variants exist but not for this device's chip
  NoCublasAlgo       // cuBLASLt had no algorithm: reference fallback
};

struct Selection {
  Backend backend = Backend::CublasLt;
  const Variant *variant = nullptr;    // backend == Generated
  const TuningEntry *tuning = nullptr; // the entry applied, if any
  Reason reason = Reason::Policy;
  int64_t mLo = 1, mHi = kMaxDim; // the M bucket this choice is for
};

class Selector {
public:
  /// Indexes the variants and tuning entries of `bundles` (in order: the
  /// first bundle wins ties) and numbers the variants (Variant::id).
  explicit Selector(const std::vector<Bundle *> &bundles);

  /// `device` null: the device is not known yet; chip checks are skipped.
  Status select(Policy policy, const GemmArgs &a, const DeviceCaps *device,
                Selection &out) const;

  const std::vector<const Variant *> &variants() const { return variants_; }

  /// "backend=generated variant=... M=[1,64] reason=..." for logs.
  static std::string describe(Policy policy, const GemmArgs &a,
                              const Selection &s);

private:
  struct ShapeEntry {
    std::vector<const Variant *> variants;
    std::vector<const TuningEntry *> tunings;
  };
  static uint64_t shapeKey(int64_t n, int64_t k) {
    return (uint64_t(n) << 32) | uint64_t(k);
  }
  const ShapeEntry *find(int64_t n, int64_t k) const;
  Status selectGenerated(const GemmArgs &a, const DeviceCaps *device,
                         Selection &out) const;
  Status selectBatchInvariant(const GemmArgs &a, const DeviceCaps *device,
                              Selection &out) const;
  void selectAuto(const GemmArgs &a, const DeviceCaps *device,
                  Selection &out) const;
  std::string coverageSummary(int64_t n, int64_t k) const;

  std::vector<const Variant *> variants_;
  std::unordered_map<uint64_t, ShapeEntry> shapes_;
};

} // namespace gemmrt::impl

#endif // GEMMRT_LIB_SELECTOR_H
