//===- ExternSharedMemory.cpp - extern dynamic shared memory --------------===//

#include "gemmgen/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::gemm {
#define GEN_PASS_DEF_GEMMEXTERNSHAREDMEMORY
#include "gemmgen/Transforms/Passes.h.inc"
} // namespace mlir::gemm

using namespace mlir;

namespace {
constexpr llvm::StringLiteral kGlobalName = "__gemm_dynamic_smem";
/// The most dynamic shared memory one CTA can have on sm_90 (227 KiB); the
/// view's size only bounds what the kernel may address.
constexpr int64_t kMaxDynamicSmem = 227 * 1024;
constexpr int64_t kExternAlignment = 16;

struct ExternSharedMemoryPass
    : public mlir::gemm::impl::GemmExternSharedMemoryBase<
          ExternSharedMemoryPass> {
  void runOnOperation() override {
    gpu::GPUModuleOp module = getOperation();
    SmallVector<gpu::DynamicSharedMemoryOp> ops;
    module.walk([&](gpu::DynamicSharedMemoryOp op) { ops.push_back(op); });
    if (ops.empty())
      return;

    auto workgroup = gpu::AddressSpaceAttr::get(&getContext(),
                                                gpu::AddressSpace::Workgroup);
    auto globalType = MemRefType::get({0}, IntegerType::get(&getContext(), 8),
                                      MemRefLayoutAttrInterface(), workgroup);
    SymbolTable symbols(module);
    if (auto existing = symbols.lookup<memref::GlobalOp>(kGlobalName)) {
      if (existing.getType() != globalType) {
        existing.emitError() << kGlobalName << " exists with another type";
        return signalPassFailure();
      }
    } else {
      OpBuilder b(module.getBodyRegion());
      b.setInsertionPointToStart(module.getBody());
      // Public and without initializer: a declaration, which NVPTX emits as
      // `.extern .shared .align 16 .b8 __gemm_dynamic_smem[]`. Only 16: the
      // driver's JIT linker (cuLink) does not honor a larger alignment of
      // extern shared memory, while ptxas would trust `.align 1024` and fold
      // the kernel's run-time padding to the 1 KiB boundary away; JIT-linked
      // kernels then put their TMA ring off the swizzle boundary.
      auto global = memref::GlobalOp::create(
          b, module.getLoc(), kGlobalName, b.getStringAttr("public"),
          globalType, Attribute(), /*constant=*/false,
          b.getI64IntegerAttr(kExternAlignment));
      symbols.insert(global);
    }

    for (gpu::DynamicSharedMemoryOp op : ops) {
      OpBuilder b(op);
      auto resultType = cast<MemRefType>(op.getType());
      if (resultType.getRank() != 1 || !resultType.getElementType().isInteger(8)) {
        op.emitOpError("expected memref<?xi8> in workgroup memory");
        return signalPassFailure();
      }
      Value global =
          memref::GetGlobalOp::create(b, op.getLoc(), globalType, kGlobalName);
      Value size = arith::ConstantIndexOp::create(b, op.getLoc(), kMaxDynamicSmem);
      Value view = memref::ReinterpretCastOp::create(
          b, op.getLoc(), resultType, global, /*offset=*/b.getIndexAttr(0),
          /*sizes=*/ArrayRef<OpFoldResult>{size},
          /*strides=*/ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
      op.replaceAllUsesWith(view);
      op.erase();
    }
  }
};
} // namespace
