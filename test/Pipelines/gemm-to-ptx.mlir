// RUN: gemm-opt %s --gemm-to-ptx | FileCheck %s
// RUN: gemm-opt %s --gemm-to-ptx="emit-binary=0" | FileCheck %s --check-prefix=LLVM

// The whole pipeline on an unconfigured op: the config is chosen, the
// kernel built and lowered, and the PTX serialized into a gpu.binary.

// LLVM: llvm.mlir.global external @__gemm_dynamic_smem() {addr_space = 3 : i32, alignment = 16 : i64
// LLVM: llvm.func @gemm_router(%{{.*}}: !llvm.ptr {llvm.align = 64 : i64, llvm.byval = !llvm.array<128 x i8>, nvvm.grid_constant}, %{{.*}}: !llvm.ptr {llvm.align = 64 : i64, llvm.byval = !llvm.array<128 x i8>, nvvm.grid_constant}, %{{.*}}: !llvm.ptr, %{{.*}}: i32, %{{.*}}: i64)
// LLVM: llvm.inline_asm has_side_effects asm_dialect = att "{{.*}}wgmma.mma_async.sync.aligned.m64n32k16.f32.bf16.bf16

// CHECK: gpu.binary @router_kernels
// CHECK-SAME: #nvvm.target<O = 3, chip = "sm_90a", features = "+ptx80">
// CHECK-SAME: .extern .shared .align 16 .b8 __gemm_dynamic_smem[];
// CHECK-SAME: .entry gemm_router(
// CHECK-SAME: .param .align 64 .b8 gemm_router_param_0[128]
// CHECK-SAME: .maxntid 256, 1, 1
// CHECK-SAME: mbarrier.try_wait.parity
// CHECK-SAME: cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes
// CHECK-SAME: wgmma.mma_async.sync.aligned.m64n32k16.f32.bf16.bf16
func.func @router(%x: memref<?x7168xbf16>, %y: memref<384x7168xbf16>, %out: memref<?x384xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<384x7168xbf16>) outs(%out : memref<?x384xf32>) {m_range = array<i64: 1, 64>}
  return
}
