//===- gemm-bench.cu - time libgemmrt backends the way an engine calls them
//===//
//
// For each shape (M, N, K) and each backend (a libgemmrt policy) this times
// out[M,N] fp32 = x[M,K] bf16 * y[N,K]^T bf16 through the gemmrt C API the
// way peers.py times torch and Triton, so the numbers compare:
//
//   * enough distinct (x, y, out) sets to exceed 2x the L2 cache (at least 2,
//     at most 64), filled with random bf16 (never zeros): by default the
//     distribution peers.py gives torch, x ~ N(0, 1) and y ~ N(0, 1) /
//     sqrt(K) (--data normal), or uniform in [-1, 1) (--data uniform). The
//     choice matters: under the 700 W power cap the tensor cores' clock
//     depends on the inputs' bits, by up to 15% at peak-rate shapes, so
//     figures compared with peers.py's must use its distribution;
//   * one call per set outside capture (loads modules, makes workspaces);
//   * one CUDA graph of R calls cycling through the sets (R = number of sets,
//     the cycle repeated until R >= 8), replayed once untimed, then timed
//     over --replays replays with CUDA events; per-call time = median replay
//     time / R. The backends of a shape take turns in blocks of replays,
//     A B B A (--order blocked), or replay by replay (--order interleaved;
//     see timeReplays for why blocked is the default).
//
// Before it is timed, every backend's result on set 0 (output poisoned with
// NaN first) is checked against an fp64 reference computed on the GPU: the
// relative Frobenius error must be <= --tol and every element written. A
// backend that errors (e.g. `generated` with no covering variant) or fails
// the check is reported as such, is not timed, and is never chosen by --tune.
//
//   gemm-bench SHAPES.json --bundle DIR [--bundle DIR2 ...]
//              [--backends generated,cublaslt[,reference][,auto]]
//              [--replays 15] [--m-list 1,4,16] [--json FILE] [--csv FILE]
//              [--tune] [--tol 2e-5] [--seed S] [--data normal|uniform]
//              [--order blocked|interleaved] [--warmup-ms 200]
//   gemm-bench SHAPES.json --sweep DIR [--replays 15] [--json FILE] ...
//
// --sweep DIR: every subdirectory of DIR holding a manifest.json (a bundle
// of scripts/bench/sweep-compile.sh, one config) is a backend of its own,
// named after the subdirectory: its own runtime, policy generated, checked
// and timed like any backend, all of them in one process on the same input
// sets and fp64 reference (one CUDA context and one reference per shape
// instead of one process per config: a sweep's GPU time is mostly that).
//
// SHAPES.json: {"shapes": [[M, N, K], ...]} or {"nk": [[N, K], ...],
// "m": [M, ...]} (shapes/*.json; the format of peers.py). --m-list replaces
// the M values: every distinct (N, K) of the file is run at each M.
//
// --tune writes tuning.json (docs/bundle.md) into the first bundle directory
// (temp file + rename): for every (N, K, M bucket) of that bundle's manifest
// with at least one measured M, `generated` (with the variant that served)
// when it was at least as fast as cuBLASLt at every measured M of the bucket,
// else `cublaslt`. Each entry also keeps the measured M and both backends'
// per-M times (docs/bundle.md). `--tune-from BENCH.json --bundle DIR` makes
// the same table from an earlier --json output, without a GPU.
//
// Output (--json): {"device", "driver", "cuda_driver", "cuda_runtime",
// "date", "time", "clocks": {"sm_max_mhz", "mem_max_mhz"}, "l2_bytes", "sms",
// "compute_capability", "gemmrt", "bundles", "backends", "replays", "tol",
// "data", "order", "warmup_ms", "complete", "rows": [{"M", "N", "K",
// "floor_us", "sets", "calls",
// "<backend>": {"us", "us_min", "tflops", "relerr", "variant", "served"} or
// {"error", "variant", "served"[, "relerr", "unwritten"]}}]}, "hbm_tbps";
// floor_us = max(bytes / HBM bandwidth, flops / 989e12), the bandwidth being
// the card's (memory clock x 2 x bus width: 3.35 TB/s on an H100 SXM, 4.81
// on an H200; peers.py assumes the H100's).
//
// Exit status: 0 when every backend either ran correctly or had no kernel
// for the shape (GEMMRT_ERROR_UNSUPPORTED_SHAPE: reported, not a failure);
// 1 when some backend returned a wrong result or failed otherwise (all rows
// are still measured and written); 2 on a usage or setup error; 3 when the
// CUDA context broke (the JSON/CSV then hold the rows done so far).
//
//===----------------------------------------------------------------------===//

#include "gemmrt/gemmrt.h"

#include "../common/CheckKernels.cuh"

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>
#include <tuple>
#include <string>
#include <unistd.h>
#include <utility>
#include <vector>

namespace {

using json = nlohmann::ordered_json;

//===----------------------------------------------------------------------===//
// CUDA errors
//===----------------------------------------------------------------------===//

/// A failed CUDA runtime call. Caught per (shape, backend) so that one bad
/// shape (e.g. out of memory) does not end the run; a sticky error (the
/// context is broken) ends it after the results so far are written.
struct CudaFailure : std::runtime_error {
  cudaError_t code;
  CudaFailure(cudaError_t c, const std::string &what)
      : std::runtime_error(what), code(c) {}
};

void cudaCheck(cudaError_t err, const char *expr) {
  if (err != cudaSuccess)
    throw CudaFailure(err, std::string(expr) + ": " + cudaGetErrorString(err));
}
#define CUDA_TRY(expr) cudaCheck((expr), #expr)

/// Used where failing means the run cannot start at all.
#define CUDA_OK(expr)                                                          \
  do {                                                                         \
    cudaError_t err_ = (expr);                                                 \
    if (err_ != cudaSuccess) {                                                 \
      std::fprintf(stderr, "gemm-bench: %s: %s\n", #expr,                      \
                   cudaGetErrorString(err_));                                  \
      std::exit(2);                                                            \
    }                                                                          \
  } while (0)

//===----------------------------------------------------------------------===//
// Kernels: random fill, poison, fp64 reference, comparison
//===----------------------------------------------------------------------===//

using gemmrt_tools::kPoison;
using gemmrt_tools::referenceF64;

using gemmrt_tools::fillNormal;
using gemmrt_tools::fillRandom;

__global__ void fillU32(uint32_t *p, int64_t count, uint32_t value) {
  int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x;
  if (i < count)
    p[i] = value;
}

struct CompareSums {
  double num, den;
  unsigned long long unwritten;
};

// sums->num += sum (out - ref)^2, sums->den += sum ref^2 over written
// elements; sums->unwritten counts poisoned or non-finite ones.
__global__ void compareKernel(const uint32_t *out, const double *ref,
                              int64_t count, CompareSums *sums) {
  __shared__ double sNum[256], sDen[256];
  __shared__ unsigned long long sBad[256];
  double num = 0, den = 0;
  unsigned long long bad = 0;
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < count;
       i += (int64_t)gridDim.x * blockDim.x) {
    uint32_t bits = out[i];
    float v = __uint_as_float(bits);
    if (bits == kPoison || !isfinite(v)) {
      ++bad;
      continue;
    }
    double r = ref[i], d = (double)v - r;
    num += d * d;
    den += r * r;
  }
  sNum[threadIdx.x] = num;
  sDen[threadIdx.x] = den;
  sBad[threadIdx.x] = bad;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) {
      sNum[threadIdx.x] += sNum[threadIdx.x + s];
      sDen[threadIdx.x] += sDen[threadIdx.x + s];
      sBad[threadIdx.x] += sBad[threadIdx.x + s];
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) {
    atomicAdd(&sums->num, sNum[0]);
    atomicAdd(&sums->den, sDen[0]);
    atomicAdd(&sums->unwritten, sBad[0]);
  }
}

unsigned blocksFor(int64_t count, int threads) {
  return (unsigned)((count + threads - 1) / threads);
}

//===----------------------------------------------------------------------===//
// Shapes, options
//===----------------------------------------------------------------------===//

struct Shape {
  int64_t m, n, k;
};

struct Options {
  std::string shapesPath;
  std::vector<std::string> bundles;
  std::vector<std::string> backends = {"generated", "cublaslt"};
  int replays = 15;
  std::string jsonPath, csvPath, tuneFrom;
  bool tune = false;
  std::vector<int64_t> mList;
  double tol = 2e-5;
  uint64_t seed = 20261127;
  std::string data = "normal";
  std::string order = "blocked";
  double warmupMs = 200;
  // --sweep DIR: every bundle under DIR is a backend of its own (policy
  // generated, its own runtime), named after its directory.
  std::string sweepDir;
  bool backendsGiven = false;
};

const std::map<std::string, gemmrt_policy> kPolicies = {
    {"auto", GEMMRT_POLICY_AUTO},
    {"generated", GEMMRT_POLICY_GENERATED},
    {"cublaslt", GEMMRT_POLICY_CUBLASLT},
    {"reference", GEMMRT_POLICY_REFERENCE},
    {"batch_invariant", GEMMRT_POLICY_BATCH_INVARIANT}};

std::vector<std::string> splitList(const std::string &s) {
  std::vector<std::string> v;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty())
      v.push_back(item);
  return v;
}

bool parsePositive(const std::string &s, int64_t &out) {
  char *end = nullptr;
  errno = 0;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno || end == s.c_str() || *end != '\0' || v <= 0)
    return false;
  out = v;
  return true;
}

[[noreturn]] void usage(const std::string &why = "") {
  if (!why.empty())
    std::fprintf(stderr, "gemm-bench: %s\n", why.c_str());
  std::fprintf(
      stderr,
      "usage: gemm-bench SHAPES.json [--bundle DIR ...]\n"
      "                  [--backends generated,cublaslt[,reference][,auto]]\n"
      "                  [--replays 15] [--m-list M,...] [--json FILE] "
      "[--csv FILE]\n"
      "                  [--tune] [--tol 2e-5] [--seed S] "
      "[--data normal|uniform]\n"
      "                  [--order blocked|interleaved] [--warmup-ms 200]\n"
      "       gemm-bench SHAPES.json --sweep DIR [--replays 15] [--json "
      "FILE] ...\n"
      "                  (every bundle under DIR a backend of its own)\n"
      "       gemm-bench --tune-from BENCH.json --bundle DIR   (no GPU: "
      "tuning.json\n"
      "                  from the rows of an earlier --json output)\n"
      "SHAPES.json: {\"shapes\": [[M,N,K],...]} or {\"nk\": [[N,K],...], "
      "\"m\": [M,...]}\n"
      "--tune writes tuning.json into the first --bundle directory.\n");
  std::exit(2);
}

Options parseArgs(int argc, char **argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc)
        usage(a + " needs a value");
      return argv[++i];
    };
    if (a == "--bundle")
      o.bundles.push_back(next());
    else if (a == "--sweep")
      o.sweepDir = next();
    else if (a == "--backends") {
      o.backendsGiven = true;
      o.backends = splitList(next());
      for (const std::string &b : o.backends)
        if (!kPolicies.count(b))
          usage("unknown backend '" + b +
                "' (generated, cublaslt, reference, auto, batch_invariant)");
      std::set<std::string> seen(o.backends.begin(), o.backends.end());
      if (seen.size() != o.backends.size() || o.backends.empty())
        usage("--backends: a non-empty list without repeats");
    } else if (a == "--replays") {
      int64_t r;
      if (!parsePositive(next(), r) || r > 100000)
        usage("--replays: a positive integer");
      o.replays = (int)r;
    } else if (a == "--json")
      o.jsonPath = next();
    else if (a == "--csv")
      o.csvPath = next();
    else if (a == "--tune")
      o.tune = true;
    else if (a == "--tune-from")
      o.tuneFrom = next();
    else if (a == "--m-list") {
      for (const std::string &s : splitList(next())) {
        int64_t m;
        if (!parsePositive(s, m))
          usage("--m-list: positive integers separated by commas");
        o.mList.push_back(m);
      }
    } else if (a == "--tol")
      o.tol = std::atof(next().c_str());
    else if (a == "--seed")
      o.seed = std::strtoull(next().c_str(), nullptr, 10);
    else if (a == "--warmup-ms") {
      int64_t w;
      if (!parsePositive(next(), w) || w > 60000)
        usage("--warmup-ms: a positive integer up to 60000");
      o.warmupMs = (double)w;
    } else if (a == "--order") {
      o.order = next();
      if (o.order != "blocked" && o.order != "interleaved")
        usage("--order: blocked or interleaved");
    } else if (a == "--data") {
      o.data = next();
      if (o.data != "normal" && o.data != "uniform")
        usage("--data: normal or uniform");
    } else if (a == "-h" || a == "--help")
      usage();
    else if (!a.empty() && a[0] == '-')
      usage("unknown option " + a);
    else if (o.shapesPath.empty())
      o.shapesPath = a;
    else
      usage("more than one shape file");
  }
  if (!o.tuneFrom.empty()) {
    if (o.bundles.empty())
      usage("--tune-from needs a --bundle (tuning.json is written into the "
            "first)");
    return o;
  }
  if (o.shapesPath.empty())
    usage("no shape file");
  if (!o.sweepDir.empty()) {
    if (!o.bundles.empty() || o.backendsGiven || o.tune)
      usage("--sweep takes its bundles and backends from DIR: no --bundle, "
            "--backends or --tune with it");
  }
  if (o.tune) {
    if (o.bundles.empty())
      usage("--tune needs a --bundle (tuning.json is written into the first)");
    bool gen = std::count(o.backends.begin(), o.backends.end(), "generated");
    bool lt = std::count(o.backends.begin(), o.backends.end(), "cublaslt");
    if (!gen || !lt)
      usage("--tune needs both generated and cublaslt in --backends");
  }
  return o;
}

bool readText(const std::string &path, std::string &text) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return false;
  std::stringstream ss;
  ss << in.rdbuf();
  text = ss.str();
  return true;
}

bool readJsonFile(const std::string &path, json &out, std::string &why) {
  std::string text;
  if (!readText(path, text)) {
    why = path + ": cannot read: " + std::strerror(errno);
    return false;
  }
  try {
    out = json::parse(text, nullptr, true, /*ignore_comments=*/true);
  } catch (const json::exception &e) {
    why = path + ": not valid JSON: " + e.what();
    return false;
  }
  return true;
}

int64_t positiveInt(const json &v, const char *what) {
  if (!v.is_number_integer() || v.get<int64_t>() <= 0)
    throw std::runtime_error(std::string(what) + ": expected a positive "
                                                 "integer, got " + v.dump());
  return v.get<int64_t>();
}

std::vector<Shape> loadShapes(const Options &o) {
  json spec;
  std::string why;
  if (!readJsonFile(o.shapesPath, spec, why))
    usage(why);
  std::vector<Shape> shapes;
  try {
    if (!spec.is_object())
      throw std::runtime_error("expected a JSON object");
    std::vector<std::pair<int64_t, int64_t>> nk;
    std::vector<int64_t> ms;
    if (spec.contains("shapes")) {
      for (const json &s : spec.at("shapes")) {
        if (!s.is_array() || s.size() != 3)
          throw std::runtime_error("\"shapes\" entries are [M, N, K]");
        Shape sh{positiveInt(s[0], "M"), positiveInt(s[1], "N"),
                 positiveInt(s[2], "K")};
        shapes.push_back(sh);
        if (std::find(nk.begin(), nk.end(), std::make_pair(sh.n, sh.k)) ==
            nk.end())
          nk.push_back({sh.n, sh.k});
      }
    } else if (spec.contains("nk")) {
      for (const json &s : spec.at("nk")) {
        if (!s.is_array() || s.size() != 2)
          throw std::runtime_error("\"nk\" entries are [N, K]");
        nk.push_back({positiveInt(s[0], "N"), positiveInt(s[1], "K")});
      }
      if (spec.contains("m"))
        for (const json &m : spec.at("m"))
          ms.push_back(positiveInt(m, "m"));
      for (auto [n, k] : nk)
        for (int64_t m : ms)
          shapes.push_back({m, n, k});
    } else {
      throw std::runtime_error("expected a \"shapes\" or an \"nk\" field");
    }
    if (!o.mList.empty()) {
      shapes.clear();
      for (auto [n, k] : nk)
        for (int64_t m : o.mList)
          shapes.push_back({m, n, k});
    }
  } catch (const std::exception &e) {
    usage(o.shapesPath + ": " + e.what());
  }
  if (shapes.empty())
    usage(o.shapesPath + ": no shapes (an \"nk\" file needs \"m\" or "
                         "--m-list)");
  return shapes;
}

//===----------------------------------------------------------------------===//
// Device facts
//===----------------------------------------------------------------------===//

struct DeviceInfo {
  std::string name, driver, cudaDriver, cudaRuntime, date, time;
  int smMaxMHz = 0, memMaxMHz = 0, sms = 0, ccMajor = 0, ccMinor = 0;
  int64_t l2Bytes = 0;
  double hbmBytesPerSec = 3.35e12;
};

/// The kernel driver version ("580.159.04") from /proc, else "".
std::string kernelDriverVersion() {
  std::string text;
  if (!readText("/proc/driver/nvidia/version", text))
    return "";
  std::istringstream in(text.substr(0, text.find('\n')));
  std::string tok;
  while (in >> tok) {
    int dots = 0;
    bool ok = !tok.empty() && std::isdigit((unsigned char)tok[0]);
    for (char c : tok) {
      if (c == '.')
        ++dots;
      else if (!std::isdigit((unsigned char)c))
        ok = false;
    }
    if (ok && dots >= 1)
      return tok;
  }
  return "";
}

std::string versionString(int v) { // 13000 -> "13.0"
  return std::to_string(v / 1000) + "." + std::to_string((v % 1000) / 10);
}

DeviceInfo deviceInfo(int dev) {
  DeviceInfo d;
  cudaDeviceProp prop;
  CUDA_OK(cudaGetDeviceProperties(&prop, dev));
  d.name = prop.name;
  d.sms = prop.multiProcessorCount;
  d.ccMajor = prop.major;
  d.ccMinor = prop.minor;
  int v = 0;
  CUDA_OK(cudaDeviceGetAttribute(&v, cudaDevAttrL2CacheSize, dev));
  d.l2Bytes = v;
  CUDA_OK(cudaDeviceGetAttribute(&v, cudaDevAttrClockRate, dev));
  d.smMaxMHz = v / 1000;
  CUDA_OK(cudaDeviceGetAttribute(&v, cudaDevAttrMemoryClockRate, dev));
  d.memMaxMHz = v / 1000;
  // Double data rate over the whole bus: the floor is this card's.
  int busBits = 0;
  CUDA_OK(cudaDeviceGetAttribute(&busBits, cudaDevAttrGlobalMemoryBusWidth,
                                 dev));
  if (v > 0 && busBits > 0)
    d.hbmBytesPerSec = 2.0 * v * 1e3 * busBits / 8;
  int drv = 0, rtv = 0;
  CUDA_OK(cudaDriverGetVersion(&drv));
  CUDA_OK(cudaRuntimeGetVersion(&rtv));
  d.cudaDriver = versionString(drv);
  d.cudaRuntime = versionString(rtv);
  d.driver = kernelDriverVersion();
  if (d.driver.empty())
    d.driver = "cuda " + d.cudaDriver;
  std::time_t now = std::time(nullptr);
  std::tm tm;
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
  d.date = buf;
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  d.time = buf;
  return d;
}

//===----------------------------------------------------------------------===//
// One shape: the input sets and the reference
//===----------------------------------------------------------------------===//

/// Bytes one call touches (x and y read once, out written once): the figure
/// peers.py uses for the set count and the HBM floor.
int64_t bytesPerCall(const Shape &s) {
  return 2 * (s.m * s.k + s.n * s.k) + 4 * s.m * s.n;
}

/// Peak HBM bytes per second of the card timed (deviceInfo sets it).
double gHbmBytesPerSec = 3.35e12;

double floorUs(const Shape &s) {
  double flops = 2.0 * s.m * s.n * s.k;
  return std::max(bytesPerCall(s) / gHbmBytesPerSec, flops / 989e12) * 1e6;
}

struct InputSets {
  std::vector<__nv_bfloat16 *> x, y;
  std::vector<float *> out;
  double *ref = nullptr;
  CompareSums *sums = nullptr;
  int calls = 0; // per graph replay

  ~InputSets() {
    for (auto *p : x)
      cudaFree(p);
    for (auto *p : y)
      cudaFree(p);
    for (auto *p : out)
      cudaFree(p);
    cudaFree(ref);
    cudaFree(sums);
  }
  int count() const { return (int)x.size(); }
};

int setCount(const Shape &s, int64_t l2Bytes) {
  int64_t per = bytesPerCall(s);
  int64_t n = (2 * l2Bytes + per - 1) / per;
  return (int)std::max<int64_t>(2, std::min<int64_t>(64, n));
}

void makeSets(InputSets &sets, const Shape &s, int64_t l2Bytes, uint64_t seed,
              bool normal, cudaStream_t stream) {
  int n = setCount(s, l2Bytes);
  const int threads = 256;
  for (int i = 0; i < n; ++i) {
    __nv_bfloat16 *x = nullptr, *y = nullptr;
    float *out = nullptr;
    CUDA_TRY(cudaMalloc(&x, s.m * s.k * 2));
    sets.x.push_back(x);
    CUDA_TRY(cudaMalloc(&y, s.n * s.k * 2));
    sets.y.push_back(y);
    CUDA_TRY(cudaMalloc(&out, s.m * s.n * 4));
    sets.out.push_back(out);
    uint64_t sx = seed * 1000003ull + 2 * i, sy = sx + 1;
    if (normal) {
      fillNormal<<<blocksFor(s.m * s.k, threads), threads, 0, stream>>>(
          x, s.m, s.k, s.k, sx, 1.0f);
      fillNormal<<<blocksFor(s.n * s.k, threads), threads, 0, stream>>>(
          y, s.n, s.k, s.k, sy, 1.0f / std::sqrt((float)s.k));
    } else {
      fillRandom<<<blocksFor(s.m * s.k, threads), threads, 0, stream>>>(
          x, s.m, s.k, s.k, sx);
      fillRandom<<<blocksFor(s.n * s.k, threads), threads, 0, stream>>>(
          y, s.n, s.k, s.k, sy);
    }
    CUDA_TRY(cudaGetLastError());
  }
  // R calls per replay: one per set, the cycle repeated up to >= 8 calls.
  sets.calls = n * ((8 + n - 1) / n);
  CUDA_TRY(cudaMalloc(&sets.ref, s.m * s.n * 8));
  CUDA_TRY(cudaMalloc(&sets.sums, sizeof(CompareSums)));
  dim3 grid((unsigned)((s.n + 15) / 16), (unsigned)((s.m + 15) / 16));
  referenceF64<<<grid, dim3(16, 16), 0, stream>>>(
      sets.x[0], s.k, sets.y[0], s.k, sets.ref, s.m, s.n, s.k);
  CUDA_TRY(cudaGetLastError());
  CUDA_TRY(cudaStreamSynchronize(stream));
}

//===----------------------------------------------------------------------===//
// One backend on one shape
//===----------------------------------------------------------------------===//

struct Cell {
  std::string error; // empty: timed and correct
  bool wrong = false; // ran but failed the check
  bool checked = false;
  double us = -1, usMin = -1, tflops = 0, relErr = -1;
  unsigned long long unwritten = 0;
  std::string served, variant, choice;
  bool ok() const { return error.empty() && us >= 0; }
};

/// "... key=value ..." -> value ("" when absent).
std::string token(const std::string &text, const std::string &key) {
  size_t p = text.find(" " + key + "=");
  if (p == std::string::npos)
    return "";
  p += key.size() + 2;
  size_t e = text.find(' ', p);
  return text.substr(p, e == std::string::npos ? std::string::npos : e - p);
}

std::string statusText(gemmrt_status st) {
  std::string s = gemmrt_status_string(st);
  const char *msg = gemmrt_last_error();
  if (msg && *msg)
    s += std::string(": ") + msg;
  return s;
}

struct GraphGuard {
  cudaGraph_t graph = nullptr;
  cudaGraphExec_t exec = nullptr;
  cudaEvent_t start = nullptr, stop = nullptr;
  ~GraphGuard() {
    if (exec)
      cudaGraphExecDestroy(exec);
    if (graph)
      cudaGraphDestroy(graph);
    if (start)
      cudaEventDestroy(start);
    if (stop)
      cudaEventDestroy(stop);
  }
};

/// Checks one backend on a shape and captures its graph (steps 1-3); the
/// graph, ready to replay, goes to `graphOut`. Timing is done by
/// timeInterleaved for all backends of the shape together.
Cell benchBackend(gemmrt_runtime *rt, gemmrt_policy policy, const Shape &s,
                  InputSets &sets, cudaStream_t stream, double tol,
                  std::unique_ptr<GraphGuard> &graphOut) {
  Cell c;
  gemmrt_status st = gemmrt_set_backend_policy(rt, policy);
  if (st != GEMMRT_OK) {
    c.error = statusText(st);
    return c;
  }
  char buf[1024];
  st = gemmrt_describe_choice(rt, s.m, s.n, s.k, buf, sizeof(buf));
  c.choice = buf;
  if (st == GEMMRT_OK) {
    c.served = token(c.choice, "backend");
    c.variant = token(c.choice, "variant");
  }
  auto call = [&](int i) {
    return gemmrt_linear_bf16_fp32(rt, sets.x[i], s.k, sets.y[i], s.k,
                                   sets.out[i], s.n, s.m, s.n, s.k, stream);
  };

  // 1. Correctness on set 0, output poisoned first. This is also the first
  //    call of the shape (module load, cuBLASLt heuristics).
  const int threads = 256;
  fillU32<<<blocksFor(s.m * s.n, threads), threads, 0, stream>>>(
      reinterpret_cast<uint32_t *>(sets.out[0]), s.m * s.n, kPoison);
  CUDA_TRY(cudaGetLastError());
  st = call(0);
  if (st != GEMMRT_OK) {
    c.error = statusText(st);
    return c;
  }
  CUDA_TRY(cudaStreamSynchronize(stream));
  CUDA_TRY(cudaMemsetAsync(sets.sums, 0, sizeof(CompareSums), stream));
  unsigned blocks = std::min<unsigned>(blocksFor(s.m * s.n, threads), 4096);
  compareKernel<<<blocks, threads, 0, stream>>>(
      reinterpret_cast<const uint32_t *>(sets.out[0]), sets.ref, s.m * s.n,
      sets.sums);
  CUDA_TRY(cudaGetLastError());
  CompareSums sums;
  CUDA_TRY(cudaMemcpyAsync(&sums, sets.sums, sizeof(sums),
                           cudaMemcpyDeviceToHost, stream));
  CUDA_TRY(cudaStreamSynchronize(stream));
  c.checked = true;
  c.unwritten = sums.unwritten;
  c.relErr = sums.den > 0 ? std::sqrt(sums.num / sums.den) : INFINITY;
  if (c.unwritten != 0 || !(c.relErr <= tol)) {
    c.wrong = true;
    char msg[160];
    std::snprintf(msg, sizeof(msg),
                  "wrong result: rel_err %.3e (tol %.1e), %llu of %lld "
                  "elements unwritten",
                  c.relErr, tol, c.unwritten, (long long)(s.m * s.n));
    c.error = msg;
    return c;
  }

  // 2. One warm-up call per set outside capture.
  for (int i = 0; i < sets.count(); ++i)
    if ((st = call(i)) != GEMMRT_OK) {
      c.error = "warm-up: " + statusText(st);
      return c;
    }
  CUDA_TRY(cudaStreamSynchronize(stream));

  // 3. One graph of R calls cycling through the sets.
  auto graphHolder = std::make_unique<GraphGuard>();
  GraphGuard &g = *graphHolder;
  CUDA_TRY(cudaStreamBeginCapture(stream, cudaStreamCaptureModeGlobal));
  std::string captureError;
  for (int i = 0; i < sets.calls && captureError.empty(); ++i)
    if ((st = call(i % sets.count())) != GEMMRT_OK)
      captureError = "under graph capture: " + statusText(st);
  cudaError_t endErr = cudaStreamEndCapture(stream, &g.graph);
  if (!captureError.empty() || endErr != cudaSuccess) {
    cudaGetLastError(); // capture errors are not sticky
    c.error = !captureError.empty()
                  ? captureError
                  : std::string("graph capture failed: ") +
                        cudaGetErrorString(endErr);
    return c;
  }
  CUDA_TRY(cudaGraphInstantiate(&g.exec, g.graph, 0));
  CUDA_TRY(cudaGraphLaunch(g.exec, stream)); // untimed
  CUDA_TRY(cudaStreamSynchronize(stream));

  CUDA_TRY(cudaEventCreate(&g.start));
  CUDA_TRY(cudaEventCreate(&g.stop));
  graphOut = std::move(graphHolder);
  return c;
}

/// 4. Timed replays, in one of two orders.
///  * blocked (default): each backend alone for a block of replays, A B B
///    A, each block after untimed warm-up replays (for at least --warmup-ms
///    or 25 replays, whichever is shorter): each figure comes from runs of
///    that backend back to back in its own steady state, as peers.py times
///    torch, and the reversed second round cancels drift between A and B
///    (under the power cap the GPU slows over seconds of load: with A B A B
///    the second backend read up to 10% slower at M = 16384).
///  * interleaved: replay r of every backend before replay r + 1 of any.
/// On an H100 under its power cap, interleaving two backends read both
/// 6-14% slower at the compute-bound M = 16384 shapes than either alone
/// (16384x2048x7168: 718 against 617 us, cuBLASLt 708 against 628), which
/// made them incomparable with peers.py's torch figures.
void timeReplays(std::vector<Cell *> cells, std::vector<GraphGuard *> graphs,
                 const Shape &s, int calls, cudaStream_t stream, int replays,
                 bool interleaved, double warmupMs) {
  std::vector<std::vector<double>> ts(cells.size());
  auto replay = [&](size_t i, bool timed) -> double {
    GraphGuard &g = *graphs[i];
    CUDA_TRY(cudaEventRecord(g.start, stream));
    CUDA_TRY(cudaGraphLaunch(g.exec, stream));
    CUDA_TRY(cudaEventRecord(g.stop, stream));
    CUDA_TRY(cudaEventSynchronize(g.stop));
    float ms = 0;
    CUDA_TRY(cudaEventElapsedTime(&ms, g.start, g.stop));
    if (timed)
      ts[i].push_back(ms * 1e3 / calls);
    return ms;
  };
  if (interleaved) {
    for (int r = 0; r < replays; ++r)
      for (size_t i = 0; i < cells.size(); ++i)
        replay(i, true);
  } else {
    // Two blocks per backend; the first takes the odd replay. The second
    // round runs the backends in reverse order.
    int firstBlock = (replays + 1) / 2;
    for (int round = 0; round < 2; ++round) {
      int block = round == 0 ? firstBlock : replays - firstBlock;
      for (size_t j = 0; j < cells.size() && block > 0; ++j) {
        size_t i = round == 0 ? j : cells.size() - 1 - j;
        // Under the power cap the clock follows the recent load: warm up
        // until this backend's own load has run for a while.
        double firstMs = replay(i, false), spent = firstMs;
        double target = std::min(warmupMs, 25 * firstMs);
        while (spent < target)
          spent += replay(i, false);
        for (int r = 0; r < block; ++r)
          replay(i, true);
      }
    }
  }
  for (size_t i = 0; i < cells.size(); ++i) {
    std::vector<double> &t = ts[i];
    std::sort(t.begin(), t.end());
    size_t n = t.size();
    Cell &c = *cells[i];
    c.us = n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
    c.usMin = t.front();
    c.tflops = 2.0 * s.m * s.n * s.k / c.us / 1e6;
  }
}

//===----------------------------------------------------------------------===//
// Output
//===----------------------------------------------------------------------===//

struct Row {
  Shape shape;
  int sets = 0, calls = 0;
  std::map<std::string, Cell> cells;
};

/// v rounded to 1/scale (scale a power of ten: the division keeps the
/// shortest decimal form in the JSON).
double rounded(double v, double scale) { return std::round(v * scale) / scale; }

json cellJson(const Cell &c) {
  json j;
  if (c.ok()) {
    j["us"] = rounded(c.us, 1e4);
    j["us_min"] = rounded(c.usMin, 1e4);
    j["tflops"] = rounded(c.tflops, 1e3);
    j["relerr"] = c.relErr;
  } else {
    j["error"] = c.error;
    if (c.checked) {
      j["relerr"] = std::isfinite(c.relErr) ? json(c.relErr) : json(nullptr);
      j["unwritten"] = c.unwritten;
    }
  }
  j["variant"] = c.variant.empty() ? json(nullptr) : json(c.variant);
  j["served"] = c.served.empty() ? json(nullptr) : json(c.served);
  return j;
}

json rowJson(const Row &r, const std::vector<std::string> &backends) {
  json j;
  j["M"] = r.shape.m;
  j["N"] = r.shape.n;
  j["K"] = r.shape.k;
  j["floor_us"] = rounded(floorUs(r.shape), 1e4);
  j["sets"] = r.sets;
  j["calls"] = r.calls;
  for (const std::string &b : backends) {
    auto it = r.cells.find(b);
    if (it != r.cells.end())
      j[b] = cellJson(it->second);
  }
  return j;
}

std::string csvQuote(std::string s) {
  for (char &ch : s)
    if (ch == '"' || ch == '\n')
      ch = '\'';
  return "\"" + s + "\"";
}

/// Writes `text` to `path` through a temporary file in the same directory
/// and a rename, so readers see the old file or the new one, never a part.
bool writeAtomically(const std::string &path, const std::string &text,
                     std::string &why) {
  std::string tmp = path + ".tmp." + std::to_string((long long)getpid());
  FILE *f = std::fopen(tmp.c_str(), "wb");
  if (!f) {
    why = tmp + ": " + std::strerror(errno);
    return false;
  }
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fflush(f) == 0 && ok;
  ok = fsync(fileno(f)) == 0 && ok;
  ok = std::fclose(f) == 0 && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    why = path + ": " + std::strerror(errno);
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

bool writeText(const std::string &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) {
    std::fprintf(stderr, "gemm-bench: cannot write %s\n", path.c_str());
    return false;
  }
  return true;
}

std::string fmtUs(const Cell *c) {
  if (!c)
    return "-";
  if (c->ok()) {
    char b[32];
    std::snprintf(b, sizeof(b), "%.2f", c->us);
    return b;
  }
  if (c->wrong)
    return "WRONG";
  if (c->error.find("UNSUPPORTED_SHAPE") != std::string::npos)
    return "uncovered";
  return "ERROR";
}

//===----------------------------------------------------------------------===//
// --tune
//===----------------------------------------------------------------------===//

struct Bucket {
  int64_t n, k, mMin, mMax;
  bool operator<(const Bucket &o) const {
    return std::tie(n, k, mMin, mMax) < std::tie(o.n, o.k, o.mMin, o.mMax);
  }
};

struct ManifestVariant {
  std::string name;
  Bucket b;
};

json numberOrNull(const Cell *c) {
  return c && c->ok() ? json(rounded(c->us, 1e4)) : json(nullptr);
}

/// Builds tuning.json for the first bundle from the measured rows and writes
/// it atomically. Returns false on an error (reported on stderr).
bool writeTuning(const std::string &bundleDir, const std::vector<Row> &rows,
                 const DeviceInfo &dev, int replays) {
  json manifest;
  std::string why;
  if (!readJsonFile(bundleDir + "/manifest.json", manifest, why)) {
    std::fprintf(stderr, "gemm-bench: --tune: %s\n", why.c_str());
    return false;
  }
  std::vector<ManifestVariant> variants;
  std::string chip;
  try {
    chip = manifest.at("chip").get<std::string>();
    for (const json &v : manifest.at("variants"))
      variants.push_back({v.at("name").get<std::string>(),
                          {v.at("n").get<int64_t>(), v.at("k").get<int64_t>(),
                           v.at("m_min").get<int64_t>(),
                           v.at("m_max").get<int64_t>()}});
  } catch (const json::exception &e) {
    std::fprintf(stderr, "gemm-bench: --tune: %s/manifest.json: %s\n",
                 bundleDir.c_str(), e.what());
    return false;
  }
  std::set<Bucket> buckets;
  for (const ManifestVariant &v : variants)
    buckets.insert(v.b);

  json entries = json::array();
  std::printf("\n== tuning (%s/tuning.json): per (N, K, M bucket), generated "
              "only where it was at least as fast as cuBLASLt at every "
              "measured M\n",
              bundleDir.c_str());
  std::printf("%6s %6s %-17s %-9s %s\n", "N", "K", "M bucket", "backend",
              "why");
  for (const Bucket &b : buckets) {
    std::vector<const Row *> in;
    for (const Row &r : rows)
      if (r.shape.n == b.n && r.shape.k == b.k && r.shape.m >= b.mMin &&
          r.shape.m <= b.mMax)
        in.push_back(&r);
    std::string range = std::to_string((long long)b.mMin) + "-" +
                        (b.mMax >= INT32_MAX ? std::string("max")
                                             : std::to_string((long long)b.mMax));
    if (in.empty()) {
      std::printf("%6lld %6lld %-17s %-9s %s\n", (long long)b.n,
                  (long long)b.k, range.c_str(), "-",
                  "no M measured in this bucket: no entry (default rules)");
      continue;
    }
    json ms = json::array(), gen = json::array(), lt = json::array();
    bool allGenOk = true, allLtOk = true, genWins = true;
    double genSum = 0, ltSum = 0;
    std::set<std::string> served;
    std::string reason;
    for (const Row *r : in) {
      const Cell *g = r->cells.count("generated") ? &r->cells.at("generated")
                                                  : nullptr;
      const Cell *l = r->cells.count("cublaslt") ? &r->cells.at("cublaslt")
                                                 : nullptr;
      ms.push_back(r->shape.m);
      gen.push_back(numberOrNull(g));
      lt.push_back(numberOrNull(l));
      bool gOk = g && g->ok(), lOk = l && l->ok();
      allGenOk &= gOk;
      allLtOk &= lOk;
      if (gOk) {
        genSum += g->us;
        served.insert(g->variant);
      }
      if (lOk)
        ltSum += l->us;
      char m[96];
      if (!gOk) {
        genWins = false;
        if (reason.empty()) {
          std::snprintf(m, sizeof(m), "generated failed at M=%lld",
                        (long long)r->shape.m);
          reason = m;
        }
      } else if (lOk && g->us > l->us) {
        genWins = false;
        if (reason.empty()) {
          std::snprintf(m, sizeof(m),
                        "generated slower at M=%lld (%.2f vs %.2f us)",
                        (long long)r->shape.m, g->us, l->us);
          reason = m;
        }
      }
    }
    std::string variant;
    if (genWins) {
      // The entry names one variant of this bundle that covers the bucket.
      if (served.size() == 1) {
        for (const ManifestVariant &v : variants)
          if (v.name == *served.begin() && v.b.n == b.n && v.b.k == b.k &&
              v.b.mMin <= b.mMin && v.b.mMax >= b.mMax)
            variant = v.name;
      }
      if (variant.empty()) {
        std::printf("%6lld %6lld %-17s %-9s %s\n", (long long)b.n,
                    (long long)b.k, range.c_str(), "-",
                    "generated won, but not with one variant of this bundle "
                    "covering the bucket: no entry (default rules)");
        continue;
      }
    } else if (!allLtOk) {
      std::printf("%6lld %6lld %-17s %-9s %s\n", (long long)b.n,
                  (long long)b.k, range.c_str(), "-",
                  "neither backend succeeded at every measured M: no entry");
      continue;
    }
    json e;
    e["n"] = b.n;
    e["k"] = b.k;
    e["m_min"] = b.mMin;
    e["m_max"] = b.mMax;
    e["backend"] = genWins ? "generated" : "cublaslt";
    if (genWins)
      e["variant"] = variant;
    json us = json::object();
    size_t count = in.size();
    if (allGenOk)
      us["generated"] = rounded(genSum / count, 1e4);
    if (allLtOk)
      us["cublaslt"] = rounded(ltSum / count, 1e4);
    e["us"] = us;
    e["m"] = ms;
    e["us_per_m"] = json{{"generated", gen}, {"cublaslt", lt}};
    entries.push_back(e);
    std::printf("%6lld %6lld %-17s %-9s %s\n", (long long)b.n, (long long)b.k,
                range.c_str(), genWins ? "generated" : "cublaslt",
                genWins ? ("faster or equal at all " + std::to_string(count) +
                           " measured M (" + variant + ")")
                              .c_str()
                        : reason.c_str());
  }

  json t;
  t["schema_version"] = 1;
  t["chip"] = chip;
  t["device"] = dev.name;
  t["driver"] = dev.driver;
  t["date"] = dev.date;
  t["tool"] = std::string("gemm-bench (gemmrt ") + gemmrt_version() + ")";
  t["replays"] = replays;
  t["entries"] = entries;
  if (!writeAtomically(bundleDir + "/tuning.json", t.dump(1) + "\n", why)) {
    std::fprintf(stderr, "gemm-bench: --tune: cannot write: %s\n",
                 why.c_str());
    return false;
  }
  std::printf("wrote %s/tuning.json (%zu entries)\n", bundleDir.c_str(),
              entries.size());
  return true;
}

/// --tune-from: tuning.json from the rows of an earlier --json output (no
/// GPU needed; the provenance fields are the measurement's).
int tuneFromJson(const Options &opt) {
  json j;
  std::string why;
  if (!readJsonFile(opt.tuneFrom, j, why)) {
    std::fprintf(stderr, "gemm-bench: --tune-from: %s\n", why.c_str());
    return 2;
  }
  DeviceInfo dev;
  std::vector<Row> rows;
  int replays = 0;
  try {
    dev.name = j.at("device").get<std::string>();
    dev.driver = j.at("driver").get<std::string>();
    dev.date = j.at("date").get<std::string>();
    replays = j.value("replays", 0);
    for (const json &r : j.at("rows")) {
      Row row;
      row.shape = {r.at("M").get<int64_t>(), r.at("N").get<int64_t>(),
                   r.at("K").get<int64_t>()};
      for (const char *b : {"generated", "cublaslt"}) {
        if (!r.contains(b))
          continue;
        const json &cj = r.at(b);
        Cell c;
        if (cj.contains("us") && cj.at("us").is_number())
          c.us = cj.at("us").get<double>();
        else
          c.error = cj.value("error", std::string("not measured"));
        if (cj.contains("variant") && cj.at("variant").is_string())
          c.variant = cj.at("variant").get<std::string>();
        row.cells[b] = c;
      }
      rows.push_back(std::move(row));
    }
  } catch (const json::exception &e) {
    std::fprintf(stderr, "gemm-bench: --tune-from: %s: %s\n",
                 opt.tuneFrom.c_str(), e.what());
    return 2;
  }
  return writeTuning(opt.bundles[0], rows, dev, replays) ? 0 : 2;
}

bool isRegularFile(const std::string &path) {
  std::ifstream f(path);
  return f.good();
}

} // namespace

int main(int argc, char **argv) {
  Options opt = parseArgs(argc, argv);
  if (!opt.tuneFrom.empty())
    return tuneFromJson(opt);
  std::vector<Shape> shapes = loadShapes(opt);

  int count = 0;
  if (gemmrt_device_count(&count) != GEMMRT_OK || count == 0) {
    std::fprintf(stderr, "gemm-bench: no GPU: %s\n", gemmrt_last_error());
    return 2;
  }
  CUDA_OK(cudaSetDevice(0));
  CUDA_OK(cudaFree(nullptr)); // make the primary context current
  DeviceInfo dev = deviceInfo(0);
  gHbmBytesPerSec = dev.hbmBytesPerSec;

  // --sweep: one runtime per bundle under the directory, each a backend.
  std::vector<gemmrt_runtime *> sweepRts;
  bool sweep = !opt.sweepDir.empty();
  if (sweep) {
    std::vector<std::string> dirs;
    std::error_code ec;
    for (const auto &e : std::filesystem::directory_iterator(opt.sweepDir, ec))
      if (e.is_directory() &&
          std::filesystem::exists(e.path() / "manifest.json"))
        dirs.push_back(e.path().filename().string());
    if (ec || dirs.empty()) {
      std::fprintf(stderr, "gemm-bench: --sweep %s: %s\n",
                   opt.sweepDir.c_str(),
                   ec ? ec.message().c_str() : "no bundle in it");
      return 2;
    }
    std::sort(dirs.begin(), dirs.end());
    opt.backends.clear();
    for (const std::string &d : dirs) {
      std::string path = opt.sweepDir + "/" + d;
      const char *p = path.c_str();
      gemmrt_runtime *brt = nullptr;
      if (gemmrt_status bst = gemmrt_create(&brt, &p, 1); bst != GEMMRT_OK) {
        std::fprintf(stderr, "gemm-bench: --sweep: %s: %s\n", path.c_str(),
                     statusText(bst).c_str());
        for (gemmrt_runtime *r : sweepRts)
          gemmrt_destroy(r);
        return 2;
      }
      opt.bundles.push_back(path);
      opt.backends.push_back(d);
      sweepRts.push_back(brt);
    }
  }
  std::vector<const char *> paths;
  for (const std::string &b : opt.bundles)
    paths.push_back(b.c_str());
  gemmrt_runtime *rt = nullptr;
  // (In a sweep this one runtime serves nothing: each backend has its own.)
  gemmrt_status st = gemmrt_create(&rt, sweep ? nullptr : paths.data(),
                                   sweep ? 0 : (int)paths.size());
  if (st != GEMMRT_OK && opt.tune) {
    // A tuning.json left from an older build of the bundle (e.g. naming a
    // variant that no longer exists) makes the bundle unloadable; --tune is
    // about to replace it, so move it aside and try again.
    std::string old = opt.bundles[0] + "/tuning.json";
    std::string msg = gemmrt_last_error();
    if (msg.find("tuning.json") != std::string::npos && isRegularFile(old)) {
      std::string aside = old + ".rejected";
      std::fprintf(stderr,
                   "gemm-bench: %s\ngemm-bench: --tune: moving the old "
                   "tuning.json aside to %s\n",
                   msg.c_str(), aside.c_str());
      if (std::rename(old.c_str(), aside.c_str()) == 0)
        st = gemmrt_create(&rt, paths.data(), (int)paths.size());
    }
  }
  if (st != GEMMRT_OK) {
    std::fprintf(stderr, "gemm-bench: %s\n", statusText(st).c_str());
    return 2;
  }

  cudaStream_t stream;
  CUDA_OK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));

  std::printf("# gemm-bench: %s (sm_%d%d, %d SMs, L2 %lld MiB, SM %d MHz, "
              "mem %d MHz, HBM %.2f TB/s), driver %s, CUDA %s, gemmrt %s, "
              "%s\n",
              dev.name.c_str(), dev.ccMajor, dev.ccMinor, dev.sms,
              (long long)(dev.l2Bytes >> 20), dev.smMaxMHz, dev.memMaxMHz,
              dev.hbmBytesPerSec / 1e12,
              dev.driver.c_str(), dev.cudaDriver.c_str(), gemmrt_version(),
              dev.time.c_str());
  std::printf("# per-call us = median of %d graph replays / calls per replay; "
              "inputs cycle through sets that exceed 2x L2\n",
              opt.replays);
  bool haveRatio =
      std::count(opt.backends.begin(), opt.backends.end(), "generated") &&
      std::count(opt.backends.begin(), opt.backends.end(), "cublaslt");
  if (sweep) {
    std::printf("%6s %6s %6s %4s %12s %9s  %s\n", "M", "N", "K", "sets",
                "us", "floor us", "bundle");
  } else {
    std::printf("%6s %6s %6s %4s", "M", "N", "K", "sets");
    for (const std::string &b : opt.backends)
      std::printf(" %12s", (b + " us").c_str());
    if (haveRatio)
      std::printf(" %7s", "lt/gen");
    std::printf(" %9s  %s\n", "floor us", "variant");
  }

  std::vector<Row> rows;
  bool anyFailure = false, broken = false;
  for (size_t si = 0; si < shapes.size() && !broken; ++si) {
    const Shape &s = shapes[si];
    Row row;
    row.shape = s;
    {
      InputSets sets;
      std::string setupError;
      try {
        makeSets(sets, s, dev.l2Bytes, opt.seed + si, opt.data == "normal",
                 stream);
        row.sets = sets.count();
        row.calls = sets.calls;
      } catch (const CudaFailure &e) {
        setupError = std::string("input setup: ") + e.what();
        cudaGetLastError(); // e.g. out of memory: not sticky, clear it
      }
      std::vector<std::unique_ptr<GraphGuard>> graphs(opt.backends.size());
      for (size_t bi = 0; bi < opt.backends.size(); ++bi) {
        const std::string &b = opt.backends[bi];
        Cell c;
        if (!setupError.empty()) {
          c.error = setupError;
        } else {
          try {
            c = sweep ? benchBackend(sweepRts[bi], GEMMRT_POLICY_GENERATED, s,
                                     sets, stream, opt.tol, graphs[bi])
                      : benchBackend(rt, kPolicies.at(b), s, sets, stream,
                                     opt.tol, graphs[bi]);
          } catch (const CudaFailure &e) {
            c.error = e.what();
            graphs[bi].reset();
            cudaGetLastError(); // clear a non-sticky error; sticky: below
          }
        }
        anyFailure |= c.wrong ||
                      (!c.error.empty() &&
                       c.error.find("GEMMRT_ERROR_UNSUPPORTED_SHAPE") ==
                           std::string::npos);
        row.cells[b] = c;
        // A sticky error (illegal address, launch failure) leaves the
        // context unusable: stop after writing what was measured.
        cudaError_t sync = cudaDeviceSynchronize();
        if (sync != cudaSuccess) {
          cudaGetLastError();
          if (cudaDeviceSynchronize() != cudaSuccess) {
            std::fprintf(stderr,
                         "gemm-bench: the CUDA context broke at M=%lld "
                         "N=%lld K=%lld backend %s: %s\n",
                         (long long)s.m, (long long)s.n, (long long)s.k,
                         b.c_str(), cudaGetErrorString(sync));
            broken = true;
            break;
          }
        }
      }
      if (!broken) {
        std::vector<Cell *> timed;
        std::vector<GraphGuard *> timedGraphs;
        for (size_t bi = 0; bi < opt.backends.size(); ++bi) {
          Cell &c = row.cells[opt.backends[bi]];
          if (graphs[bi] && c.error.empty()) {
            timed.push_back(&c);
            timedGraphs.push_back(graphs[bi].get());
          }
        }
        try {
          timeReplays(timed, timedGraphs, s, sets.calls, stream, opt.replays,
                      opt.order == "interleaved", opt.warmupMs);
        } catch (const CudaFailure &e) {
          for (Cell *c : timed)
            c->error = std::string("timing: ") + e.what();
          anyFailure = true;
          cudaGetLastError();
        }
      }
    } // sets freed here
    if (sweep) {
      // One line per bundle.
      for (const std::string &b : opt.backends) {
        auto it = row.cells.find(b);
        std::printf("%6lld %6lld %6lld %4d %12s %9.2f  %s\n",
                    (long long)s.m, (long long)s.n, (long long)s.k, row.sets,
                    fmtUs(it == row.cells.end() ? nullptr : &it->second)
                        .c_str(),
                    floorUs(s), b.c_str());
        if (it != row.cells.end() && !it->second.error.empty())
          std::printf("    %s: %s\n", b.c_str(),
                      it->second.error.substr(0, 200).c_str());
      }
      std::fflush(stdout);
      rows.push_back(std::move(row));
      continue;
    }
    // Table line.
    static const Cell kMissing{"not run"};
    auto cellOf = [&row](const std::string &b) -> const Cell & {
      auto it = row.cells.find(b);
      return it == row.cells.end() ? kMissing : it->second;
    };
    std::printf("%6lld %6lld %6lld %4d", (long long)s.m, (long long)s.n,
                (long long)s.k, row.sets);
    for (const std::string &b : opt.backends) {
      auto it = row.cells.find(b);
      std::printf(" %12s",
                  fmtUs(it == row.cells.end() ? nullptr : &it->second).c_str());
    }
    if (haveRatio) {
      const Cell &g = cellOf("generated"), &l = cellOf("cublaslt");
      if (g.ok() && l.ok())
        std::printf(" %7.2f", l.us / g.us);
      else
        std::printf(" %7s", "-");
    }
    std::string variant;
    for (const std::string &b : opt.backends) {
      const Cell &c = cellOf(b);
      if (b == "auto" && !c.served.empty())
        variant += (variant.empty() ? "" : " ") +
                   ("auto->" + (c.variant.empty() ? c.served : c.variant));
      else if (b == "generated" && !c.variant.empty())
        variant += (variant.empty() ? "" : " ") + c.variant;
    }
    std::printf(" %9.2f  %s\n", floorUs(s), variant.c_str());
    for (const std::string &b : opt.backends) {
      auto it = row.cells.find(b);
      if (it != row.cells.end() && !it->second.error.empty())
        std::printf("    %s: %s\n", b.c_str(),
                    it->second.error.substr(0, 200).c_str());
    }
    std::fflush(stdout);
    rows.push_back(std::move(row));
  }

  // JSON and CSV.
  bool writeOk = true;
  if (!opt.jsonPath.empty()) {
    json j;
    j["device"] = dev.name;
    j["driver"] = dev.driver;
    j["cuda_driver"] = dev.cudaDriver;
    j["cuda_runtime"] = dev.cudaRuntime;
    j["date"] = dev.date;
    j["time"] = dev.time;
    j["clocks"] = json{{"sm_max_mhz", dev.smMaxMHz},
                       {"mem_max_mhz", dev.memMaxMHz}};
    j["l2_bytes"] = dev.l2Bytes;
    j["hbm_tbps"] = rounded(gHbmBytesPerSec / 1e12, 1e3);
    j["sms"] = dev.sms;
    j["compute_capability"] =
        std::to_string(dev.ccMajor) + "." + std::to_string(dev.ccMinor);
    j["gemmrt"] = gemmrt_version();
    j["bundles"] = opt.bundles;
    j["backends"] = opt.backends;
    j["replays"] = opt.replays;
    j["tol"] = opt.tol;
    j["data"] = opt.data;
    j["order"] = opt.order;
    j["warmup_ms"] = opt.warmupMs;
    j["complete"] = !broken;
    json rs = json::array();
    for (const Row &r : rows)
      rs.push_back(rowJson(r, opt.backends));
    j["rows"] = rs;
    writeOk &= writeText(opt.jsonPath, j.dump(1) + "\n");
  }
  if (!opt.csvPath.empty()) {
    std::ostringstream csv;
    csv << "M,N,K,backend,us,us_min,tflops,relerr,served,variant,floor_us,"
           "sets,calls,error\n";
    for (const Row &r : rows)
      for (const std::string &b : opt.backends) {
        auto it = r.cells.find(b);
        if (it == r.cells.end())
          continue;
        const Cell &c = it->second;
        csv << r.shape.m << "," << r.shape.n << "," << r.shape.k << "," << b
            << ",";
        if (c.ok())
          csv << c.us << "," << c.usMin << "," << c.tflops << ",";
        else
          csv << ",,,";
        if (c.checked)
          csv << c.relErr;
        csv << "," << c.served << "," << c.variant << "," << floorUs(r.shape)
            << "," << r.sets << "," << r.calls << ","
            << (c.error.empty() ? "" : csvQuote(c.error)) << "\n";
      }
    writeOk &= writeText(opt.csvPath, csv.str());
  }

  bool tuneOk = true;
  if (opt.tune) {
    if (broken) {
      std::fprintf(stderr, "gemm-bench: --tune: the run did not finish; "
                           "tuning.json left as it was\n");
      tuneOk = false;
    } else {
      tuneOk = writeTuning(opt.bundles[0], rows, dev, opt.replays);
    }
  }

  cudaStreamDestroy(stream);
  if (!broken) {
    gemmrt_destroy(rt);
    for (gemmrt_runtime *r : sweepRts)
      gemmrt_destroy(r);
  }
  if (broken)
    return 3;
  if (anyFailure) {
    std::fprintf(stderr, "gemm-bench: some backend failed or returned a "
                         "wrong result (see ERROR/WRONG above)\n");
    return 1;
  }
  return writeOk && tuneOk ? 0 : 2;
}
