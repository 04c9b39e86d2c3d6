//===- GemmOptFuzzer.cpp - fuzz the parser, verifiers and the pipeline ----===//
//
// Arbitrary bytes through gemm-opt's parser and verifiers (with every
// dialect gemm-opt registers). Modules that verify and hold nothing but
// functions and gemm ops then go through the whole gemm-to-ptx pipeline,
// NVPTX code generation included: a bad op must end in a diagnostic, never
// a crash.
//
//===----------------------------------------------------------------------===//

#include "gemmgen/Dialect/Gemm/IR/Gemm.h"
#include "gemmgen/Pipelines/Pipelines.h"
#include "gemmgen/Registration/Registration.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

static const DialectRegistry &registry() {
  static DialectRegistry *r = [] {
    auto *reg = new DialectRegistry();
    gemm::registerGemmgenDialects(*reg);
    gemm::registerGemmgenPasses();
    return reg;
  }();
  return *r;
}

/// Only what gemm-compile feeds the pipeline: functions of gemm ops.
static bool onlyGemmFunctions(ModuleOp module) {
  bool ok = true;
  module.walk([&](Operation *op) {
    if (!isa<ModuleOp, func::FuncOp, func::ReturnOp, gemm::LinearBf16Fp32Op>(
            op))
      ok = false;
  });
  return ok;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  MLIRContext ctx(registry(), MLIRContext::Threading::DISABLED);
  ScopedDiagnosticHandler quiet(&ctx, [](Diagnostic &) { return success(); });
  llvm::SourceMgr sources;
  sources.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(
          StringRef(reinterpret_cast<const char *>(data), size), "fuzz"),
      llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sources, &ctx);
  if (!module || !onlyGemmFunctions(*module))
    return 0;
  PassManager pm(&ctx);
  gemm::GemmToPTXOptions options;
  gemm::buildGemmToPTXPipeline(pm, options);
  (void)pm.run(*module);
  return 0;
}
