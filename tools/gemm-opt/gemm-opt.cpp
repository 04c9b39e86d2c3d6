//===- gemm-opt.cpp - mlir-opt for gemmgen --------------------------------===//
//
// Parses, verifies, transforms and prints IR of the gemm dialect and of the
// upstream dialects it lowers to, with every gemmgen pass and pipeline.
//
//===----------------------------------------------------------------------===//

#include "gemmgen/Registration/Registration.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::gemm::registerGemmgenDialects(registry);
  mlir::gemm::registerGemmgenPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "gemmgen optimizer driver\n", registry));
}
