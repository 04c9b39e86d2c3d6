//===- Registration.h - what gemmgen's tools register -----------*- C++ -*-===//

#ifndef GEMMGEN_REGISTRATION_REGISTRATION_H
#define GEMMGEN_REGISTRATION_REGISTRATION_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace mlir::gemm {
/// Adds the gemm dialect and every upstream dialect, interface and
/// translation that the lowering to PTX needs.
void registerGemmgenDialects(DialectRegistry &registry);
/// Registers gemmgen's passes and pipelines (and upstream's) with the global
/// pass registry so that textual pipelines can name them.
void registerGemmgenPasses();
} // namespace mlir::gemm

#endif // GEMMGEN_REGISTRATION_REGISTRATION_H
