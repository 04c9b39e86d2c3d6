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

#include "gemmgen/Conversion/GemmToKernel/GemmToKernel.h"
#include "gemmgen/Dialect/Gemm/IR/Gemm.h"
#include "gemmgen/Dialect/Gemm/Transforms/Passes.h"
#include "gemmgen/Pipelines/Pipelines.h"
#include "gemmgen/Registration/Registration.h"
#include "gemmgen/Tools/ShapeList.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <set>
#include <chrono>
#include <limits>
#include <mutex>

using namespace mlir;
namespace cl = llvm::cl;
namespace json = llvm::json;

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
             "1-64,65-256,257-1024,1025-4096,4097-)"),
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

namespace {
constexpr int64_t kMaxM = gemm::kMaxDim;
constexpr const char *kDefaultBuckets = "1-64,65-256,257-1024,1025-4096,4097-";

struct Variant {
  int64_t n, k, mMin, mMax;
  std::string name;
  // Results.
  std::string error, ptx, cubinFile, ptxasLog;
  json::Object info;
  double seconds = 0;
};

std::string shapeName(const Variant &v) {
  return llvm::formatv("{0}x{1} (M {2}-{3})", v.n, v.k, v.mMin,
                       v.mMax == kMaxM ? std::string("max")
                                       : std::to_string(v.mMax))
      .str();
}

std::string sha256Hex(StringRef data) {
  return llvm::toHex(llvm::SHA256::hash(llvm::arrayRefFromStringRef(data)),
                     /*LowerCase=*/true);
}

LogicalResult fail(const Twine &msg) {
  llvm::errs() << "gemm-compile: error: " << msg << "\n";
  return failure();
}
void report(const Twine &msg) { (void)fail(msg); }

/// Reads a shape file (gemm::parseShapeFile); errors name the file.
LogicalResult readShapeFile(StringRef path, gemm::ShapeList &shapes) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return fail("cannot read shape file '" + path +
                "': " + buffer.getError().message());
  std::string error;
  if (failed(gemm::parseShapeFile((*buffer)->getBuffer(), shapes, error)))
    return fail("shape file '" + path + "': " + error);
  return success();
}

/// Builds the input module of one variant.
OwningOpRef<ModuleOp> buildInput(MLIRContext &ctx, const Variant &v) {
  OpBuilder b(&ctx);
  Location loc = NameLoc::get(b.getStringAttr(v.name));
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  b.setInsertionPointToEnd(module->getBody());
  Type bf16 = b.getBF16Type();
  auto xType = MemRefType::get({ShapedType::kDynamic, v.k}, bf16);
  auto yType = MemRefType::get({v.n, v.k}, bf16);
  auto outType = MemRefType::get({ShapedType::kDynamic, v.n}, b.getF32Type());
  auto func = func::FuncOp::create(
      b, loc, v.name, b.getFunctionType({xType, yType, outType}, {}));
  Block *body = func.addEntryBlock();
  b.setInsertionPointToStart(body);
  gemm::ConfigAttr config;
  if (!forcedConfig.empty())
    config = dyn_cast_or_null<gemm::ConfigAttr>(
        parseAttribute(forcedConfig, &ctx));
  gemm::LinearBf16Fp32Op::create(b, loc, body->getArgument(0),
                                 body->getArgument(1), body->getArgument(2),
                                 config,
                                 b.getDenseI64ArrayAttr({v.mMin, v.mMax}));
  func::ReturnOp::create(b, loc);
  return module;
}

json::Value attrToJson(Attribute attr) {
  if (auto s = dyn_cast<StringAttr>(attr))
    return s.getValue().str();
  if (auto i = dyn_cast<IntegerAttr>(attr))
    return i.getInt();
  if (auto a = dyn_cast<ArrayAttr>(attr)) {
    json::Array arr;
    for (Attribute e : a)
      arr.push_back(attrToJson(e));
    return arr;
  }
  if (auto d = dyn_cast<DictionaryAttr>(attr)) {
    json::Object obj;
    for (NamedAttribute na : d)
      // Owned keys: the context that holds the names dies with the variant.
      obj[na.getName().getValue().str()] = attrToJson(na.getValue());
    return obj;
  }
  if (auto c = dyn_cast<gemm::ConfigAttr>(attr)) {
    return json::Object{
        {"block_m", c.getBlockM()},
        {"block_n", c.getBlockN()},
        {"block_k", c.getBlockK()},
        {"stages", c.getStages()},
        {"schedule", gemm::stringifyScheduleKind(c.getSchedule()).str()},
        {"split_k", c.getSplitK()},
        {"reduction", gemm::stringifyReductionKind(c.getReduction()).str()},
        {"cluster_m", c.getClusterM()},
        {"cluster_n", c.getClusterN()},
        {"raster", gemm::stringifyRasterOrder(c.getRaster()).str()}};
  }
  std::string s;
  llvm::raw_string_ostream os(s);
  attr.print(os);
  return s;
}

/// Compiles one variant to PTX; fills v.ptx and v.info or v.error.
void compileVariant(const DialectRegistry &registry, Variant &v) {
  auto start = std::chrono::steady_clock::now();
  MLIRContext ctx(registry, MLIRContext::Threading::DISABLED);
  ctx.loadAllAvailableDialects();
  std::string diagText;
  llvm::raw_string_ostream diagOS(diagText);
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error)
      diagOS << (diagText.empty() ? "" : "; ") << diag.str();
    return success();
  });
  auto finish = [&](const Twine &err) {
    v.error = err.str();
    v.seconds = std::chrono::duration<double>(
                    std::chrono::steady_clock::now() - start)
                    .count();
  };

  OwningOpRef<ModuleOp> module = buildInput(ctx, v);
  if (failed(verify(*module)))
    return finish(diagText);

  // Lower to NVVM first: the gpu.module still carries the launch
  // description that goes into the manifest.
  PassManager pm(&ctx);
  gemm::GemmToPTXOptions options;
  options.chip = chip;
  options.emitBinary = false;
  gemm::buildGemmToPTXPipeline(pm, options);
  if (failed(pm.run(*module)))
    return finish("lowering failed: " + diagText);
  module->walk([&](gpu::GPUModuleOp gm) {
    if (auto info = gm->getAttrOfType<DictionaryAttr>(gemm::kKernelInfoAttrName))
      v.info = std::move(*attrToJson(info).getAsObject());
  });
  if (v.info.empty())
    return finish("the lowering produced no kernel");

  PassManager serialize(&ctx);
  if (failed(parsePassPipeline("gpu-module-to-binary{format=isa}", serialize)) ||
      failed(serialize.run(*module)))
    return finish("PTX emission failed: " + diagText);
  module->walk([&](gpu::BinaryOp bin) {
    for (Attribute obj : bin.getObjects())
      if (auto o = dyn_cast<gpu::ObjectAttr>(obj))
        v.ptx = o.getObject().getValue().str();
  });
  // The serialized string may carry a trailing NUL.
  while (!v.ptx.empty() && v.ptx.back() == '\0')
    v.ptx.pop_back();
  if (v.ptx.empty())
    return finish("no PTX was produced");
  finish("");
  v.error.clear();
}

/// Assembles `ptxFile` into `cubinFile`; returns an error text or "".
std::string runPtxas(StringRef ptxas, StringRef ptxFile, StringRef cubinFile,
                     std::string &log) {
  SmallString<128> logFile;
  if (llvm::sys::fs::createTemporaryFile("gemm-ptxas", "log", logFile))
    return "cannot create a temporary file for ptxas output";
  std::string arch = "-arch=" + chip.getValue();
  SmallVector<StringRef> args = {ptxas, arch, "-v", "-o", cubinFile, ptxFile};
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(logFile),
                                          StringRef(logFile)};
  std::string errMsg;
  int rc = llvm::sys::ExecuteAndWait(ptxas, args, std::nullopt, redirects, 0,
                                     0, &errMsg);
  if (auto buf = llvm::MemoryBuffer::getFile(logFile))
    log = (*buf)->getBuffer().str();
  llvm::sys::fs::remove(logFile);
  if (rc != 0)
    return "ptxas failed (" + (errMsg.empty() ? std::to_string(rc) : errMsg) +
           "): " + log;
  return "";
}

LogicalResult writeFile(StringRef path, StringRef data) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return fail("cannot write '" + path + "': " + ec.message());
  os << data;
  os.close();
  if (os.has_error())
    return fail("cannot write '" + path + "': " + os.error().message());
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

  // One variant per (N, K, bucket); duplicates of (N, K) collapse.
  std::vector<Variant> variants;
  std::set<std::pair<int64_t, int64_t>> seen;
  for (auto [n, k] : nk) {
    if (!seen.insert({n, k}).second)
      continue;
    for (auto [lo, hi] : bucketList) {
      Variant v{n, k, lo, hi};
      v.name = llvm::formatv("n{0}_k{1}_m{2}_{3}", n, k, lo,
                             hi == kMaxM ? std::string("max")
                                         : std::to_string(hi))
                   .str();
      variants.push_back(std::move(v));
    }
  }

  std::string ptxas;
  if (!noCubin) {
    if (!ptxasPath.empty())
      ptxas = ptxasPath;
    else if (auto found = llvm::sys::findProgramByName("ptxas"))
      ptxas = *found;
    else if (llvm::sys::fs::can_execute(GEMMGEN_DEFAULT_PTXAS))
      ptxas = GEMMGEN_DEFAULT_PTXAS;
  }

  DialectRegistry registry;
  gemm::registerGemmgenDialects(registry);
  gemm::registerGemmgenPasses();

  // Everything goes to a temporary directory beside the target first.
  SmallString<256> target(outDir);
  llvm::sys::fs::make_absolute(target);
  SmallString<256> tmpDir(target);
  tmpDir += llvm::formatv(".tmp-{0}", llvm::sys::Process::getProcessId()).str();
  llvm::sys::fs::remove_directories(tmpDir);
  if (std::error_code ec = llvm::sys::fs::create_directories(tmpDir)) {
    report("cannot create '" + tmpDir + "': " + ec.message());
    return 1;
  }

  std::mutex printMutex;
  std::atomic<int> done{0};
  auto total = variants.size();
  auto wallStart = std::chrono::steady_clock::now();
  {
    llvm::DefaultThreadPool pool(
        jobs ? llvm::hardware_concurrency(jobs)
             : llvm::hardware_concurrency());
    for (Variant &v : variants) {
      pool.async([&, vp = &v] {
        Variant &v = *vp;
        compileVariant(registry, v);
        if (v.error.empty()) {
          SmallString<256> ptxFile(tmpDir);
          llvm::sys::path::append(ptxFile, v.name + ".ptx");
          if (failed(writeFile(ptxFile, v.ptx)))
            v.error = "cannot write the PTX file";
          else if (!ptxas.empty()) {
            auto t0 = std::chrono::steady_clock::now();
            SmallString<256> cubinFile(tmpDir);
            llvm::sys::path::append(cubinFile, v.name + ".cubin");
            v.error = runPtxas(ptxas, ptxFile, cubinFile, v.ptxasLog);
            if (v.error.empty())
              v.cubinFile = v.name + ".cubin";
            v.seconds += std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - t0)
                             .count();
          }
        }
        int index = ++done;
        std::lock_guard<std::mutex> lock(printMutex);
        if (!v.error.empty()) {
          llvm::errs() << "gemm-compile: error: shape " << shapeName(v) << ": "
                       << v.error << "\n";
        } else if (!quiet) {
          const json::Object *cfg = v.info.getObject("config");
          llvm::outs() << llvm::formatv(
              "[{0}/{1}] {2,-24} block {3}x{4}x{5} stages {6}  {7:f2} s  "
              "ptx {8} KiB{9}\n",
              index, total, v.name, *cfg->getInteger("block_m"),
              *cfg->getInteger("block_n"), *cfg->getInteger("block_k"),
              *cfg->getInteger("stages"), v.seconds, v.ptx.size() / 1024,
              v.cubinFile.empty() ? "" : ", cubin");
          if (StringRef(v.ptxasLog).contains(" spill stores") &&
              !StringRef(v.ptxasLog).contains(" 0 bytes spill stores"))
            llvm::outs() << "  warning: ptxas reports register spills: "
                         << v.ptxasLog << "\n";
        }
      });
    }
    pool.wait();
  }

  bool ok = true;
  for (Variant &v : variants)
    ok &= v.error.empty();
  if (!ok) {
    llvm::sys::fs::remove_directories(tmpDir);
    llvm::errs() << "gemm-compile: no bundle written\n";
    return 1;
  }

  // The options hash covers everything that decides the bundle's contents.
  std::string options =
      llvm::formatv("chip={0};buckets={1};version={2};config={3};nk=", chip,
                    bucketSpec, GEMMGEN_VERSION, forcedConfig.getValue())
          .str();
  for (const Variant &v : variants)
    options += llvm::formatv("{0}x{1}/{2}-{3};", v.n, v.k, v.mMin, v.mMax).str();
  json::Array entries;
  for (Variant &v : variants) {
    json::Object e = std::move(v.info);
    e["name"] = v.name;
    e["chip"] = chip;
    e["ptx"] = v.name + ".ptx";
    e["ptx_sha256"] = sha256Hex(v.ptx);
    if (v.cubinFile.empty())
      e["cubin"] = nullptr;
    else
      e["cubin"] = v.cubinFile;
    std::string configText = e.getString("config_text").value_or("").str();
    e.erase("config_text");
    if (json::Object *cfg = e.getObject("config"))
      (*cfg)["text"] = configText;
    entries.push_back(std::move(e));
  }
  json::Object manifest{
      {"schema_version", 1},
      {"compiler", std::string("gemmgen ") + GEMMGEN_VERSION},
      {"options_hash", sha256Hex(options).substr(0, 16)},
      {"chip", chip},
      {"variants", std::move(entries)}};
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", json::Value(std::move(manifest))) << "\n";
  SmallString<256> manifestFile(tmpDir);
  llvm::sys::path::append(manifestFile, "manifest.json");
  if (failed(writeFile(manifestFile, text)))
    return 1;

  // Swap the new bundle into place.
  SmallString<256> oldDir(target);
  oldDir += llvm::formatv(".old-{0}", llvm::sys::Process::getProcessId()).str();
  bool hadOld = llvm::sys::fs::exists(target);
  if (hadOld) {
    if (std::error_code ec = llvm::sys::fs::rename(target, oldDir)) {
      report("cannot move the old bundle aside: " + ec.message());
      return 1;
    }
  }
  if (std::error_code ec = llvm::sys::fs::rename(tmpDir, target)) {
    report("cannot move the bundle into place: " + ec.message());
    return 1;
  }
  if (hadOld)
    llvm::sys::fs::remove_directories(oldDir);
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                              wallStart)
                    .count();
  if (!quiet)
    llvm::outs() << llvm::formatv("wrote {0} with {1} variants in {2:f1} s{3}\n",
                                  outDir, total, wall,
                                  ptxas.empty() ? " (no ptxas: PTX only)" : "");
  return 0;
}
