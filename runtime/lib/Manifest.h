//===- Manifest.h - Bundle manifest and tuning table model ------*- C++ -*-===//
//
// The in-memory form of a kernel bundle (docs/bundle.md): manifest.json with
// its variants, and the optional tuning.json. Loading validates everything
// the runtime will later rely on, so that a bad bundle fails once, at
// gemmrt_create, with a message naming the file, the field and the value;
// nothing here touches CUDA.
//
//===----------------------------------------------------------------------===//

#ifndef GEMMRT_LIB_MANIFEST_H
#define GEMMRT_LIB_MANIFEST_H

#include "Status.h"

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace gemmrt::impl {

/// A compilation target such as "sm_90a": compute capability major/minor and
/// the suffix ('a' arch-specific, 'f' family-specific, 0 for none).
struct ChipInfo {
  int major = 0;
  int minor = 0;
  char suffix = 0;
};

/// Parses "sm_<major><minor>[a|f]" ("sm_90a" -> 9.0 'a', "sm_100" -> 10.0).
bool parseChip(const std::string &chip, ChipInfo &out);

/// "sm_90" for compute capability 9.0: the device's own target name.
std::string deviceChipName(int ccMajor, int ccMinor);

/// Whether code built for `chip` (PTX JIT or cubin) runs on a device of this
/// compute capability. 'a' code runs only on exactly that capability; 'f'
/// code on the same major and a minor at least as large; plain PTX on any
/// later capability.
bool chipRunsOn(const ChipInfo &chip, int ccMajor, int ccMinor);

/// Whether a cubin for `chip` can be loaded as is (no JIT): same major and,
/// for 'a', the same minor.
bool cubinRunsOn(const ChipInfo &chip, int ccMajor, int ccMinor);

enum class ParamKind { TmaDesc, Ptr, I32, I64 };
enum class TensorRef { X, Y, Out };
enum class ScalarRef { M, N, K, Lda, Ldb, Ldc };

/// One kernel parameter, in kernel order, with its place in the parameter
/// buffer (computed at load time from the kinds).
struct ParamSpec {
  ParamKind kind = ParamKind::Ptr;
  TensorRef tensor = TensorRef::Out; // tma_desc, ptr: x, y or out
  ScalarRef value = ScalarRef::M;    // i32, i64
  // tma_desc: {inner (K of x and y, N of out), outer (rows)}
  uint32_t box[2] = {0, 0};
  uint32_t offset = 0;               // byte offset in the parameter buffer
  uint32_t size = 0;                 // bytes
  uint32_t align = 0;                // bytes
};

/// Fills offset/size/align of each param in the host-side parameter buffer
/// (tma_desc: 128 bytes aligned 128, the C++ alignment of CUtensorMap; ptr
/// and i64: 8/8; i32: 4/4) and returns the buffer size. Launches pass one
/// pointer per parameter (kernelParams), so the kernel's own layout (.align
/// 64 descriptors) need not match these offsets.
uint32_t layoutParams(std::vector<ParamSpec> &params);

/// tiles: one CTA per output tile and split (grid = tiles x split_k);
/// persistent: clusters that loop over the tiles, as many as the SMs hold
/// at once (gridFor).
enum class GridKind { Tiles, Persistent };

struct GridRule {
  GridKind kind = GridKind::Tiles;
  int64_t blockM = 0;
  int64_t blockN = 0;
  int64_t splitK = 1;
};

struct Requirements {
  int64_t kMultiple = 8;
  int64_t outAlignBytes = 8;
  int64_t ldcMultiple = 2;
  int64_t xAlignBytes = 16;
  int64_t yAlignBytes = 16;
};

struct Bundle;

struct Variant {
  std::string name;
  int64_t n = 0, k = 0, mMin = 0, mMax = 0;
  std::string chip;
  ChipInfo chipInfo;
  std::string configText; // config.text when present, else the config JSON
  std::string kernel;
  std::string ptxPath;   // absolute or relative to the cwd: bundle dir + ptx
  std::string ptxSha256; // lower-case hex
  std::string cubinPath; // empty when "cubin" is null
  unsigned block[3] = {1, 1, 1};
  unsigned cluster[3] = {1, 1, 1};
  int64_t dynamicSmemBytes = 0;
  // The kernel waits for the previous grid itself (griddepcontrol.wait), so
  // it may be launched with programmatic stream serialization.
  bool programmaticLaunch = false;
  GridRule grid;
  std::vector<ParamSpec> params;
  uint32_t paramBytes = 0;
  Requirements reqs;

  const Bundle *bundle = nullptr;
  size_t id = 0; // index over all bundles of a runtime (set by the Selector)

  bool covers(int64_t m) const { return mMin <= m && m <= mMax; }
};

enum class TunedBackend { Generated, CublasLt };

struct TuningEntry {
  int64_t n = 0, k = 0, mMin = 0, mMax = 0;
  TunedBackend backend = TunedBackend::CublasLt;
  std::string variantName;
  const Variant *variant = nullptr; // when backend == Generated
  const Bundle *bundle = nullptr;   // the bundle whose tuning.json has it
  double usGenerated = -1;          // -1: not measured
  double usCublasLt = -1;

  bool covers(int64_t m) const { return mMin <= m && m <= mMax; }
};

struct Tuning {
  std::string chip, device, driver, date;
  std::vector<TuningEntry> entries;
};

struct Bundle {
  std::string dir;
  int64_t schemaVersion = 0;
  std::string compiler;
  std::string optionsHash;
  std::string chip;
  ChipInfo chipInfo;
  std::vector<Variant> variants;
  bool hasTuning = false;
  Tuning tuning;
};

/// The manifest schema this runtime reads.
constexpr int64_t kManifestSchemaVersion = 1;
constexpr int64_t kTuningSchemaVersion = 1;
/// Limits shared with the call-time checks.
constexpr int64_t kMaxDim = std::numeric_limits<int32_t>::max();
constexpr size_t kMaxParams = 64;
constexpr uint32_t kMaxParamBytes = 4096;

/// Loads `dir`/manifest.json and, when present, `dir`/tuning.json; checks
/// that every referenced file exists. Errors are GEMMRT_ERROR_BUNDLE with a
/// message "bundle '<dir>': <file>: <field>: <problem>". Reads the files and
/// hands their text to parseBundle.
Status loadBundle(const std::string &dir, Bundle &out);

/// Whether a path names an existing regular file (loadBundle: stat).
using FileExistsFn = std::function<bool(const std::string &path)>;

/// The in-memory core of loadBundle (and the fuzzers' entry point): parses
/// `manifestText` as `dir`/manifest.json, checks with `fileExists` that
/// every variant's .ptx and .cubin exist, then parses `*tuningText` (null:
/// no tuning.json). Errors carry the "bundle '<dir>': " prefix.
Status parseBundle(const std::string &dir, const std::string &manifestText,
                   const std::string *tuningText,
                   const FileExistsFn &fileExists, Bundle &out);

/// JSON deeper than this (arrays and objects) is rejected before it is
/// built: a manifest is 5 levels deep, and nothing downstream then has to
/// recurse over an attacker-sized depth.
constexpr int kMaxJsonDepth = 64;

/// Parses manifest text (no file checks); `dir` resolves relative paths.
Status parseManifest(const std::string &text, const std::string &dir,
                     Bundle &out);

/// Parses tuning text against an already parsed manifest.
Status parseTuning(const std::string &text, Bundle &bundle);

/// Reads a whole file; false with a reason when it cannot.
bool readFile(const std::string &path, std::string &out, std::string *why);

} // namespace gemmrt::impl

#endif // GEMMRT_LIB_MANIFEST_H
