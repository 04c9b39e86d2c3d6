// RUN: gemm-opt %s -split-input-file --gemm-to-kernel | FileCheck %s

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
// The groups reach named barrier 2 from their own branches: barrier.sync,
// not the .aligned bar.sync of nvvm.barrier.
// CHECK-NOT: nvvm.barrier
// CHECK: llvm.inline_asm has_side_effects "barrier.sync $0, $1;", "r,r,~{memory}" %c2_i32{{.*}}, %c256_i32
// CHECK: llvm.inline_asm has_side_effects "barrier.sync $0, $1;", "r,r,~{memory}" %c2_i32{{.*}}, %c256_i32
// CHECK: llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr<3> -> f32
// CHECK: arith.addf
// CHECK: llvm.store {{.*}} : vector<2xf32>, !llvm.ptr
// Group 1: steps 1, 3, 5, ...; no global store.
// CHECK: } else {
// CHECK: scf.for %[[J1:.*]] = %c1{{.*}} to %c56
// CHECK: %[[T:.*]] = arith.muli %[[J1]], %c2
// CHECK: arith.addi %[[T]], %c1
// CHECK: nvvm.wgmma.wait.group.sync.aligned 0
// CHECK: llvm.inline_asm has_side_effects "barrier.sync $0, $1;", "r,r,~{memory}" %c2_i32{{.*}}, %c256_i32
// CHECK: llvm.store {{.*}} : f32, !llvm.ptr<3>
// CHECK: llvm.inline_asm has_side_effects "barrier.sync $0, $1;", "r,r,~{memory}" %c2_i32{{.*}}, %c256_i32
// CHECK-NOT: vector<2xf32>, !llvm.ptr
// CHECK: gpu.return
func.func @kg(%x: memref<?x7168xbf16>, %y: memref<384x7168xbf16>, %out: memref<?x384xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<384x7168xbf16>) outs(%out : memref<?x384xf32>) {config = #gemm.config<block_m = 64, block_n = 8, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = 2>}
  return
}

// -----

// With split-K across a cluster: each rank's K share (14 or 15 of 112
// steps: a select on the rank) is split between the groups, ceil((share -
// g) / 2) steps for group g. Group 0 sums the groups, then alone (named
// barrier 1 over its 128 threads) takes part in the cluster reduction;
// group 1 only parks its accumulator.
// CHECK-LABEL: gpu.module @kgs_kernels
// CHECK-SAME: block = [384, 1, 1], cluster = [1, 1, 8]
// CHECK: gpu.func @gemm_kgs
// CHECK: %[[SHARE:.*]] = arith.select %{{.*}}, %c15, %c14
// CHECK: scf.if
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %[[SHARE]]
// CHECK: } else {
// CHECK: %[[P0:.*]] = arith.addi %[[SHARE]], %c1
// CHECK: %[[N0:.*]] = arith.divui %[[P0]], %c2
// CHECK: scf.for %{{.*}} = %c1{{.*}} to %[[N0]]
// CHECK: llvm.inline_asm has_side_effects "barrier.sync $0, $1;", "r,r,~{memory}" %c2_i32{{.*}}, %c256_i32
// CHECK: llvm.inline_asm has_side_effects "barrier.sync $0, $1;", "r,r,~{memory}" %c2_i32{{.*}}, %c256_i32
// CHECK: nvvm.barrier id = %{{.*}} number_of_threads = %c128_i32
// CHECK: nvvm.cluster.arrive
// CHECK: nvvm.mapa
// CHECK: nvvm.cluster.arrive
// CHECK: } else {
// CHECK: %[[P1:.*]] = arith.addi %[[SHARE]], %c0
// CHECK: %[[N1:.*]] = arith.divui %[[P1]], %c2
// CHECK: scf.for %{{.*}} = %c1{{.*}} to %[[N1]]
// CHECK-NOT: nvvm.mapa
// CHECK: gpu.return
func.func @kgs(%x: memref<?x7168xbf16>, %y: memref<2048x7168xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<2048x7168xbf16>) outs(%out : memref<?x2048xf32>) {config = #gemm.config<block_m = 64, block_n = 16, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 8, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = 2>}
  return
}
