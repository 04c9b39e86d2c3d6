//===- BundleWriter.cpp - Compile a shape list into a bundle --------------===//

#include "gemmgen/Tools/BundleWriter.h"

#include "gemmgen/Conversion/GemmToKernel/GemmToKernel.h"
#include "gemmgen/Dialect/Gemm/IR/Gemm.h"
#include "gemmgen/Dialect/Gemm/Transforms/Passes.h"
#include "gemmgen/Pipelines/Pipelines.h"
#include "gemmgen/Registration/Registration.h"
#include "gemmgen/Tools/ShapeList.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>

using namespace mlir;
namespace json = llvm::json;

#ifndef GEMMGEN_VERSION
#error "GEMMGEN_VERSION must be defined"
#endif
#ifndef GEMMGEN_DEFAULT_PTXAS
#define GEMMGEN_DEFAULT_PTXAS ""
#endif

namespace {
constexpr int64_t kMaxM = gemm::kMaxDim;

struct Variant {
  int64_t n, k, mMin, mMax;
  std::string name;
  // The #gemm.config text to compile with ("": the model picks) and where
  // it came from: "forced", "tuned" or "model".
  std::string config, configSource;
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

/// Builds the input module of one variant (a null config: the model picks).
OwningOpRef<ModuleOp> buildInput(MLIRContext &ctx, const Variant &v,
                                 gemm::ConfigAttr config) {
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
  if (auto flag = dyn_cast<BoolAttr>(attr))
    return flag.getValue();
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
    json::Object obj{
        {"block_m", c.getBlockM()},
        {"block_n", c.getBlockN()},
        {"block_k", c.getBlockK()},
        {"stages", c.getStages()},
        {"schedule", gemm::stringifyScheduleKind(c.getSchedule()).str()},
        {"split_k", c.getSplitK()},
        {"reduction", gemm::stringifyReductionKind(c.getReduction()).str()},
        {"cluster_m", c.getClusterM()},
        {"cluster_n", c.getClusterN()},
        {"raster", gemm::stringifyRasterOrder(c.getRaster()).str()},
        {"k_groups", c.getKGroups()},
        {"warp_rows", c.getWarpRows()}};
    // Only when not the default, as the config's text.
    if (c.getEpilogue() != gemm::EpilogueKind::Direct)
      obj["epilogue"] = gemm::stringifyEpilogueKind(c.getEpilogue()).str();
    return obj;
  }
  std::string s;
  llvm::raw_string_ostream os(s);
  attr.print(os);
  return s;
}

/// Compiles one variant to PTX; fills v.ptx and v.info or v.error.
void compileVariant(const DialectRegistry &registry,
                    const gemm::BundleOptions &o, Variant &v) {
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

  // A config that does not parse must not silently hand the op to the
  // model.
  gemm::ConfigAttr config;
  if (!v.config.empty()) {
    config = dyn_cast_or_null<gemm::ConfigAttr>(parseAttribute(v.config, &ctx));
    if (!config)
      return finish("not a valid #gemm.config: " + v.config);
  }
  OwningOpRef<ModuleOp> module = buildInput(ctx, v, config);
  if (failed(verify(*module)))
    return finish(diagText);

  // Lower to NVVM first: the gpu.module still carries the launch
  // description that goes into the manifest.
  PassManager pm(&ctx);
  gemm::GemmToPTXOptions options;
  options.chip = o.chip;
  options.emitBinary = false;
  options.shiftTailTiles = o.shiftTailTiles;
  options.vectorPush = o.vectorPush;
  options.tmaStore = o.tmaStore;
  gemm::buildGemmToPTXPipeline(pm, options);
  if (failed(pm.run(*module)))
    return finish("lowering failed: " + diagText);
  module->walk([&](gpu::GPUModuleOp gm) {
    if (auto info =
            gm->getAttrOfType<DictionaryAttr>(gemm::kKernelInfoAttrName))
      v.info = std::move(*attrToJson(info).getAsObject());
  });
  if (v.info.empty())
    return finish("the lowering produced no kernel");

  PassManager serialize(&ctx);
  if (failed(parsePassPipeline("gpu-module-to-binary{format=isa}",
                               serialize)) ||
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
/// ptxas's output varies from run to run with address space randomization
/// (other registers in a few kernels of a hundred), so it runs under
/// `setarch -R` where that works: the same PTX then gives the same cubin.
std::string runPtxas(StringRef ptxas, StringRef chip, StringRef ptxFile,
                     StringRef cubinFile, std::string &log) {
  SmallString<128> logFile;
  if (llvm::sys::fs::createTemporaryFile("gemm-ptxas", "log", logFile))
    return "cannot create a temporary file for ptxas output";
  std::string arch = ("-arch=" + chip).str();
  StringRef sh = "/bin/sh";
  SmallVector<StringRef> args = {
      sh,    "-c",
      "if setarch \"$(uname -m)\" -R true 2>/dev/null; then "
      "exec setarch \"$(uname -m)\" -R \"$@\"; fi; exec \"$@\"",
      "sh",  ptxas, arch, "-v", "-o", cubinFile, ptxFile};
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(logFile),
                                          StringRef(logFile)};
  std::string errMsg;
  int rc = llvm::sys::ExecuteAndWait(sh, args, std::nullopt, redirects, 0, 0,
                                     &errMsg);
  if (auto buf = llvm::MemoryBuffer::getFile(logFile))
    log = (*buf)->getBuffer().str();
  llvm::sys::fs::remove(logFile);
  if (rc != 0)
    return "ptxas failed (" + (errMsg.empty() ? std::to_string(rc) : errMsg) +
           "): " + log;
  return "";
}

std::string writeFile(StringRef path, StringRef data) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return ("cannot write '" + path + "': " + ec.message()).str();
  os << data;
  os.close();
  if (os.has_error())
    return ("cannot write '" + path + "': " + os.error().message()).str();
  return "";
}
} // namespace

std::string gemm::findDefaultPtxas() {
  if (auto found = llvm::sys::findProgramByName("ptxas"))
    return *found;
  if (llvm::sys::fs::can_execute(GEMMGEN_DEFAULT_PTXAS))
    return GEMMGEN_DEFAULT_PTXAS;
  return "";
}

LogicalResult gemm::writeBundle(const BundleOptions &o, StringRef outDir,
                                size_t *variantCount) {
  auto error = [&](const Twine &msg) {
    if (o.error)
      o.error(msg.str());
    return failure();
  };
  if (failed(getChipModel(o.chip)))
    return error("unknown chip '" + o.chip + "' (known: sm_90a)");

  // One variant per (N, K, bucket); duplicates of (N, K) collapse.
  std::vector<Variant> variants;
  std::set<std::pair<int64_t, int64_t>> seen;
  for (auto [n, k] : o.nk) {
    if (!seen.insert({n, k}).second)
      continue;
    for (auto [lo, hi] : o.buckets) {
      Variant v{n, k, lo, hi};
      if (!o.forcedConfig.empty()) {
        v.config = o.forcedConfig;
        v.configSource = "forced";
      } else if (std::optional<std::string> tuned =
                     gemm::pickTunedConfig(o.tuned, n, k, lo, hi)) {
        v.config = *tuned;
        v.configSource = "tuned";
      } else {
        v.configSource = "model";
      }
      v.name = llvm::formatv("n{0}_k{1}_m{2}_{3}", n, k, lo,
                             hi == kMaxM ? std::string("max")
                                         : std::to_string(hi))
                   .str();
      variants.push_back(std::move(v));
    }
  }
  if (variants.empty())
    return error("no shapes to compile");

  DialectRegistry registry;
  registerGemmgenDialects(registry);
  registerGemmgenPasses();

  // Everything goes to a temporary directory beside the target first.
  SmallString<256> target(outDir);
  llvm::sys::fs::make_absolute(target);
  SmallString<256> tmpDir(target);
  tmpDir +=
      llvm::formatv(".tmp-{0}", llvm::sys::Process::getProcessId()).str();
  llvm::sys::fs::remove_directories(tmpDir);
  if (std::error_code ec = llvm::sys::fs::create_directories(tmpDir))
    return error("cannot create '" + tmpDir + "': " + ec.message());

  std::mutex printMutex;
  std::atomic<int> done{0};
  auto total = variants.size();
  {
    llvm::DefaultThreadPool pool(o.jobs ? llvm::hardware_concurrency(o.jobs)
                                        : llvm::hardware_concurrency());
    for (Variant &v : variants) {
      pool.async([&, vp = &v] {
        Variant &v = *vp;
        compileVariant(registry, o, v);
        if (v.error.empty()) {
          SmallString<256> ptxFile(tmpDir);
          llvm::sys::path::append(ptxFile, v.name + ".ptx");
          v.error = writeFile(ptxFile, v.ptx);
          if (v.error.empty() && !o.ptxas.empty()) {
            auto t0 = std::chrono::steady_clock::now();
            SmallString<256> cubinFile(tmpDir);
            llvm::sys::path::append(cubinFile, v.name + ".cubin");
            v.error = runPtxas(o.ptxas, o.chip, ptxFile, cubinFile, v.ptxasLog);
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
          (void)error("shape " + shapeName(v) + ": " + v.error);
        } else if (o.progress) {
          const json::Object *cfg = v.info.getObject("config");
          std::string line = llvm::formatv(
              "[{0}/{1}] {2,-24} block {3}x{4}x{5} stages {6} split {10} "
              "cluster_m {11} cluster_n {13} ({12})  {7:f2} s  ptx {8} "
              "KiB{9}",
              index, total, v.name, *cfg->getInteger("block_m"),
              *cfg->getInteger("block_n"), *cfg->getInteger("block_k"),
              *cfg->getInteger("stages"), v.seconds, v.ptx.size() / 1024,
              v.cubinFile.empty() ? "" : ", cubin", *cfg->getInteger("split_k"),
              *cfg->getInteger("cluster_m"), v.configSource,
              *cfg->getInteger("cluster_n"));
          if (StringRef(v.ptxasLog).contains(" spill stores") &&
              !StringRef(v.ptxasLog).contains(" 0 bytes spill stores"))
            line += "\n  warning: ptxas reports register spills: " +
                    v.ptxasLog;
          o.progress(line);
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
    return failure();
  }

  // The options hash covers everything that decides the bundle's contents.
  std::string options =
      llvm::formatv("chip={0};buckets={1};version={2};config={3};shift={4};"
                    "{5}{6}nk=",
                    o.chip, o.bucketSpec, GEMMGEN_VERSION, o.forcedConfig,
                    o.shiftTailTiles,
                    // Only when set: the default's hash stays as it was.
                    o.vectorPush ? "vector_push=1;" : "",
                    o.tmaStore ? "tma_store=1;" : "")
          .str();
  for (const Variant &v : variants)
    options += llvm::formatv("{0}x{1}/{2}-{3}/{4};", v.n, v.k, v.mMin, v.mMax,
                             v.config)
                   .str();
  json::Array entries;
  for (Variant &v : variants) {
    json::Object e = std::move(v.info);
    e["name"] = v.name;
    e["chip"] = o.chip;
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
    e["config_source"] = v.configSource;
    entries.push_back(std::move(e));
  }
  json::Object manifest{
      {"schema_version", 1},
      {"compiler", std::string("gemmgen ") + GEMMGEN_VERSION},
      {"options_hash", sha256Hex(options).substr(0, 16)},
      {"chip", o.chip},
      {"variants", std::move(entries)}};
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", json::Value(std::move(manifest))) << "\n";
  SmallString<256> manifestFile(tmpDir);
  llvm::sys::path::append(manifestFile, "manifest.json");
  if (std::string err = writeFile(manifestFile, text); !err.empty()) {
    llvm::sys::fs::remove_directories(tmpDir);
    return error(err);
  }

  // Swap the new bundle into place.
  SmallString<256> oldDir(target);
  oldDir +=
      llvm::formatv(".old-{0}", llvm::sys::Process::getProcessId()).str();
  bool hadOld = llvm::sys::fs::exists(target);
  if (hadOld) {
    if (std::error_code ec = llvm::sys::fs::rename(target, oldDir)) {
      llvm::sys::fs::remove_directories(tmpDir);
      return error("cannot move the old bundle aside: " + ec.message());
    }
  }
  if (std::error_code ec = llvm::sys::fs::rename(tmpDir, target)) {
    llvm::sys::fs::remove_directories(tmpDir);
    return error("cannot move the bundle into place: " + ec.message());
  }
  if (hadOld)
    llvm::sys::fs::remove_directories(oldDir);
  if (variantCount)
    *variantCount = variants.size();
  return success();
}
