//===- Selector.cpp - Backend and variant selection (pure, GPU-free) -----===//

#include "Selector.h"

#include <algorithm>
#include <set>

namespace gemmrt::impl {

const char *policyName(Policy p) {
  switch (p) {
  case Policy::Auto:
    return "auto";
  case Policy::Generated:
    return "generated";
  case Policy::CublasLt:
    return "cublaslt";
  case Policy::Reference:
    return "reference";
  case Policy::BatchInvariant:
    return "batch_invariant";
  }
  return "?";
}

const char *backendName(Backend b) {
  switch (b) {
  case Backend::Generated:
    return "generated";
  case Backend::CublasLt:
    return "cublaslt";
  case Backend::Reference:
    return "reference";
  }
  return "?";
}

//===----------------------------------------------------------------------===//
// Argument checks
//===----------------------------------------------------------------------===//

// Leading dimensions beyond this would overflow byte offsets long before
// they could describe real memory.
static constexpr int64_t kMaxLeadingDim = int64_t(1) << 40;

Status validateCommonArgs(const GemmArgs &a) {
  const std::pair<const char *, int64_t> dims[] = {
      {"M", a.m}, {"N", a.n}, {"K", a.k}};
  for (const auto &[name, value] : dims) {
    if (value <= 0)
      return makeError(GEMMRT_ERROR_INVALID_ARGUMENT,
                       "%s=%lld: must be positive", name, (long long)value);
    if (value > kMaxDim)
      return makeError(GEMMRT_ERROR_UNSUPPORTED_SHAPE,
                       "%s=%lld: larger than %lld is not supported", name,
                       (long long)value, (long long)kMaxDim);
  }
  const std::pair<const char *, uintptr_t> ptrs[] = {
      {"x", a.x}, {"y", a.y}, {"out", a.out}};
  for (const auto &[name, value] : ptrs)
    if (value == 0)
      return makeError(GEMMRT_ERROR_INVALID_ARGUMENT, "%s is NULL", name);
  if (a.lda < a.k)
    return makeError(GEMMRT_ERROR_INVALID_ARGUMENT,
                     "lda=%lld < K=%lld (x is [M, K] row-major with row "
                     "stride lda)",
                     (long long)a.lda, (long long)a.k);
  if (a.ldb < a.k)
    return makeError(GEMMRT_ERROR_INVALID_ARGUMENT,
                     "ldb=%lld < K=%lld (y is [N, K] row-major with row "
                     "stride ldb)",
                     (long long)a.ldb, (long long)a.k);
  if (a.ldc < a.n)
    return makeError(GEMMRT_ERROR_INVALID_ARGUMENT,
                     "ldc=%lld < N=%lld (out is [M, N] row-major with row "
                     "stride ldc)",
                     (long long)a.ldc, (long long)a.n);
  const std::pair<const char *, int64_t> lds[] = {
      {"lda", a.lda}, {"ldb", a.ldb}, {"ldc", a.ldc}};
  for (const auto &[name, value] : lds)
    if (value > kMaxLeadingDim)
      return makeError(GEMMRT_ERROR_INVALID_ARGUMENT,
                       "%s=%lld is larger than 2^40", name, (long long)value);
  if (a.x % 2 != 0)
    return makeError(GEMMRT_ERROR_MISALIGNED,
                     "x=%#llx is not 2-byte aligned (bf16 elements)",
                     (unsigned long long)a.x);
  if (a.y % 2 != 0)
    return makeError(GEMMRT_ERROR_MISALIGNED,
                     "y=%#llx is not 2-byte aligned (bf16 elements)",
                     (unsigned long long)a.y);
  if (a.out % 4 != 0)
    return makeError(GEMMRT_ERROR_MISALIGNED,
                     "out=%#llx is not 4-byte aligned (fp32 elements)",
                     (unsigned long long)a.out);
  return Status::success();
}

// TMA: global base addresses 16-byte aligned, row strides multiples of 16
// bytes (8 bf16), whatever the manifest says.
static constexpr int64_t kTmaAlignBytes = 16;
static constexpr int64_t kTmaLdMultiple = 8;

static bool meetsRequirements(const Variant &v, const GemmArgs &a) {
  const Requirements &q = v.reqs;
  return a.k % q.kMultiple == 0 &&
         a.x % uint64_t(std::max(q.xAlignBytes, kTmaAlignBytes)) == 0 &&
         a.y % uint64_t(std::max(q.yAlignBytes, kTmaAlignBytes)) == 0 &&
         a.out % uint64_t(q.outAlignBytes) == 0 &&
         a.lda % kTmaLdMultiple == 0 && a.ldb % kTmaLdMultiple == 0 &&
         a.ldc % q.ldcMultiple == 0;
}

Status checkVariantRequirements(const Variant &v, const GemmArgs &a) {
  const Requirements &q = v.reqs;
  const char *name = v.name.c_str();
  if (a.k % q.kMultiple != 0)
    return makeError(GEMMRT_ERROR_UNSUPPORTED_SHAPE,
                     "K=%lld is not a multiple of %lld (k_multiple of "
                     "variant %s)",
                     (long long)a.k, (long long)q.kMultiple, name);
  const struct {
    const char *what;
    uint64_t value;
    int64_t align;
  } ptrs[] = {{"x", a.x, std::max(q.xAlignBytes, kTmaAlignBytes)},
              {"y", a.y, std::max(q.yAlignBytes, kTmaAlignBytes)},
              {"out", a.out, q.outAlignBytes}};
  for (const auto &p : ptrs)
    if (p.value % uint64_t(p.align) != 0)
      return makeError(GEMMRT_ERROR_MISALIGNED,
                       "%s=%#llx is not %lld-byte aligned (required by "
                       "generated variant %s)",
                       p.what, (unsigned long long)p.value, (long long)p.align,
                       name);
  if (a.lda % kTmaLdMultiple != 0)
    return makeError(GEMMRT_ERROR_MISALIGNED,
                     "lda=%lld is not a multiple of 8 elements (TMA row "
                     "stride must be a multiple of 16 bytes; variant %s)",
                     (long long)a.lda, name);
  if (a.ldb % kTmaLdMultiple != 0)
    return makeError(GEMMRT_ERROR_MISALIGNED,
                     "ldb=%lld is not a multiple of 8 elements (TMA row "
                     "stride must be a multiple of 16 bytes; variant %s)",
                     (long long)a.ldb, name);
  if (a.ldc % q.ldcMultiple != 0)
    return makeError(GEMMRT_ERROR_MISALIGNED,
                     "ldc=%lld is not a multiple of %lld (ldc_multiple of "
                     "variant %s)",
                     (long long)a.ldc, (long long)q.ldcMultiple, name);
  return Status::success();
}

//===----------------------------------------------------------------------===//
// Selector
//===----------------------------------------------------------------------===//

Selector::Selector(const std::vector<Bundle *> &bundles) {
  for (Bundle *b : bundles) {
    for (Variant &v : b->variants) {
      v.id = variants_.size();
      variants_.push_back(&v);
      shapes_[shapeKey(v.n, v.k)].variants.push_back(&v);
    }
    if (b->hasTuning)
      for (const TuningEntry &e : b->tuning.entries)
        shapes_[shapeKey(e.n, e.k)].tunings.push_back(&e);
  }
}

const Selector::ShapeEntry *Selector::find(int64_t n, int64_t k) const {
  auto it = shapes_.find(shapeKey(n, k));
  return it == shapes_.end() ? nullptr : &it->second;
}

static bool deviceRuns(const Variant &v, const DeviceCaps *device) {
  return !device || chipRunsOn(v.chipInfo, device->ccMajor, device->ccMinor);
}

static bool deviceRuns(const Bundle &b, const DeviceCaps *device) {
  return !device || chipRunsOn(b.chipInfo, device->ccMajor, device->ccMinor);
}

/// The largest range around M that no variant of `e` touches: the bucket of
/// a vendor fallback.
static void uncoveredBucket(const std::vector<const Variant *> &variants,
                            int64_t m, int64_t &lo, int64_t &hi) {
  lo = 1;
  hi = kMaxDim;
  for (const Variant *v : variants) {
    if (v->mMax < m)
      lo = std::max(lo, v->mMax + 1);
    if (v->mMin > m)
      hi = std::min(hi, v->mMin - 1);
  }
}

std::string Selector::coverageSummary(int64_t n, int64_t k) const {
  if (const ShapeEntry *e = find(n, k); e && !e->variants.empty()) {
    std::string s = formatString("the variants for N=%lld K=%lld serve M in",
                                 (long long)n, (long long)k);
    for (const Variant *v : e->variants)
      s += formatString(" [%lld,%lld]", (long long)v->mMin, (long long)v->mMax);
    return s;
  }
  if (variants_.empty())
    return "no bundle with variants was loaded";
  std::set<std::pair<int64_t, int64_t>> shapes;
  for (const Variant *v : variants_)
    shapes.insert({v->n, v->k});
  std::string s = formatString("no variant has N=%lld K=%lld; bundle "
                               "shapes (NxK):",
                               (long long)n, (long long)k);
  size_t shown = 0;
  for (const auto &[vn, vk] : shapes) {
    if (shown++ == 12) {
      s += " ...";
      break;
    }
    s += formatString(" %lldx%lld", (long long)vn, (long long)vk);
  }
  return s;
}

Status Selector::select(Policy policy, const GemmArgs &a,
                        const DeviceCaps *device, Selection &out) const {
  out = Selection();
  switch (policy) {
  case Policy::Reference:
    out.backend = Backend::Reference;
    return Status::success();
  case Policy::CublasLt:
    out.backend = Backend::CublasLt;
    return Status::success();
  case Policy::Generated:
    return selectGenerated(a, device, out);
  case Policy::Auto:
    selectAuto(a, device, out);
    return Status::success();
  case Policy::BatchInvariant:
    return selectBatchInvariant(a, device, out);
  }
  return makeError(GEMMRT_ERROR_INTERNAL, "unknown policy %d", int(policy));
}

Status Selector::selectBatchInvariant(const GemmArgs &a,
                                      const DeviceCaps *device,
                                      Selection &out) const {
  // One kernel for every M of (N, K): the variant starting at M=1 with the
  // widest range (gemm-compile --m-buckets 1- gives one up to the most rows
  // a grid can hold), chosen without looking at M or the operands, so a
  // row's reduction order depends on nothing but K.
  const ShapeEntry *e = a.k % 8 == 0 ? find(a.n, a.k) : nullptr;
  const Variant *widest = nullptr, *widestAnyChip = nullptr;
  if (e)
    for (const Variant *v : e->variants) {
      if (v->mMin != 1)
        continue;
      if (!widestAnyChip || v->mMax > widestAnyChip->mMax)
        widestAnyChip = v;
      if (deviceRuns(*v, device) && (!widest || v->mMax > widest->mMax))
        widest = v;
    }
  if (!widestAnyChip)
    return makeError(GEMMRT_ERROR_UNSUPPORTED_SHAPE,
                     "policy 'batch_invariant': no bundle variant of N=%lld "
                     "K=%lld starts at M=1%s (%s); compile one for every M "
                     "with gemm-compile --m-buckets 1-",
                     (long long)a.n, (long long)a.k,
                     a.k % 8 ? ", and K must be a multiple of 8" : "",
                     coverageSummary(a.n, a.k).c_str());
  if (!widest)
    return makeError(GEMMRT_ERROR_UNSUPPORTED_DEVICE,
                     "policy 'batch_invariant': the device is %s (compute "
                     "capability %d.%d) but the variant for N=%lld K=%lld "
                     "is built for %s (%s)",
                     deviceChipName(device->ccMajor, device->ccMinor).c_str(),
                     device->ccMajor, device->ccMinor, (long long)a.n,
                     (long long)a.k, widestAnyChip->chip.c_str(),
                     widestAnyChip->name.c_str());
  if (!widest->covers(a.m))
    return makeError(GEMMRT_ERROR_UNSUPPORTED_SHAPE,
                     "policy 'batch_invariant': M=%lld is above the M range "
                     "[1, %lld] of %s, the variant that serves every M of "
                     "N=%lld K=%lld; compile one for every M with "
                     "gemm-compile --m-buckets 1-",
                     (long long)a.m, (long long)widest->mMax,
                     widest->name.c_str(), (long long)a.n, (long long)a.k);
  if (Status s = checkVariantRequirements(*widest, a); !s.ok())
    return s.prefix("policy 'batch_invariant': ");
  out.backend = Backend::Generated;
  out.variant = widest;
  out.reason = Reason::Policy;
  out.mLo = 1;
  out.mHi = widest->mMax;
  return Status::success();
}

Status Selector::selectGenerated(const GemmArgs &a, const DeviceCaps *device,
                                 Selection &out) const {
  if (a.k % 8 != 0)
    return makeError(GEMMRT_ERROR_UNSUPPORTED_SHAPE,
                     "policy 'generated': K=%lld is not a multiple of 8 (TMA "
                     "row strides must be multiples of 16 bytes); use policy "
                     "auto, cublaslt or reference for this shape",
                     (long long)a.k);
  const ShapeEntry *e = find(a.n, a.k);
  // Candidates in preference order: the variant a tuning entry names for
  // this bucket, then every covering variant in bundle order.
  const Variant *candidates[16];
  const TuningEntry *tuningOf[16];
  size_t count = 0;
  if (e) {
    for (const TuningEntry *t : e->tunings)
      if (t->covers(a.m) && t->backend == TunedBackend::Generated &&
          count < 16) {
        candidates[count] = t->variant;
        tuningOf[count++] = t;
      }
    for (const Variant *v : e->variants)
      if (v->covers(a.m) && count < 16) {
        candidates[count] = v;
        tuningOf[count++] = nullptr;
      }
  }
  if (count == 0)
    return makeError(GEMMRT_ERROR_UNSUPPORTED_SHAPE,
                     "policy 'generated': no bundle variant covers M=%lld "
                     "N=%lld K=%lld (%s); use policy auto to fall back to "
                     "cuBLASLt",
                     (long long)a.m, (long long)a.n, (long long)a.k,
                     coverageSummary(a.n, a.k).c_str());

  const Variant *firstRunnable = nullptr;
  for (size_t i = 0; i < count; ++i) {
    const Variant *v = candidates[i];
    if (!deviceRuns(*v, device))
      continue;
    if (!firstRunnable)
      firstRunnable = v;
    if (!meetsRequirements(*v, a))
      continue;
    out.backend = Backend::Generated;
    out.variant = v;
    out.tuning = tuningOf[i];
    out.reason = tuningOf[i] ? Reason::Tuning : Reason::Policy;
    out.mLo = v->mMin;
    out.mHi = v->mMax;
    if (tuningOf[i]) {
      out.mLo = std::max(out.mLo, tuningOf[i]->mMin);
      out.mHi = std::min(out.mHi, tuningOf[i]->mMax);
    }
    return Status::success();
  }
  if (!firstRunnable)
    return makeError(GEMMRT_ERROR_UNSUPPORTED_DEVICE,
                     "policy 'generated': the device is %s (compute "
                     "capability %d.%d) but the variants covering M=%lld "
                     "N=%lld K=%lld are built for %s (e.g. %s)",
                     deviceChipName(device->ccMajor, device->ccMinor).c_str(),
                     device->ccMajor, device->ccMinor, (long long)a.m,
                     (long long)a.n, (long long)a.k,
                     candidates[0]->chip.c_str(), candidates[0]->name.c_str());
  Status s = checkVariantRequirements(*firstRunnable, a);
  if (s.ok()) // unreachable: meetsRequirements and this agree
    return makeError(GEMMRT_ERROR_INTERNAL,
                     "requirement check disagreement "
                     "for variant %s",
                     firstRunnable->name.c_str());
  return s.prefix("policy 'generated': ");
}

void Selector::selectAuto(const GemmArgs &a, const DeviceCaps *device,
                          Selection &out) const {
  out.backend = Backend::CublasLt;
  out.reason = Reason::NoVariant;
  const ShapeEntry *e = find(a.n, a.k);
  if (!e)
    return;

  // 1. A tuning entry for this (N, K, M bucket), measured on this chip.
  Reason fallback = Reason::NoVariant;
  for (const TuningEntry *t : e->tunings) {
    if (!t->covers(a.m))
      continue;
    // Measurements from another chip say nothing about this device.
    if (t->bundle && !deviceRuns(*t->bundle, device))
      continue;
    if (t->backend == TunedBackend::CublasLt) {
      out.backend = Backend::CublasLt;
      out.reason = Reason::Tuning;
      out.tuning = t;
      out.mLo = t->mMin;
      out.mHi = t->mMax;
      return;
    }
    if (!deviceRuns(*t->variant, device)) {
      fallback = Reason::DeviceMismatch;
      break;
    }
    if (!meetsRequirements(*t->variant, a)) {
      fallback = Reason::RequirementsUnmet;
      break;
    }
    out.backend = Backend::Generated;
    out.variant = t->variant;
    out.tuning = t;
    out.reason = Reason::Tuning;
    out.mLo = t->mMin;
    out.mHi = t->mMax;
    return;
  }

  // 2. Built-in rule: the first variant whose M range covers M.
  for (const Variant *v : e->variants) {
    if (!v->covers(a.m))
      continue;
    if (!deviceRuns(*v, device)) {
      if (fallback == Reason::NoVariant)
        fallback = Reason::DeviceMismatch;
      continue;
    }
    if (!meetsRequirements(*v, a)) {
      fallback = Reason::RequirementsUnmet;
      continue;
    }
    out.backend = Backend::Generated;
    out.variant = v;
    out.reason = Reason::CoveringVariant;
    out.mLo = v->mMin;
    out.mHi = v->mMax;
    return;
  }

  // 3. Vendor.
  out.backend = Backend::CublasLt;
  out.reason = fallback;
  if (fallback == Reason::NoVariant) {
    uncoveredBucket(e->variants, a.m, out.mLo, out.mHi);
  } else {
    // The bucket of the variant that could not be used.
    for (const Variant *v : e->variants)
      if (v->covers(a.m)) {
        out.mLo = v->mMin;
        out.mHi = v->mMax;
        break;
      }
  }
}

static const char *reasonText(Reason r) {
  switch (r) {
  case Reason::Policy:
    return "the policy selects this backend";
  case Reason::Tuning:
    return "tuning.json entry";
  case Reason::CoveringVariant:
    return "a bundle variant covers M (no tuning entry)";
  case Reason::NoVariant:
    return "no bundle variant covers this shape";
  case Reason::RequirementsUnmet:
    return "a covering variant exists but this call's pointers or leading "
           "dimensions break its alignment rules";
  case Reason::DeviceMismatch:
    return "the covering variants are built for another chip";
  case Reason::NoCublasAlgo:
    return "cuBLASLt found no algorithm";
  }
  return "?";
}

std::string Selector::describe(Policy policy, const GemmArgs &a,
                               const Selection &s) {
  std::string hi =
      s.mHi == kMaxDim ? std::string("max") : std::to_string((long long)s.mHi);
  std::string text =
      formatString("M=%lld N=%lld K=%lld policy=%s -> backend=%s",
                   (long long)a.m, (long long)a.n, (long long)a.k,
                   policyName(policy), backendName(s.backend));
  if (s.variant)
    text +=
        formatString(" variant=%s chip=%s bundle='%s' config=%s",
                     s.variant->name.c_str(), s.variant->chip.c_str(),
                     s.variant->bundle ? s.variant->bundle->dir.c_str() : "",
                     s.variant->configText.c_str());
  text += formatString(" bucket=M[%lld,%s] (%s", (long long)s.mLo, hi.c_str(),
                       reasonText(s.reason));
  if (s.tuning && (s.tuning->usGenerated >= 0 || s.tuning->usCublasLt >= 0)) {
    text += ":";
    if (s.tuning->usGenerated >= 0)
      text += formatString(" generated %.2f us", s.tuning->usGenerated);
    if (s.tuning->usCublasLt >= 0)
      text += formatString(" cublaslt %.2f us", s.tuning->usCublasLt);
  }
  text += ")";
  return text;
}

} // namespace gemmrt::impl
