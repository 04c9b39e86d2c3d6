//===- Registration.cpp - what gemmgen's tools register -------------------===//
//
// The InitAll* headers only declare functions, so including them here keeps
// this translation unit cheap to compile.
//
//===----------------------------------------------------------------------===//

#include "gemmgen/Registration/Registration.h"
#include "gemmgen/Conversion/Passes.h"
#include "gemmgen/Dialect/Gemm/IR/Gemm.h"
#include "gemmgen/Dialect/Gemm/Transforms/Passes.h"
#include "gemmgen/Pipelines/Pipelines.h"
#include "gemmgen/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

#include <mutex>

void mlir::gemm::registerGemmgenDialects(DialectRegistry &registry) {
  registry.insert<GemmDialect>();
  registerAllDialects(registry);
  // The *ToLLVM interfaces: without them convert-gpu-to-nvvm silently leaves
  // memref and arith ops behind.
  registerAllExtensions(registry);
  // gpu-module-to-binary needs the NVVM target, and translation to LLVM IR
  // needs the dialect translations.
  NVVM::registerNVVMTargetInterfaceExternalModels(registry);
  registerAllGPUToLLVMIRTranslations(registry);
}

void mlir::gemm::registerGemmgenPasses() {
  // Idempotent: the tools and the compiler library both call it, and MLIR's
  // registries must not see a pass twice.
  static std::once_flag once;
  std::call_once(once, [] {
    registerAllPasses();
    registerGemmPasses();
    registerGemmConversionPasses();
    registerGemmNVVMPasses();
    registerGemmPipelines();
  });
}
