//===- Pipelines.h - gemmgen pass pipelines ---------------------*- C++ -*-===//

#ifndef GEMMGEN_PIPELINES_PIPELINES_H
#define GEMMGEN_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::gemm {

struct GemmToPTXOptions : public PassPipelineOptions<GemmToPTXOptions> {
  PassOptions::Option<std::string> chip{*this, "chip",
                                        llvm::cl::desc("Target chip"),
                                        llvm::cl::init("sm_90a")};
  PassOptions::Option<std::string> features{
      *this, "features", llvm::cl::desc("PTX features"),
      llvm::cl::init("+ptx80")};
  PassOptions::Option<int> optLevel{*this, "opt-level",
                                    llvm::cl::desc("LLVM optimization level"),
                                    llvm::cl::init(3)};
  PassOptions::Option<bool> selectConfig{
      *this, "select-config",
      llvm::cl::desc("Run gemm-select-config first (ops without a config)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> shiftTailTiles{
      *this, "shift-tail-tiles",
      llvm::cl::desc("gemm-to-kernel: start the last M and N tiles at "
                     "M - block_m and N - block_n (no TMA box past x or y)"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> vectorPush{
      *this, "vector-push",
      llvm::cl::desc("gemm-to-kernel: split-K reductions move four fp32 per "
                     "remote store (cluster_push) or load (cluster)"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> tmaStore{
      *this, "tma-store",
      llvm::cl::desc("gemm-to-kernel: split-1 tiles go out through shared "
                     "memory and TMA bulk stores"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> emitBinary{
      *this, "emit-binary",
      llvm::cl::desc("End with gpu-module-to-binary{format=isa} (PTX)"),
      llvm::cl::init(true)};
};

/// gemm ops -> configured ops -> kernels -> NVVM/LLVM -> PTX in gpu.binary.
void buildGemmToPTXPipeline(OpPassManager &pm, const GemmToPTXOptions &opts);

/// Registers `gemm-to-ptx`.
void registerGemmPipelines();

} // namespace mlir::gemm

#endif // GEMMGEN_PIPELINES_PIPELINES_H
