// RUN: gemm-opt %s --gemm-to-kernel | FileCheck %s

// k_groups = 2: two consumer warpgroups on the same 64-row tile, taking
// alternate ring steps (4 stages: group 0 owns the even slots, group 1 the
// odd ones), so each slot's empty barrier expects one warpgroup. K = 7168
// is 112 steps, 56 per group. Group 1 parks its accumulator in shared
// memory between two named barriers over both groups; group 0 adds it to
// its own (group 0 first, then group 1) and stores the tile.
// CHECK-LABEL: gpu.module @kg_kernels
// CHECK-SAME: block = [384, 1, 1]
// CHECK-SAME: k_groups = 2
// CHECK-SAME: grid = {block_m = 64 : i64, block_n = 8 : i64, kind = "tiles", split_k = 1 : i64}
// CHECK: gpu.func @gemm_kg
// CHECK-SAME: known_block_size = array<i32: 384, 1, 1>
// Slot 0's full and empty barriers each expect one arrival (constants
// named %c1...: the value 1).
// CHECK: nvgpu.mbarrier.init %{{.*}}[%c0{{.*}}], %c1{{(_[0-9]+)?}} :
// CHECK: nvgpu.mbarrier.init %{{.*}}[%c0{{.*}}], %c1{{(_[0-9]+)?}} :
// The producer loads all 112 steps in order.
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c112
// Group 0 (consumer warpgroup 0): steps 0, 2, 4, ...
// CHECK: %[[CW:.*]] = arith.subi %{{.*}}, %c1
// CHECK: %[[G0:.*]] = arith.cmpi eq, %[[CW]], %c0
// CHECK: scf.if %[[G0]] {
// CHECK: nvvm.wgmma.mma_async {{.*}} D[<f32>, <zero>]
// CHECK: scf.for %[[J0:.*]] = %c1{{.*}} to %c56
// CHECK: arith.muli %[[J0]], %c2
// CHECK: nvvm.wgmma.wait.group.sync.aligned 1
// CHECK: nvvm.wgmma.wait.group.sync.aligned 0
// CHECK: nvvm.barrier id = %{{.*}} number_of_threads = %{{.*}}
// CHECK: nvvm.barrier id = %{{.*}} number_of_threads = %{{.*}}
// CHECK: llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr<3> -> f32
// CHECK: arith.addf
// CHECK: llvm.store {{.*}} : vector<2xf32>, !llvm.ptr
// Group 1: steps 1, 3, 5, ...; no global store.
// CHECK: } else {
// CHECK: scf.for %[[J1:.*]] = %c1{{.*}} to %c56
// CHECK: %[[T:.*]] = arith.muli %[[J1]], %c2
// CHECK: arith.addi %[[T]], %c1
// CHECK: nvvm.wgmma.wait.group.sync.aligned 0
// CHECK: nvvm.barrier id = %{{.*}} number_of_threads = %{{.*}}
// CHECK: llvm.store {{.*}} : f32, !llvm.ptr<3>
// CHECK: nvvm.barrier id = %{{.*}} number_of_threads = %{{.*}}
// CHECK-NOT: vector<2xf32>, !llvm.ptr
// CHECK: gpu.return
func.func @kg(%x: memref<?x7168xbf16>, %y: memref<384x7168xbf16>, %out: memref<?x384xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<384x7168xbf16>) outs(%out : memref<?x384xf32>) {config = #gemm.config<block_m = 64, block_n = 8, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = 2>}
  return
}
