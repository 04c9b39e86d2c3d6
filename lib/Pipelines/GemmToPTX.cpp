//===- GemmToPTX.cpp - the gemm-to-ptx pipeline ---------------------------===//
//
// gemm ops -> configured ops -> kernels -> NVVM/LLVM -> PTX. The upstream
// part is the body of gpu-lower-to-nvvm-pipeline with the bare-pointer
// calling convention, split in two so that our fix-ups run in between:
// extern shared memory before the GPU-to-NVVM lowering, by-value TMA
// descriptors right after it.
//
//===----------------------------------------------------------------------===//

#include "gemmgen/Pipelines/Pipelines.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

void mlir::gemm::buildGemmToPTXPipeline(OpPassManager &pm,
                                        const GemmToPTXOptions &opts) {
  std::string pipeline;
  if (opts.selectConfig)
    pipeline += llvm::formatv("gemm-select-config{{chip={0}},", opts.chip.getValue());
  pipeline += llvm::formatv(
      "gemm-to-kernel{{shift-tail-tiles={3} vector-push={4} tma-store={5}},"
      "gpu.module(gemm-extern-shared-memory),"
      "convert-nvgpu-to-nvvm,gpu-kernel-outlining,convert-vector-to-scf,"
      "convert-scf-to-cf,convert-nvvm-to-llvm,convert-func-to-llvm,"
      "expand-strided-metadata,"
      "nvvm-attach-target{{chip={0} features={1} O={2}},"
      "lower-affine,convert-arith-to-llvm,convert-index-to-llvm,"
      "canonicalize,cse,"
      "gpu.module(strip-debuginfo,"
      "convert-gpu-to-nvvm{{use-bare-ptr-memref-call-conv=1},"
      "gemm-tma-grid-constant,"
      "llvm-optimize-for-nvvm-target,canonicalize,cse,"
      "reconcile-unrealized-casts)",
      opts.chip.getValue(), opts.features.getValue(), opts.optLevel.getValue(),
      opts.shiftTailTiles.getValue() ? "true" : "false",
      opts.vectorPush.getValue() ? "true" : "false",
      opts.tmaStore.getValue() ? "true" : "false");
  if (opts.emitBinary)
    pipeline += ",gpu-module-to-binary{format=isa}";
  std::string error;
  llvm::raw_string_ostream os(error);
  if (failed(parsePassPipeline(pipeline, pm, os)))
    llvm::report_fatal_error(llvm::Twine("gemm-to-ptx: bad pipeline: ") +
                             error);
}

void mlir::gemm::registerGemmPipelines() {
  PassPipelineRegistration<GemmToPTXOptions>(
      "gemm-to-ptx",
      "Lower gemm ops to PTX for the chosen chip (select a config, build the "
      "kernel, lower to NVVM, serialize to PTX)",
      buildGemmToPTXPipeline);
}
