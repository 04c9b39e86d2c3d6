//===- ManifestFuzzer.cpp - libFuzzer target for manifest/tuning parsing --===//
//
// Every input is used twice, through the code gemmrt_create runs for a
// bundle directory (parseBundle, the in-memory core of loadBundle, then the
// Selector the runtime builds over the bundles):
//
//   1. as manifest.json without a tuning.json and, when that parses, with
//      the good fixture's tuning.json (which parses only if the manifest has
//      the variants it names);
//   2. as tuning.json against the good fixture's manifest.json.
//
// A bundle that parses is then indexed by a Selector (alone and after the
// good bundle) and asked for selections around every variant's and tuning
// entry's M range under every policy and a few devices; each selection is
// described (gemmrt_describe_choice's text), and for each variant the grid
// and the parameter buffer of a call are built (the fixed-size launch buffer
// the runtime uses), so a manifest that slips past validation and would
// overrun it is an ASan report here.
//
// Invariants checked (a violation aborts, i.e. is a crash to libFuzzer):
// a failure is GEMMRT_ERROR_BUNDLE with a non-empty message that starts
// with the bundle prefix; a parsed bundle obeys the limits the launch code
// relies on.
//
// Build: -DGEMMRT_BUILD_FUZZERS=ON with clang (see docs/runtime.md); run:
//   build-rt-fuzz/fuzz/gemmrt-manifest-fuzzer -max_total_time=600 \
//       -timeout=10 -rss_limit_mb=2048 -dict=runtime/fuzz/manifest.dict \
//       <scratch corpus dir> runtime/fuzz/corpus/manifest
//
//===----------------------------------------------------------------------===//

#include "Backends.h"
#include "Manifest.h"
#include "Selector.h"
#include "TensorMapCache.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace gemmrt::impl;

namespace {

const char kDir[] = "/fuzz/bundle";

std::string goodManifest, goodTuning;

std::string readOrDie(const std::string &path) {
  std::string text, why;
  if (!readFile(path, text, &why)) {
    std::fprintf(stderr, "ManifestFuzzer: cannot read %s: %s\n", path.c_str(),
                 why.c_str());
    std::abort();
  }
  return text;
}

void check(bool ok, const char *what, const std::string &detail = "") {
  if (ok)
    return;
  std::fprintf(stderr, "ManifestFuzzer: invariant violated: %s %s\n", what,
               detail.c_str());
  std::abort();
}

// Deterministic: every path exists except ones that say they are missing,
// so the "file not found" branch is reachable too.
bool fakeFileExists(const std::string &path) {
  return path.find("missing") == std::string::npos;
}

void checkFailure(const Status &s) {
  check(s.code() == GEMMRT_ERROR_BUNDLE, "failure code is not BUNDLE:",
        s.message());
  check(s.message().rfind(std::string("bundle '") + kDir + "': ", 0) == 0,
        "message lacks the bundle prefix:", s.message());
}

void checkLimits(const Bundle &b) {
  for (const Variant &v : b.variants) {
    check(v.n >= 1 && v.n <= kMaxDim && v.k >= 1 && v.k <= kMaxDim,
          "variant n/k out of range", v.name);
    check(v.mMin >= 1 && v.mMin <= v.mMax && v.mMax <= kMaxDim,
          "variant m range", v.name);
    check(v.params.size() <= kMaxParams, "too many params", v.name);
    check(v.paramBytes <= kMaxParamBytes, "param bytes", v.name);
    for (const ParamSpec &p : v.params)
      check(p.offset + p.size <= v.paramBytes && p.offset % p.align == 0,
            "param layout", v.name);
    check(v.grid.blockM >= 1 && v.grid.blockN >= 1 && v.grid.splitK >= 1,
          "grid", v.name);
    check(v.reqs.kMultiple >= 1 && v.reqs.ldcMultiple >= 1 &&
              v.reqs.outAlignBytes >= 1 && v.reqs.xAlignBytes >= 1 &&
              v.reqs.yAlignBytes >= 1,
          "requirements", v.name);
    check(v.bundle == &b, "variant bundle pointer", v.name);
  }
  if (b.hasTuning)
    for (const TuningEntry &e : b.tuning.entries) {
      check(e.mMin >= 1 && e.mMin <= e.mMax, "tuning m range");
      check((e.backend == TunedBackend::Generated) == (e.variant != nullptr),
            "tuning variant pointer");
    }
}

Status fakeEncode(const TensorMapKey &key, CUtensorMap *out) {
  std::memset(out, 0, sizeof(*out));
  std::memcpy(out, &key.address, sizeof(key.address));
  return Status::success();
}

GemmArgs argsFor(int64_t m, int64_t n, int64_t k, bool aligned) {
  GemmArgs a;
  a.x = aligned ? 0x10000 : 0x10002;
  a.y = 0x20000;
  a.out = aligned ? 0x30000 : 0x30004;
  a.m = m;
  a.n = n;
  a.k = k;
  a.lda = aligned ? k : k + 1;
  a.ldb = k;
  a.ldc = aligned ? n : n + 1;
  return a;
}

void exerciseSelector(const std::vector<Bundle *> &bundles) {
  Selector sel(bundles);
  static const DeviceCaps kDevices[] = {{9, 0}, {10, 0}, {8, 9}};
  static const Policy kPolicies[] = {Policy::Auto, Policy::Generated,
                                     Policy::CublasLt, Policy::Reference};
  // The launch buffer exactly as launchGenerated declares it.
  alignas(128) static unsigned char buffer[kMaxParamBytes];
  static void *args[kMaxParams];
  static TensorMapCache tensorMaps(fakeEncode);

  auto probe = [&](int64_t m, int64_t n, int64_t k) {
    for (int64_t mm : {m - 1, m, m + 1}) {
      for (bool aligned : {true, false}) {
        GemmArgs a = argsFor(mm, n, k, aligned);
        if (!validateCommonArgs(a).ok())
          continue;
        for (Policy p : kPolicies) {
          for (int d = -1; d < 3; ++d) {
            Selection s;
            Status st = sel.select(p, a, d < 0 ? nullptr : &kDevices[d], s);
            if (!st.ok()) {
              check(!st.message().empty(), "empty selection error");
              check(st.code() != GEMMRT_ERROR_INTERNAL, "internal error",
                    st.message());
              continue;
            }
            std::string text = Selector::describe(p, a, s);
            check(!text.empty(), "empty description");
            check(s.mLo <= a.m && a.m <= s.mHi, "bucket does not contain M",
                  text);
            if (s.backend == Backend::Generated) {
              check(s.variant != nullptr, "generated without variant");
              unsigned grid[3];
              gridFor(*s.variant, a.m, a.n, grid);
              check(grid[0] >= 1 && grid[1] >= 1 && grid[2] >= 1, "grid",
                    text);
              Status bs = buildParams(*s.variant, a, tensorMaps, buffer, args);
              (void)bs;
            }
          }
        }
      }
    }
  };
  for (const Variant *v : sel.variants()) {
    probe(v->mMin, v->n, v->k);
    probe(v->mMax, v->n, v->k);
  }
  for (const Bundle *b : bundles)
    if (b->hasTuning)
      for (const TuningEntry &e : b->tuning.entries) {
        probe(e.mMin, e.n, e.k);
        probe(e.mMax, e.n, e.k);
      }
}

Bundle goodBundle; // parsed once; Selectors renumber its variants

bool run(const std::string &manifest, const std::string *tuning) {
  Bundle b;
  Status s = parseBundle(kDir, manifest, tuning, fakeFileExists, b);
  if (!s.ok()) {
    checkFailure(s);
    return false;
  }
  checkLimits(b);
  exerciseSelector({&b});
  exerciseSelector({&goodBundle, &b});
  return true;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  const std::string dir = GEMMRT_FUZZ_GOOD_BUNDLE;
  goodManifest = readOrDie(dir + "/manifest.json");
  goodTuning = readOrDie(dir + "/tuning.json");
  Status s = parseBundle("/fuzz/good", goodManifest, &goodTuning,
                         fakeFileExists, goodBundle);
  check(s.ok(), "the good fixture does not parse:", s.message());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  // As manifest.json: alone, and (when it parses) with the good tuning.json.
  if (run(text, nullptr))
    run(text, &goodTuning);
  // As tuning.json of the good manifest.
  run(goodManifest, &text);
  return 0;
}
