//===- Manifest.cpp - Bundle manifest and tuning table parsing -----------===//
//
// Strict parsing of manifest.json and tuning.json: a missing field, a wrong
// type, an unknown kind or an out-of-range value is an error that names the
// field, because a half-understood manifest would launch a kernel with the
// wrong arguments.
//
//===----------------------------------------------------------------------===//

#include "Manifest.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

using nlohmann::json;

namespace gemmrt::impl {

//===----------------------------------------------------------------------===//
// Chips
//===----------------------------------------------------------------------===//

bool parseChip(const std::string &chip, ChipInfo &out) {
  if (chip.size() < 5 || chip.compare(0, 3, "sm_") != 0)
    return false;
  std::string digits = chip.substr(3);
  char suffix = 0;
  if (!digits.empty() && (digits.back() == 'a' || digits.back() == 'f')) {
    suffix = digits.back();
    digits.pop_back();
  }
  if (digits.size() < 2 || digits.size() > 4)
    return false;
  for (char c : digits)
    if (c < '0' || c > '9')
      return false;
  out.major = std::stoi(digits.substr(0, digits.size() - 1));
  out.minor = digits.back() - '0';
  out.suffix = suffix;
  return out.major > 0;
}

std::string deviceChipName(int ccMajor, int ccMinor) {
  return "sm_" + std::to_string(ccMajor) + std::to_string(ccMinor);
}

bool chipRunsOn(const ChipInfo &chip, int ccMajor, int ccMinor) {
  if (chip.suffix == 'a')
    return ccMajor == chip.major && ccMinor == chip.minor;
  if (chip.suffix == 'f')
    return ccMajor == chip.major && ccMinor >= chip.minor;
  return ccMajor > chip.major ||
         (ccMajor == chip.major && ccMinor >= chip.minor);
}

bool cubinRunsOn(const ChipInfo &chip, int ccMajor, int ccMinor) {
  if (chip.suffix == 'a')
    return ccMajor == chip.major && ccMinor == chip.minor;
  return ccMajor == chip.major && ccMinor >= chip.minor;
}

//===----------------------------------------------------------------------===//
// Parameter layout
//===----------------------------------------------------------------------===//

uint32_t layoutParams(std::vector<ParamSpec> &params) {
  uint32_t offset = 0;
  for (ParamSpec &p : params) {
    switch (p.kind) {
    case ParamKind::TmaDesc:
      // The PTX parameter is `.align 64` (docs/bundle.md); CUDA 13 declares
      // CUtensorMap alignas(128), and the descriptor is built in place here.
      p.size = 128;
      p.align = 128;
      break;
    case ParamKind::Ptr:
    case ParamKind::I64:
      p.size = 8;
      p.align = 8;
      break;
    case ParamKind::I32:
      p.size = 4;
      p.align = 4;
      break;
    }
    offset = (offset + p.align - 1) / p.align * p.align;
    p.offset = offset;
    offset += p.size;
  }
  return offset;
}

//===----------------------------------------------------------------------===//
// Files
//===----------------------------------------------------------------------===//

bool readFile(const std::string &path, std::string &out, std::string *why) {
  // POSIX reads, so that an error in the middle of the file (EIO) is an
  // error and not a silently truncated text (std::ifstream only set failbit
  // on the destination stream).
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (why)
      *why = std::strerror(errno);
    return false;
  }
  std::string text;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR)
        continue;
      int err = errno;
      ::close(fd);
      if (why)
        *why = std::strerror(err);
      return false;
    }
    if (n == 0)
      break;
    text.append(buf, size_t(n));
  }
  ::close(fd);
  out = std::move(text);
  return true;
}

static bool isDirectory(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

static bool isRegularFile(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

static std::string joinPath(const std::string &dir, const std::string &rel) {
  if (dir.empty())
    return rel;
  if (dir.back() == '/')
    return dir + rel;
  return dir + "/" + rel;
}

//===----------------------------------------------------------------------===//
// Field access with error messages that name the field
//===----------------------------------------------------------------------===//

namespace {

/// Reads typed fields of one JSON object and produces BUNDLE errors of the
/// form "<file>: <path>.<key>: <problem>".
class FieldReader {
public:
  FieldReader(const char *file, std::string path, const json &obj)
      : file_(file), path_(std::move(path)), obj_(obj) {}

  std::string where(const char *key) const {
    return path_.empty() ? std::string(key) : path_ + "." + key;
  }

  Status error(const char *key, const std::string &problem) const {
    return makeError(GEMMRT_ERROR_BUNDLE, "%s: %s: %s", file_,
                     where(key).c_str(), problem.c_str());
  }

  Status find(const char *key, const json *&out) const {
    auto it = obj_.find(key);
    if (it == obj_.end())
      return error(key, "missing field");
    out = &*it;
    return Status::success();
  }

  bool has(const char *key) const { return obj_.contains(key); }

  Status getInt(const char *key, int64_t &out, int64_t min, int64_t max) const {
    const json *v;
    if (Status s = find(key, v); !s.ok())
      return s;
    return checkInt(key, *v, out, min, max);
  }

  Status checkInt(const char *key, const json &v, int64_t &out, int64_t min,
                  int64_t max) const {
    if (!v.is_number_integer())
      return error(key, "expected an integer, got " + describe(v));
    if (v.is_number_unsigned() &&
        v.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max()))
      return error(key, "value " + v.dump() + " is out of range");
    int64_t x = v.get<int64_t>();
    if (x < min || x > max)
      return error(key,
                   formatString("value %lld is out of range [%lld, %lld]",
                                (long long)x, (long long)min, (long long)max));
    out = x;
    return Status::success();
  }

  Status getString(const char *key, std::string &out, bool nonEmpty = true,
                   bool nullable = false, bool *isNull = nullptr) const {
    const json *v;
    if (Status s = find(key, v); !s.ok())
      return s;
    if (nullable && v->is_null()) {
      if (isNull)
        *isNull = true;
      out.clear();
      return Status::success();
    }
    if (isNull)
      *isNull = false;
    if (!v->is_string())
      return error(key, std::string("expected a string") +
                            (nullable ? " or null" : "") + ", got " +
                            describe(*v));
    out = v->get<std::string>();
    if (nonEmpty && out.empty())
      return error(key, "must not be empty");
    return Status::success();
  }

  /// An optional boolean: `out` keeps its value when the key is absent.
  Status getOptionalBool(const char *key, bool &out) const {
    if (!has(key))
      return Status::success();
    const json *v;
    if (Status s = find(key, v); !s.ok())
      return s;
    if (!v->is_boolean())
      return error(key, "expected true or false, got " + describe(*v));
    out = v->get<bool>();
    return Status::success();
  }

  Status getObject(const char *key, const json *&out) const {
    if (Status s = find(key, out); !s.ok())
      return s;
    if (!out->is_object())
      return error(key, "expected an object, got " + describe(*out));
    return Status::success();
  }

  Status getArray(const char *key, const json *&out) const {
    if (Status s = find(key, out); !s.ok())
      return s;
    if (!out->is_array())
      return error(key, "expected an array, got " + describe(*out));
    return Status::success();
  }

  /// An array of exactly `n` integers in [min, max].
  Status getIntArray(const char *key, size_t n, int64_t *out, int64_t min,
                     int64_t max) const {
    const json *v;
    if (Status s = getArray(key, v); !s.ok())
      return s;
    if (v->size() != n)
      return error(
          key, formatString("expected %zu integers, got %zu", n, v->size()));
    for (size_t i = 0; i < n; ++i) {
      std::string elem = std::string(key) + "[" + std::to_string(i) + "]";
      if (Status s = checkInt(elem.c_str(), (*v)[i], out[i], min, max); !s.ok())
        return s;
    }
    return Status::success();
  }

  Status getNumber(const char *key, double &out) const {
    const json *v;
    if (Status s = find(key, v); !s.ok())
      return s;
    if (!v->is_number())
      return error(key, "expected a number, got " + describe(*v));
    out = v->get<double>();
    return Status::success();
  }

  static std::string describe(const json &v) {
    std::string dump = v.dump();
    if (dump.size() > 40)
      dump = dump.substr(0, 37) + "...";
    return std::string(v.type_name()) + " " + dump;
  }

  const char *file() const { return file_; }
  const std::string &path() const { return path_; }

private:
  const char *file_;
  std::string path_;
  const json &obj_;
};

} // namespace

static bool isIdentifier(const std::string &s, bool allowDollar) {
  if (s.empty())
    return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_' || (allowDollar && c == '$');
    if (!ok)
      return false;
  }
  return true;
}

static bool isHex64(std::string &s) {
  if (s.size() != 64)
    return false;
  for (char &c : s) {
    if (c >= 'A' && c <= 'F')
      c = char(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      return false;
  }
  return true;
}

/// Relative path inside the bundle: no absolute paths, no "..".
static bool isBundleRelativePath(const std::string &p) {
  if (p.empty() || p[0] == '/')
    return false;
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find('/', start);
    if (end == std::string::npos)
      end = p.size();
    if (p.compare(start, end - start, "..") == 0)
      return false;
    start = end + 1;
  }
  return true;
}

static bool isPowerOfTwo(int64_t x) { return x > 0 && (x & (x - 1)) == 0; }

static Status parseJson(const std::string &text, const char *file, json &out) {
  // Thrown by the callback below to stop a too deeply nested document
  // before it is built (and before dump() or anything else recurses over
  // it): the callback sees the nesting depth of each array or object start.
  struct TooDeep {};
  auto limitDepth = [](int depth, json::parse_event_t event, json &) {
    if (depth >= kMaxJsonDepth && (event == json::parse_event_t::object_start ||
                                   event == json::parse_event_t::array_start))
      throw TooDeep();
    return true;
  };
  try {
    out = json::parse(text, limitDepth, /*allow_exceptions=*/true,
                      /*ignore_comments=*/true);
  } catch (const TooDeep &) {
    return makeError(GEMMRT_ERROR_BUNDLE,
                     "%s: not valid JSON for this runtime: arrays and objects "
                     "nested more than %d deep",
                     file, kMaxJsonDepth);
  } catch (const json::exception &e) {
    // parse_error for syntax, but also out_of_range for a number that does
    // not fit a double (1e400): both are a malformed file, not a bug.
    return makeError(GEMMRT_ERROR_BUNDLE, "%s: not valid JSON: %s", file,
                     e.what());
  }
  if (!out.is_object())
    return makeError(GEMMRT_ERROR_BUNDLE, "%s: expected a JSON object, got %s",
                     file, out.type_name());
  return Status::success();
}

//===----------------------------------------------------------------------===//
// Variants
//===----------------------------------------------------------------------===//

static Status parseParam(const FieldReader &outer, const json &pj,
                         const std::string &path, ParamSpec &p) {
  if (!pj.is_object())
    return makeError(GEMMRT_ERROR_BUNDLE, "%s: %s: expected an object, got %s",
                     outer.file(), path.c_str(),
                     FieldReader::describe(pj).c_str());
  FieldReader r(outer.file(), path, pj);
  std::string kind;
  if (Status s = r.getString("kind", kind); !s.ok())
    return s;

  if (kind == "tma_desc") {
    p.kind = ParamKind::TmaDesc;
    std::string tensor;
    if (Status s = r.getString("tensor", tensor); !s.ok())
      return s;
    if (tensor == "x")
      p.tensor = TensorRef::X;
    else if (tensor == "y")
      p.tensor = TensorRef::Y;
    else if (tensor == "out")
      p.tensor = TensorRef::Out; // fp32, written by TMA stores
    else
      return r.error("tensor", "unknown tma_desc tensor '" + tensor +
                                   "' (expected x, y or out)");
    int64_t box[2];
    if (Status s = r.getIntArray("box", 2, box, 1, 256); !s.ok())
      return s;
    // SWIZZLE_128B: the inner box extent is at most 128 bytes (64 bf16, 32
    // fp32) and a multiple of 16 bytes.
    bool fp32 = p.tensor == TensorRef::Out;
    int64_t bytes = box[0] * (fp32 ? 4 : 2);
    if (bytes > 128 || bytes % 16 != 0)
      return r.error("box",
                     formatString("inner box extent %lld %s is not "
                                  "a multiple of %d in [%d, %d] "
                                  "(128-byte swizzle)",
                                  (long long)box[0], fp32 ? "fp32" : "bf16",
                                  fp32 ? 4 : 8, fp32 ? 4 : 8, fp32 ? 32 : 64));
    p.box[0] = uint32_t(box[0]);
    p.box[1] = uint32_t(box[1]);
    return Status::success();
  }
  if (kind == "ptr") {
    p.kind = ParamKind::Ptr;
    std::string tensor;
    if (Status s = r.getString("tensor", tensor); !s.ok())
      return s;
    // x and y as plain pointers: kernels that load them without TMA (the
    // simt schedule), with lda / ldb passed as i64 params.
    static const std::pair<const char *, TensorRef> kTensors[] = {
        {"x", TensorRef::X}, {"y", TensorRef::Y}, {"out", TensorRef::Out}};
    for (const auto &[name, ref] : kTensors) {
      if (tensor == name) {
        p.tensor = ref;
        return Status::success();
      }
    }
    if (tensor == "workspace")
      return r.error("tensor", "ptr tensor 'workspace' is not supported by "
                               "this runtime version (libgemmrt " +
                                   std::string(gemmrt_version()) + ")");
    return r.error("tensor", "unknown ptr tensor '" + tensor +
                                 "' (expected x, y or out)");
  }
  if (kind == "i32" || kind == "i64") {
    p.kind = kind == "i32" ? ParamKind::I32 : ParamKind::I64;
    std::string value;
    if (Status s = r.getString("value", value); !s.ok())
      return s;
    static const std::pair<const char *, ScalarRef> kValues[] = {
        {"m", ScalarRef::M},     {"n", ScalarRef::N},
        {"k", ScalarRef::K},     {"lda", ScalarRef::Lda},
        {"ldb", ScalarRef::Ldb}, {"ldc", ScalarRef::Ldc}};
    for (const auto &[name, ref] : kValues) {
      if (value == name) {
        p.value = ref;
        return Status::success();
      }
    }
    return r.error("value", "unknown " + kind + " value '" + value +
                                "' (expected m, n, k, lda, ldb or ldc)");
  }
  return r.error("kind", "unknown param kind '" + kind +
                             "' (expected tma_desc, ptr, i32 or i64)");
}


/// "n", "k", "m_min", "m_max" of a variant or a tuning entry: positive,
/// within kMaxDim, and m_min <= m_max.
static Status readShapeBucket(FieldReader &r, int64_t &n, int64_t &k,
                              int64_t &mMin, int64_t &mMax) {
  if (Status s = r.getInt("n", n, 1, kMaxDim); !s.ok())
    return s;
  if (Status s = r.getInt("k", k, 1, kMaxDim); !s.ok())
    return s;
  if (Status s = r.getInt("m_min", mMin, 1, kMaxDim); !s.ok())
    return s;
  if (Status s = r.getInt("m_max", mMax, 1, kMaxDim); !s.ok())
    return s;
  if (mMax < mMin)
    return r.error("m_max", formatString("m_max %lld < m_min %lld",
                                         (long long)mMax, (long long)mMin));
  return Status::success();
}

static Status parseVariant(const json &vj, const std::string &path,
                           const std::string &dir, Variant &v) {
  const char *file = "manifest.json";
  if (!vj.is_object())
    return makeError(GEMMRT_ERROR_BUNDLE, "%s: %s: expected an object, got %s",
                     file, path.c_str(), FieldReader::describe(vj).c_str());
  FieldReader r(file, path, vj);

  if (Status s = r.getString("name", v.name); !s.ok())
    return s;
  if (!isIdentifier(v.name, false))
    return r.error("name", "'" + v.name + "' is not made of [A-Za-z0-9_]");
  // From here on, messages name the variant as well as its index.
  FieldReader rv(file, path + " (" + v.name + ")", vj);

  if (Status s = readShapeBucket(rv, v.n, v.k, v.mMin, v.mMax); !s.ok())
    return s;
  if (Status s = rv.getString("chip", v.chip); !s.ok())
    return s;
  if (!parseChip(v.chip, v.chipInfo))
    return rv.error("chip", "'" + v.chip + "' is not a chip like sm_90a");

  const json *config;
  if (Status s = rv.getObject("config", config); !s.ok())
    return s;
  auto text = config->find("text");
  v.configText = (text != config->end() && text->is_string())
                     ? text->get<std::string>()
                     : config->dump();

  if (Status s = rv.getString("kernel", v.kernel); !s.ok())
    return s;
  if (!isIdentifier(v.kernel, true))
    return rv.error("kernel", "'" + v.kernel + "' is not a PTX identifier");

  std::string ptx;
  if (Status s = rv.getString("ptx", ptx); !s.ok())
    return s;
  if (!isBundleRelativePath(ptx))
    return rv.error("ptx", "'" + ptx +
                               "' must be a path relative to the bundle "
                               "directory without '..'");
  v.ptxPath = joinPath(dir, ptx);
  if (Status s = rv.getString("ptx_sha256", v.ptxSha256); !s.ok())
    return s;
  if (!isHex64(v.ptxSha256))
    return rv.error("ptx_sha256", "'" + v.ptxSha256 + "' is not 64 hex digits");
  std::string cubin;
  bool cubinNull = false;
  if (Status s = rv.getString("cubin", cubin, true, true, &cubinNull); !s.ok())
    return s;
  if (!cubinNull) {
    if (!isBundleRelativePath(cubin))
      return rv.error("cubin", "'" + cubin +
                                   "' must be a path relative to the bundle "
                                   "directory without '..'");
    v.cubinPath = joinPath(dir, cubin);
  }

  int64_t block[3], cluster[3];
  if (Status s = rv.getIntArray("block", 3, block, 1, 1024); !s.ok())
    return s;
  if (block[0] * block[1] * block[2] > 1024 || block[2] > 64)
    return rv.error("block",
                    formatString("%lld x %lld x %lld threads exceed "
                                 "the CUDA block limits",
                                 (long long)block[0], (long long)block[1],
                                 (long long)block[2]));
  if (Status s = rv.getIntArray("cluster", 3, cluster, 1, 16); !s.ok())
    return s;
  if (cluster[0] * cluster[1] * cluster[2] > 16)
    return rv.error("cluster", "more than 16 blocks per cluster");
  for (int i = 0; i < 3; ++i) {
    v.block[i] = unsigned(block[i]);
    v.cluster[i] = unsigned(cluster[i]);
  }
  if (Status s =
          rv.getInt("dynamic_smem_bytes", v.dynamicSmemBytes, 0, 1 << 20);
      !s.ok())
    return s;
  if (Status s =
          rv.getOptionalBool("programmatic_launch", v.programmaticLaunch);
      !s.ok())
    return s;

  const json *grid;
  if (Status s = rv.getObject("grid", grid); !s.ok())
    return s;
  FieldReader rg(file, rv.where("grid"), *grid);
  std::string gridKind;
  if (Status s = rg.getString("kind", gridKind); !s.ok())
    return s;
  if (gridKind != "tiles" && gridKind != "persistent")
    return rg.error("kind", "unknown grid kind '" + gridKind +
                                "' (this runtime knows: tiles, persistent)");
  v.grid.kind =
      gridKind == "persistent" ? GridKind::Persistent : GridKind::Tiles;
  if (Status s = rg.getInt("block_m", v.grid.blockM, 1, 65536); !s.ok())
    return s;
  if (Status s = rg.getInt("block_n", v.grid.blockN, 1, 65536); !s.ok())
    return s;
  if (Status s = rg.getInt("split_k", v.grid.splitK, 1, 65535); !s.ok())
    return s;
  // A persistent CTA walks whole tiles along grid x: no split, and the
  // cluster lies in x and y only.
  if (v.grid.kind == GridKind::Persistent &&
      (v.grid.splitK != 1 || v.cluster[2] != 1))
    return rg.error("kind",
                    formatString("a persistent grid needs split_k 1 "
                                 "and cluster z 1, got %lld and %u",
                                 (long long)v.grid.splitK, v.cluster[2]));
  // gridDim.y = ceil(M / block_m) must stay within 65535 for all M served.
  if ((v.mMax + v.grid.blockM - 1) / v.grid.blockM > 65535)
    return rg.error("block_m", formatString("m_max %lld needs more than 65535 "
                                            "blocks along M",
                                            (long long)v.mMax));

  const json *params;
  if (Status s = rv.getArray("params", params); !s.ok())
    return s;
  if (params->size() > kMaxParams)
    return rv.error("params", formatString("more than %zu params", kMaxParams));
  bool hasX = false, hasY = false, hasOut = false;
  for (size_t i = 0; i < params->size(); ++i) {
    ParamSpec p;
    std::string ppath = rv.where("params") + "[" + std::to_string(i) + "]";
    if (Status s = parseParam(rv, (*params)[i], ppath, p); !s.ok())
      return s;
    // x, y and out come as a TMA descriptor or a pointer.
    bool operand = p.kind == ParamKind::TmaDesc || p.kind == ParamKind::Ptr;
    hasX |= operand && p.tensor == TensorRef::X;
    hasY |= operand && p.tensor == TensorRef::Y;
    hasOut |= operand && p.tensor == TensorRef::Out;
    v.params.push_back(p);
  }
  if (!hasX || !hasY || !hasOut)
    return rv.error("params", std::string("missing ") +
                                  (!hasX   ? "x (tma_desc or ptr)"
                                   : !hasY ? "y (tma_desc or ptr)"
                                           : "out (tma_desc or ptr)") +
                                  " (a GEMM kernel needs x, y and out)");
  v.paramBytes = layoutParams(v.params);
  if (v.paramBytes > kMaxParamBytes)
    return rv.error("params", formatString("%u bytes of parameters exceed %u",
                                           v.paramBytes, kMaxParamBytes));

  const json *reqs;
  if (Status s = rv.getObject("requires", reqs); !s.ok())
    return s;
  FieldReader rr(file, rv.where("requires"), *reqs);
  Requirements &q = v.reqs;
  if (Status s = rr.getInt("k_multiple", q.kMultiple, 1, 1 << 16); !s.ok())
    return s;
  if (Status s = rr.getInt("out_align_bytes", q.outAlignBytes, 1, 4096);
      !s.ok())
    return s;
  if (Status s = rr.getInt("ldc_multiple", q.ldcMultiple, 1, 1 << 16); !s.ok())
    return s;
  if (Status s = rr.getInt("x_align_bytes", q.xAlignBytes, 1, 4096); !s.ok())
    return s;
  if (Status s = rr.getInt("y_align_bytes", q.yAlignBytes, 1, 4096); !s.ok())
    return s;
  const std::pair<const char *, int64_t> aligns[] = {
      {"out_align_bytes", q.outAlignBytes},
      {"x_align_bytes", q.xAlignBytes},
      {"y_align_bytes", q.yAlignBytes}};
  for (const auto &[key, value] : aligns)
    if (!isPowerOfTwo(value))
      return rr.error(
          key, formatString("%lld is not a power of two", (long long)value));
  if (v.k % q.kMultiple != 0)
    return rr.error("k_multiple",
                    formatString("k %lld is not a multiple of k_multiple %lld",
                                 (long long)v.k, (long long)q.kMultiple));
  return Status::success();
}

//===----------------------------------------------------------------------===//
// Manifest and tuning
//===----------------------------------------------------------------------===//

Status parseManifest(const std::string &text, const std::string &dir,
                     Bundle &out) {
  const char *file = "manifest.json";
  json root;
  if (Status s = parseJson(text, file, root); !s.ok())
    return s;
  FieldReader r(file, "", root);

  // The schema version is checked first: a newer schema may change anything
  // else, and "incompatible" says more than "field x is missing".
  const json *sv;
  if (Status s = r.find("schema_version", sv); !s.ok())
    return s;
  if (!sv->is_number_integer())
    return r.error("schema_version",
                   "expected an integer, got " + FieldReader::describe(*sv));
  // (An unsigned value above INT64_MAX must not wrap into a misleading
  // number in the message: the message shows the JSON text.)
  bool fits = !(sv->is_number_unsigned() &&
                sv->get<uint64_t>() >
                    uint64_t(std::numeric_limits<int64_t>::max()));
  if (!fits || sv->get<int64_t>() != kManifestSchemaVersion)
    return r.error("schema_version",
                   formatString("incompatible bundle: schema_version %s, "
                                "this runtime reads schema_version %lld "
                                "(rebuild the bundle with a matching "
                                "gemm-compile)",
                                sv->dump().c_str(),
                                (long long)kManifestSchemaVersion));
  out.schemaVersion = kManifestSchemaVersion;
  if (Status s = r.getString("compiler", out.compiler); !s.ok())
    return s;
  if (Status s = r.getString("options_hash", out.optionsHash, false); !s.ok())
    return s;
  if (Status s = r.getString("chip", out.chip); !s.ok())
    return s;
  if (!parseChip(out.chip, out.chipInfo))
    return r.error("chip", "'" + out.chip + "' is not a chip like sm_90a");

  const json *variants;
  if (Status s = r.getArray("variants", variants); !s.ok())
    return s;
  std::set<std::string> names;
  out.variants.clear();
  out.variants.reserve(variants->size());
  for (size_t i = 0; i < variants->size(); ++i) {
    Variant v;
    if (Status s = parseVariant((*variants)[i],
                                "variants[" + std::to_string(i) + "]", dir, v);
        !s.ok())
      return s;
    if (!names.insert(v.name).second)
      return makeError(GEMMRT_ERROR_BUNDLE,
                       "%s: variants[%zu]: duplicate variant name '%s'", file,
                       i, v.name.c_str());
    out.variants.push_back(std::move(v));
  }
  out.dir = dir;
  for (Variant &v : out.variants)
    v.bundle = &out;
  return Status::success();
}

Status parseTuning(const std::string &text, Bundle &bundle) {
  const char *file = "tuning.json";
  json root;
  if (Status s = parseJson(text, file, root); !s.ok())
    return s;
  FieldReader r(file, "", root);
  int64_t version;
  if (Status s = r.getInt("schema_version", version, 0, 1 << 30); !s.ok())
    return s;
  if (version != kTuningSchemaVersion)
    return r.error("schema_version",
                   formatString("incompatible tuning table: schema_version "
                                "%lld, this runtime reads %lld",
                                (long long)version,
                                (long long)kTuningSchemaVersion));
  Tuning t;
  if (Status s = r.getString("chip", t.chip); !s.ok())
    return s;
  ChipInfo chip;
  if (!parseChip(t.chip, chip))
    return r.error("chip", "'" + t.chip + "' is not a chip like sm_90a");
  if (t.chip != bundle.chip)
    return r.error("chip", "tuning table measured on " + t.chip +
                               " but the manifest is for " + bundle.chip);
  // Provenance fields are optional; when present they must be strings.
  for (auto [key, dst] :
       {std::pair<const char *, std::string *>{"device", &t.device},
        {"driver", &t.driver},
        {"date", &t.date}})
    if (r.has(key))
      if (Status s = r.getString(key, *dst, false); !s.ok())
        return s;

  std::map<std::string, const Variant *> byName;
  for (const Variant &v : bundle.variants)
    byName[v.name] = &v;

  const json *entries;
  if (Status s = r.getArray("entries", entries); !s.ok())
    return s;
  for (size_t i = 0; i < entries->size(); ++i) {
    std::string path = "entries[" + std::to_string(i) + "]";
    const json &ej = (*entries)[i];
    if (!ej.is_object())
      return makeError(GEMMRT_ERROR_BUNDLE,
                       "%s: %s: expected an object, got %s", file, path.c_str(),
                       FieldReader::describe(ej).c_str());
    FieldReader re(file, path, ej);
    TuningEntry e;
    e.bundle = &bundle;
    if (Status s = readShapeBucket(re, e.n, e.k, e.mMin, e.mMax); !s.ok())
      return s;
    std::string backend;
    if (Status s = re.getString("backend", backend); !s.ok())
      return s;
    if (backend == "generated") {
      e.backend = TunedBackend::Generated;
      if (Status s = re.getString("variant", e.variantName); !s.ok())
        return s;
      auto it = byName.find(e.variantName);
      if (it == byName.end())
        return re.error("variant", "no variant named '" + e.variantName +
                                       "' in manifest.json");
      const Variant &v = *it->second;
      if (v.n != e.n || v.k != e.k || e.mMin < v.mMin || e.mMax > v.mMax)
        return re.error(
            "variant",
            formatString("variant '%s' serves N=%lld K=%lld M=[%lld,%lld], "
                         "which does not contain the entry's N=%lld K=%lld "
                         "M=[%lld,%lld]",
                         v.name.c_str(), (long long)v.n, (long long)v.k,
                         (long long)v.mMin, (long long)v.mMax, (long long)e.n,
                         (long long)e.k, (long long)e.mMin, (long long)e.mMax));
      e.variant = &v;
    } else if (backend == "cublaslt") {
      e.backend = TunedBackend::CublasLt;
    } else {
      return re.error("backend", "unknown backend '" + backend +
                                     "' (expected generated or cublaslt)");
    }
    if (re.has("us")) {
      const json *us;
      if (Status s = re.getObject("us", us); !s.ok())
        return s;
      FieldReader ru(file, re.where("us"), *us);
      if (ru.has("generated"))
        if (Status s = ru.getNumber("generated", e.usGenerated); !s.ok())
          return s;
      if (ru.has("cublaslt"))
        if (Status s = ru.getNumber("cublaslt", e.usCublasLt); !s.ok())
          return s;
    }
    t.entries.push_back(std::move(e));
  }
  bundle.tuning = std::move(t);
  bundle.hasTuning = true;
  return Status::success();
}

Status parseBundle(const std::string &dir, const std::string &manifestText,
                   const std::string *tuningText,
                   const FileExistsFn &fileExists, Bundle &out) {
  std::string prefix = "bundle '" + dir + "': ";
  if (Status s = parseManifest(manifestText, dir, out); !s.ok())
    return s.prefix(prefix);

  for (size_t i = 0; i < out.variants.size(); ++i) {
    const Variant &v = out.variants[i];
    if (!fileExists(v.ptxPath))
      return makeError(GEMMRT_ERROR_BUNDLE,
                       "%smanifest.json: variants[%zu] (%s).ptx: file '%s' "
                       "not found",
                       prefix.c_str(), i, v.name.c_str(), v.ptxPath.c_str());
    if (!v.cubinPath.empty() && !fileExists(v.cubinPath))
      return makeError(GEMMRT_ERROR_BUNDLE,
                       "%smanifest.json: variants[%zu] (%s).cubin: file '%s' "
                       "not found",
                       prefix.c_str(), i, v.name.c_str(), v.cubinPath.c_str());
  }

  if (tuningText)
    if (Status s = parseTuning(*tuningText, out); !s.ok())
      return s.prefix(prefix);
  return Status::success();
}

Status loadBundle(const std::string &dir, Bundle &out) {
  std::string prefix = "bundle '" + dir + "': ";
  if (dir.empty())
    return makeError(GEMMRT_ERROR_BUNDLE, "bundle path is empty");
  if (!isDirectory(dir))
    return makeError(GEMMRT_ERROR_BUNDLE, "%sdirectory does not exist",
                     prefix.c_str());
  std::string manifestPath = joinPath(dir, "manifest.json");
  std::string manifestText, tuningText, why;
  if (!isRegularFile(manifestPath))
    return makeError(GEMMRT_ERROR_BUNDLE,
                     "%smanifest.json not found (is this a gemm-compile "
                     "bundle directory?)",
                     prefix.c_str());
  if (!readFile(manifestPath, manifestText, &why))
    return makeError(GEMMRT_ERROR_BUNDLE, "%smanifest.json: cannot read: %s",
                     prefix.c_str(), why.c_str());
  std::string tuningPath = joinPath(dir, "tuning.json");
  bool hasTuning = isRegularFile(tuningPath);
  if (hasTuning && !readFile(tuningPath, tuningText, &why))
    return makeError(GEMMRT_ERROR_BUNDLE, "%stuning.json: cannot read: %s",
                     prefix.c_str(), why.c_str());
  return parseBundle(dir, manifestText, hasTuning ? &tuningText : nullptr,
                     isRegularFile, out);
}

} // namespace gemmrt::impl
