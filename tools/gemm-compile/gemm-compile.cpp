//===- gemm-compile.cpp - shape list in, kernel bundle out ----------------===//
//
// Compiles one kernel variant per (N, K, M bucket) of a shape list to PTX
// (and a cubin when ptxas is found) and writes a bundle directory that
// libgemmrt loads (docs/bundle.md). Variants compile in parallel, each in
// its own MLIRContext; the bundle's bytes depend only on the inputs and
// options. The bundle is written to a temporary directory and renamed into
// place, so a failed run leaves no half-written bundle behind.
//
//===----------------------------------------------------------------------===//

#include "gemmgen/Dialect/Gemm/IR/Gemm.h"
#include "gemmgen/Dialect/Gemm/Transforms/Passes.h"
#include "gemmgen/Tools/BundleWriter.h"
#include "gemmgen/Tools/ShapeList.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory category("gemm-compile options");
static cl::opt<std::string> shapeFile(cl::Positional,
                                      cl::desc("[shape file (JSON)]"),
                                      cl::init(""), cl::cat(category));
static cl::list<std::string>
    nkList("nk", cl::desc("Weight shapes NxK (comma-separated, repeatable)"),
           cl::CommaSeparated, cl::cat(category));
static cl::opt<std::string> mBuckets(
    "m-buckets",
    cl::desc("M buckets, comma-separated lo-hi ranges; an empty hi means "
             "up to 2^31-1 (default: the shape file's, else "
             "1-64,65-128,129-256,257-512,513-1024,1025-2048,2049-4096,"
             "4097-8192,8193-)"),
    cl::init(""), cl::cat(category));
static cl::opt<std::string> chip("chip", cl::desc("Target chip"),
                                 cl::init("sm_90a"), cl::cat(category));
static cl::opt<std::string> outDir("o", cl::desc("Bundle directory to write"),
                                   cl::value_desc("dir"), cl::Required,
                                   cl::cat(category));
static cl::opt<unsigned> jobs("j", cl::desc("Parallel compile jobs (0: all cores)"),
                              cl::init(0), cl::cat(category));
static cl::opt<std::string>
    ptxasPath("ptxas", cl::desc("ptxas to assemble cubins (default: PATH, then "
                                "the one found at build time)"),
              cl::init(""), cl::cat(category));
static cl::opt<bool> noCubin("no-cubin", cl::desc("Do not run ptxas"),
                             cl::init(false), cl::cat(category));
static cl::opt<bool> quiet("quiet", cl::desc("No progress lines"),
                           cl::init(false), cl::cat(category));
static cl::opt<std::string> forcedConfig(
    "config",
    cl::desc("Use this #gemm.config for every variant instead of the "
             "model's choice (for tuning sweeps)"),
    cl::init(""), cl::cat(category));
static cl::opt<bool> shiftTailTiles(
    "shift-tail-tiles",
    cl::desc("Start the last M and N tiles at M - block_m and N - block_n, "
             "so that no TMA box reaches past x or y (a box that does is "
             "zero-filled, and measured slower)"),
    cl::init(false), cl::cat(category));
static cl::opt<bool> vectorPush(
    "vector-push",
    cl::desc("Split-K reductions move four fp32 values per remote store "
             "(cluster_push) or remote load (cluster), 16 bytes a lane, "
             "instead of one"),
    cl::init(false), cl::cat(category));
static cl::opt<bool> tmaStore(
    "tma-store",
    cl::desc("Split-1 warp_specialized and persistent kernels store their "
             "tile through shared memory with TMA bulk stores (out then needs "
             "16-byte alignment and ldc a multiple of 4)"),
    cl::init(false), cl::cat(category));
static cl::opt<std::string> tunedConfigs(
    "tuned-configs",
    cl::desc("Measured configurations (JSON, scripts/bench/tuned-configs.py): "
             "a variant whose M bucket has measurements takes the best of "
             "them; the others take the model's choice"),
    cl::value_desc("file"), cl::init(""), cl::cat(category));

namespace {
// Narrow buckets above 256 rows: the best tile changes with M there (wave
// count), and the tuned configs are measured at 256, 1024, 4096 and 16384.
// One token alone: the simt kernel, faster there than any tensor-core tile.
constexpr const char *kDefaultBuckets =
    "1-1,2-8,9-16,17-32,33-64,65-128,129-256,257-512,513-1024,1025-2048,2049-4096,"
    "4097-8192,8193-";

LogicalResult fail(const Twine &msg) {
  llvm::errs() << "gemm-compile: error: " << msg << "\n";
  return failure();
}
void report(const Twine &msg) { (void)fail(msg); }

/// Reads the file `path` (a `what`, for errors) and hands its text to
/// `parse`; errors name the file.
LogicalResult
readInput(StringRef path, StringRef what,
          function_ref<LogicalResult(StringRef, std::string &)> parse) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return fail("cannot read " + what + " '" + path +
                "': " + buffer.getError().message());
  std::string error;
  if (failed(parse((*buffer)->getBuffer(), error)))
    return fail(what + " '" + path + "': " + error);
  return success();
}

/// Reads a shape file (gemm::parseShapeFile).
LogicalResult readShapeFile(StringRef path, gemm::ShapeList &shapes) {
  return readInput(path, "shape file", [&](StringRef text, std::string &e) {
    return gemm::parseShapeFile(text, shapes, e);
  });
}

/// Reads a tuned-configs file and checks that it is for `chip` and that
/// every config parses; errors name the file.
LogicalResult readTunedConfigs(StringRef path, StringRef chip,
                               gemm::TunedConfigs &table) {
  if (failed(
          readInput(path, "tuned configs", [&](StringRef text, std::string &e) {
            return gemm::parseTunedConfigs(text, table, e);
          })))
    return failure();
  if (table.chip != chip)
    return fail("tuned configs '" + path + "' are for " + table.chip +
                ", not " + chip);
  DialectRegistry reg;
  reg.insert<gemm::GemmDialect>();
  MLIRContext ctx(reg);
  ctx.loadAllAvailableDialects();
  for (auto [i, t] : llvm::enumerate(table.measurements))
    if (!dyn_cast_or_null<gemm::ConfigAttr>(parseAttribute(t.config, &ctx)))
      return fail(llvm::formatv("tuned configs '{0}': measurement {1}: not a "
                                "valid #gemm.config: {2}",
                                path, i, t.config)
                      .str());
  return success();
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "gemm-compile: compile linear_bf16_fp32 kernels for a shape list into "
      "a bundle\n\n"
      "  gemm-compile shapes/dsv4.json -o bundle\n"
      "  gemm-compile --nk 384x7168,256x4096 --m-buckets 1-64,65- -o bundle\n");

  gemm::ShapeList shapes;
  if (!shapeFile.empty() && failed(readShapeFile(shapeFile, shapes)))
    return 1;
  std::vector<std::pair<int64_t, int64_t>> &nk = shapes.nk;
  std::string bucketSpec = shapes.bucketSpec;
  for (const std::string &s : nkList) {
    auto [nStr, kStr] = StringRef(s).split('x');
    int64_t n, k;
    if (nStr.getAsInteger(10, n) || kStr.getAsInteger(10, k) || n <= 0 ||
        k <= 0 || n > gemm::kMaxDim || k > gemm::kMaxDim) {
      report("bad --nk value '" + s + "' (want NxK, e.g. 384x7168)");
      return 1;
    }
    nk.push_back({n, k});
  }
  if (nk.empty()) {
    report("no shapes: give a shape file or --nk");
    return 1;
  }
  if (!mBuckets.empty())
    bucketSpec = mBuckets;
  if (bucketSpec.empty())
    bucketSpec = kDefaultBuckets;
  std::vector<std::pair<int64_t, int64_t>> bucketList;
  {
    std::string error;
    if (failed(gemm::parseMBuckets(bucketSpec, bucketList, error))) {
      report(error);
      return 1;
    }
  }
  if (!forcedConfig.empty()) {
    // Checked once here so that a bad --config is one clear error.
    DialectRegistry reg;
    reg.insert<gemm::GemmDialect>();
    MLIRContext ctx(reg);
    ctx.loadAllAvailableDialects();
    if (!dyn_cast_or_null<gemm::ConfigAttr>(parseAttribute(forcedConfig, &ctx))) {
      report("--config is not a valid #gemm.config: " + forcedConfig);
      return 1;
    }
  }
  if (failed(gemm::getChipModel(chip))) {
    report("unknown chip '" + chip + "' (known: sm_90a)");
    return 1;
  }

  gemm::BundleOptions options;
  if (!tunedConfigs.empty()) {
    if (!forcedConfig.empty()) {
      report("--config and --tuned-configs exclude each other");
      return 1;
    }
    if (failed(readTunedConfigs(tunedConfigs, chip, options.tuned)))
      return 1;
  }
  options.nk = nk;
  options.buckets = bucketList;
  options.bucketSpec = bucketSpec;
  options.chip = chip;
  options.forcedConfig = forcedConfig;
  options.shiftTailTiles = shiftTailTiles;
  options.vectorPush = vectorPush;
  options.tmaStore = tmaStore;
  options.jobs = jobs;
  if (!noCubin)
    options.ptxas = ptxasPath.empty() ? gemm::findDefaultPtxas()
                                      : std::string(ptxasPath);
  if (!quiet)
    options.progress = [](const std::string &line) {
      llvm::outs() << line << "\n";
    };
  options.error = [](const std::string &msg) { report(msg); };

  auto wallStart = std::chrono::steady_clock::now();
  size_t written = 0;
  if (failed(gemm::writeBundle(options, outDir, &written))) {
    llvm::errs() << "gemm-compile: no bundle written\n";
    return 1;
  }
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                              wallStart)
                    .count();
  if (!quiet)
    llvm::outs() << llvm::formatv(
        "wrote {0} with {1} variants in {2:f1} s{3}\n", outDir, written, wall,
        options.ptxas.empty() ? " (no ptxas: PTX only)" : "");
  return 0;
}
