//===- GemmToKernel.cpp - configured gemm ops to GPU kernels --------------===//

#include "gemmgen/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

namespace mlir {
#define GEN_PASS_DEF_CONVERTGEMMTOKERNEL
#include "gemmgen/Conversion/Passes.h.inc"
} // namespace mlir

using namespace mlir;
using namespace mlir::gemm;

namespace {
struct ConvertGemmToKernelPass
    : public impl::ConvertGemmToKernelBase<ConvertGemmToKernelPass> {
  using Base::Base;
  void runOnOperation() override;
  LogicalResult convert(LinearBf16Fp32Op op);
};
} // namespace

static std::string attrToString(Attribute attr) {
  std::string s;
  llvm::raw_string_ostream os(s);
  attr.print(os);
  return s;
}

LogicalResult ConvertGemmToKernelPass::convert(LinearBf16Fp32Op op) {
  std::optional<ConfigAttr> config = op.getConfig();
  if (!config)
    return op.emitOpError(
        "has no #gemm.config; run gemm-select-config first");
  if (config->getSplitK() != 1 &&
      config->getReduction() != ReductionKind::Cluster &&
      config->getReduction() != ReductionKind::ClusterPush)
    return op.emitOpError()
           << "split_k reduction '"
           << stringifyReductionKind(config->getReduction())
           << "' is not supported by gemm-to-kernel yet (use 'cluster' or "
              "'cluster_push')";
  // swap_ab's x tile may be a single 8-row swizzle atom: it is not split
  // between the CTAs of a multicast cluster.
  if (config->getSchedule() == ScheduleKind::SwapAB &&
      config->getClusterM() * config->getClusterN() > 1)
    return op.emitOpError()
           << "schedule 'swap_ab' needs cluster_m = cluster_n = 1 (no "
              "multicast), got "
           << config->getClusterM() << "x" << config->getClusterN();
  // cluster_n > 1: the CTAs of a cluster along N share one x tile, each
  // loading block_m / cluster_n rows (whole 8-row swizzle atoms for every
  // block_m the verifier accepts). With split-K, each split rank has its
  // own such group in the cluster.
  if (int64_t cm = config->getClusterM(); cm > 1) {
    // The CTAs of a cluster along M share one y tile: each loads a slice of
    // block_n / cluster_m rows and multicasts it to all. A slice must be a
    // whole number of 8-row swizzle atoms.
    if (config->getBlockN() % (8 * cm) != 0)
      return op.emitOpError()
             << "cluster_m = " << cm << " needs block_n to be a multiple of "
             << 8 * cm << " (each CTA multicasts block_n / cluster_m rows "
             << "of y, whole 8-row swizzle atoms), got "
             << config->getBlockN();
  }
  if (config->getSchedule() != ScheduleKind::Simt) {
    // Every group of every split rank needs a k-step (the first is emitted
    // before the loop, and a consumer without one would wait forever for a
    // load its producer never issues); the smallest rank share is
    // floor(k tiles / split_k).
    int64_t groups = config->getKGroups();
    int64_t kTiles =
        (op.getK() + config->getBlockK() - 1) / config->getBlockK();
    if (kTiles / config->getSplitK() < groups) {
      if (groups > 1)
        return op.emitOpError()
               << "k_groups = " << groups << " needs every split_k share of K"
               << " to span at least " << groups
               << " steps of block_k = " << config->getBlockK()
               << ", got K = " << op.getK()
               << " and split_k = " << config->getSplitK();
      return op.emitOpError()
             << "split_k = " << config->getSplitK()
             << " needs K to span at least " << config->getSplitK()
             << " steps of block_k = " << config->getBlockK()
             << " (one per CTA of the split), got K = " << op.getK();
    }
  }
  // tma-store: where the config allows it, the tile is stored by TMA (the
  // config says so, in the manifest too).
  if (tmaStore) {
    config = withTmaStoreWherePossible(*config, op.getN());
    op.setConfigAttr(*config);
  }
  if (config->getEpilogue() == EpilogueKind::TmaStore && op.getN() % 4 != 0)
    return op.emitOpError()
           << "epilogue = tma_store needs N to be a multiple of 4 (out's "
              "TMA descriptor needs rows of a multiple of 16 bytes, and a "
              "packed out has ldc = N), got N = "
           << op.getN();
  auto func = op->getParentOfType<FunctionOpInterface>();
  if (!func)
    return op.emitOpError("must be inside a function (it names the kernel)");
  StringRef name = func.getName();

  ModuleOp module = getOperation();
  OpBuilder builder(module.getBodyRegion());
  builder.setInsertionPointToEnd(module.getBody());
  auto gpuModule = gpu::GPUModuleOp::create(builder, op.getLoc(),
                                            (name + "_kernels").str());
  builder.setInsertionPointToStart(gpuModule.getBody());

  std::string kernelName = ("gemm_" + name).str();
  NamedAttrList info;
  info.append("kernel", builder.getStringAttr(kernelName));
  info.append("n", builder.getI64IntegerAttr(op.getN()));
  info.append("k", builder.getI64IntegerAttr(op.getK()));
  auto [mMin, mMax] = op.getMBucket();
  // The grid's y dimension (M tiles) is at most 65535 blocks: that bounds
  // the M this kernel can serve, whatever the bucket asked for.
  // A cluster along M needs whole clusters: the grid is rounded up.
  int64_t maxTiles = 65535 / config->getClusterM() * config->getClusterM();
  mMax = std::min<int64_t>(mMax, maxTiles * config->getBlockM());
  info.append("m_min", builder.getI64IntegerAttr(mMin));
  info.append("m_max", builder.getI64IntegerAttr(mMax));
  info.append("config", *config);
  info.append("config_text", builder.getStringAttr(attrToString(*config)));

  FailureOr<gpu::GPUFuncOp> kernel = failure();
  switch (config->getSchedule()) {
  case ScheduleKind::WarpSpecialized:
  case ScheduleKind::Persistent:
  case ScheduleKind::SwapAB:
    kernel = buildWarpSpecializedKernel(builder, op, kernelName, info,
                                        {shiftTailTiles, vectorPush});
    break;
  case ScheduleKind::Simt:
    kernel = buildSimtKernel(builder, op, kernelName, info);
    break;
  }
  if (failed(kernel))
    return failure();
  gpuModule->setAttr(kKernelInfoAttrName, info.getDictionary(&getContext()));
  op.erase();
  return success();
}

void ConvertGemmToKernelPass::runOnOperation() {
  ModuleOp module = getOperation();
  SmallVector<LinearBf16Fp32Op> ops;
  llvm::DenseSet<Operation *> funcs;
  bool ok = true;
  module.walk([&](LinearBf16Fp32Op op) {
    auto func = op->getParentOfType<FunctionOpInterface>();
    if (func && !funcs.insert(func).second) {
      op.emitOpError("is the second gemm op in its function; kernels are "
                     "named after the function, so put one op per function");
      ok = false;
    }
    ops.push_back(op);
  });
  if (!ok)
    return signalPassFailure();
  for (LinearBf16Fp32Op op : ops)
    if (failed(convert(op)))
      return signalPassFailure();
  if (!ops.empty())
    module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                    UnitAttr::get(&getContext()));
}
