// RUN: gemm-opt %s -split-input-file -verify-diagnostics --pass-pipeline="builtin.module(gpu.module(gemm-tma-grid-constant))" | FileCheck %s

// CHECK-LABEL: llvm.func @k(
// CHECK-SAME: %{{.*}}: !llvm.ptr {llvm.align = 64 : i64, llvm.byval = !llvm.array<128 x i8>, nvvm.grid_constant},
// CHECK-SAME: %{{.*}}: !llvm.ptr,
// CHECK-SAME: %{{.*}}: !llvm.ptr {llvm.align = 64 : i64, llvm.byval = !llvm.array<128 x i8>, nvvm.grid_constant})
// CHECK-NOT: gemm.tma_desc_args
gpu.module @kernels {
  llvm.func @k(%a: !llvm.ptr, %out: !llvm.ptr, %b: !llvm.ptr) attributes {gemm.tma_desc_args = array<i32: 0, 2>, nvvm.kernel} {
    llvm.return
  }
}

// -----

gpu.module @kernels {
  // expected-error @+1 {{gemm.tma_desc_args names argument 1, which is not a pointer argument}}
  llvm.func @k(%a: !llvm.ptr, %m: i32) attributes {gemm.tma_desc_args = array<i32: 0, 1>, nvvm.kernel} {
    llvm.return
  }
}
