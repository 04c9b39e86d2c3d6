//===- TmaGridConstant.cpp - TMA descriptors as by-value grid constants ---===//

#include "gemmgen/Transforms/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"

namespace mlir::gemm {
#define GEN_PASS_DEF_GEMMTMAGRIDCONSTANT
#include "gemmgen/Transforms/Passes.h.inc"
} // namespace mlir::gemm

using namespace mlir;

namespace {
constexpr llvm::StringLiteral kTmaDescArgsAttr = "gemm.tma_desc_args";

struct TmaGridConstantPass
    : public mlir::gemm::impl::GemmTmaGridConstantBase<TmaGridConstantPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    auto byvalType = LLVM::LLVMArrayType::get(IntegerType::get(ctx, 8), 128);
    WalkResult result = getOperation().walk([&](LLVM::LLVMFuncOp func) {
      auto args = func->getAttrOfType<DenseI32ArrayAttr>(kTmaDescArgsAttr);
      if (!args)
        return WalkResult::advance();
      func->removeAttr(kTmaDescArgsAttr);
      for (int32_t i : args.asArrayRef()) {
        if (i < 0 || unsigned(i) >= func.getNumArguments() ||
            !isa<LLVM::LLVMPointerType>(func.getArgument(i).getType())) {
          func.emitError() << "gemm.tma_desc_args names argument " << i
                           << ", which is not a pointer argument";
          return WalkResult::interrupt();
        }
        // A CUtensorMap is 128 bytes, 64-byte aligned.
        func.setArgAttr(i, LLVM::LLVMDialect::getByValAttrName(),
                        TypeAttr::get(byvalType));
        func.setArgAttr(i, LLVM::LLVMDialect::getAlignAttrName(),
                        IntegerAttr::get(IntegerType::get(ctx, 64), 64));
        func.setArgAttr(i, NVVM::NVVMDialect::getGridConstantAttrName(),
                        UnitAttr::get(ctx));
      }
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};
} // namespace
