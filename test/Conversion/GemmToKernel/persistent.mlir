// RUN: gemm-opt %s -split-input-file --gemm-to-kernel | FileCheck %s

// The persistent schedule: the warp-specialized CTA looping over cluster
// tiles (cluster, cluster + clusters, ...; clusters = gridDim.x / 2 here),
// its ring steps running on across tiles. The manifest says "persistent" so
// the runtime sizes the grid by SMs, not by tiles.
// CHECK-LABEL: gpu.module @pers_kernels
// CHECK-SAME: cluster = [2, 1, 1]
// CHECK-SAME: grid = {block_m = 128 : i64, block_n = 256 : i64, kind = "persistent", split_k = 1 : i64}
// CHECK: gpu.func @gemm_pers
// CHECK: %[[BX:.*]] = gpu.block_id  x
// CHECK: %[[GX:.*]] = gpu.grid_dim  x
// CHECK: %[[CLUSTER:.*]] = arith.divui %[[BX]], %c2
// CHECK: %[[CLUSTERS:.*]] = arith.divui %[[GX]], %c2
// 2048 / 256 = 8 tiles along N, 4 cluster tiles; M tiles from the argument.
// CHECK: %[[M:.*]] = arith.index_cast %arg3 : i32 to index
// CHECK: %[[TILES:.*]] = arith.muli %{{.*}}, %c4
// CHECK: nvvm.griddepcontrol wait
// Producer: a tile loop carrying the ring step of the tile's first k-step.
// CHECK: nvvm.setmaxregister decrease 40
// CHECK: %[[PEND:.*]] = scf.for %{{.*}} = %[[CLUSTER]] to %[[TILES]] step %[[CLUSTERS]] iter_args(%[[PBASE:.*]] = %c0{{.*}}) -> (index)
// CHECK: scf.for %[[KT:.*]] = %c0{{.*}} to %c64
// CHECK: %[[STEP:.*]] = arith.addi %[[PBASE]], %[[KT]]
// CHECK: arith.remui %[[STEP]], %c4
// CHECK: nvgpu.mbarrier.try_wait.parity
// CHECK: nvgpu.tma.async.load {{.*}} multicast_mask
// CHECK: nvgpu.tma.async.load
// CHECK: arith.addi %[[PBASE]], %c64
// CHECK: scf.yield
// Consumers: the same tile loop; every slot goes back, the tile's last one
// after the final wait, before the epilogue.
// CHECK: nvvm.setmaxregister increase 232
// CHECK: scf.for %{{.*}} = %[[CLUSTER]] to %[[TILES]] step %[[CLUSTERS]] iter_args(%[[CBASE:.*]] = %c0{{.*}}) -> (index)
// CHECK: nvvm.wgmma.mma_async {{.*}} D[<f32>, <zero>]
// CHECK: scf.for %{{.*}} = %c1{{.*}} to %c64
// CHECK: nvvm.mbarrier.arrive %{{.*}} : !llvm.ptr<7>
// CHECK: nvvm.wgmma.wait.group.sync.aligned 0
// CHECK: nvvm.mbarrier.arrive %{{.*}} : !llvm.ptr<7>
// CHECK: llvm.store {{.*}} : vector<2xf32>, !llvm.ptr
// CHECK: arith.addi %[[CBASE]], %c64
// CHECK: scf.yield
// CHECK: nvvm.cluster.arrive
// CHECK: gpu.return
func.func @pers(%x: memref<?x4096xbf16>, %y: memref<2048x4096xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<2048x4096xbf16>) outs(%out : memref<?x2048xf32>) {config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = persistent, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 2, raster = along_n>}
  return
}

// -----

// Without a cluster: one CTA per cluster tile, no remote arrivals; the
// last slot is released locally.
// CHECK-LABEL: gpu.module @solo_kernels
// CHECK-SAME: cluster = [1, 1, 1]
// CHECK-SAME: kind = "persistent"
// CHECK: gpu.func @gemm_solo
// CHECK-NOT: nvvm.mapa
// CHECK: nvvm.wgmma.wait.group.sync.aligned 0
// CHECK: scf.if
// CHECK-NEXT: nvgpu.mbarrier.arrive
// CHECK: llvm.store
// CHECK: gpu.return
func.func @solo(%x: memref<?x7168xbf16>, %y: memref<384x7168xbf16>, %out: memref<?x384xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<384x7168xbf16>) outs(%out : memref<?x384xf32>) {config = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 6, schedule = persistent, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>}
  return
}

// -----

// along_m: consecutive clusters walk M first: the tile along M is the
// cluster tile index modulo the cluster tiles along M, the one along N the
// quotient (3 tiles of 128 along N here).
// CHECK-LABEL: gpu.module @alongm_kernels
// CHECK: gpu.func @gemm_alongm
// CHECK: %[[TILES:.*]] = arith.muli %[[CTM:.*]], %c3
// CHECK: scf.for %[[CT:.*]] = %{{.*}} to %[[TILES]] step
// CHECK: %[[CM:.*]] = arith.divui %[[TILES]], %c3
// CHECK: arith.remui %[[CT]], %[[CM]]
// CHECK: arith.divui %[[CT]], %[[CM]]
func.func @alongm(%x: memref<?x7168xbf16>, %y: memref<384x7168xbf16>, %out: memref<?x384xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<384x7168xbf16>) outs(%out : memref<?x384xf32>) {config = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 6, schedule = persistent, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_m>}
  return
}

// -----

// grouped: bands of 8 cluster tiles along M, walked M first. band = ct /
// (8 * 3 cluster tiles along N), first M = band * 8, rows = min(cluster
// tiles along M - first M, 8); M = first M + (ct mod 24) mod rows, N =
// (ct mod 24) / rows.
// CHECK-LABEL: gpu.module @grouped_kernels
// CHECK: gpu.func @gemm_grouped
// CHECK: %[[TILES:.*]] = arith.muli %[[CTM:.*]], %c3
// CHECK: scf.for %[[CT:.*]] = %{{.*}} to %[[TILES]] step
// CHECK: %[[CM:.*]] = arith.divui %[[TILES]], %c3
// CHECK: %[[BAND:.*]] = arith.divui %[[CT]], %c24
// CHECK: %[[FIRST:.*]] = arith.muli %[[BAND]], %c8
// CHECK: %[[LEFT:.*]] = arith.subi %[[CM]], %[[FIRST]]
// CHECK: %[[ROWS:.*]] = arith.minui %[[LEFT]], %c8
// CHECK: %[[IN:.*]] = arith.remui %[[CT]], %c24
// CHECK: %[[R:.*]] = arith.remui %[[IN]], %[[ROWS]]
// CHECK: arith.addi %[[FIRST]], %[[R]]
// CHECK: arith.divui %[[IN]], %[[ROWS]]
func.func @grouped(%x: memref<?x7168xbf16>, %y: memref<384x7168xbf16>, %out: memref<?x384xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<384x7168xbf16>) outs(%out : memref<?x384xf32>) {config = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 6, schedule = persistent, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = grouped>}
  return
}
