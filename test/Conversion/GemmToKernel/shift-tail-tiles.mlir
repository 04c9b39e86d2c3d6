// RUN: gemm-opt %s -split-input-file --gemm-to-kernel="shift-tail-tiles=1" | FileCheck %s
// RUN: gemm-opt %s -split-input-file --gemm-to-kernel | FileCheck %s --check-prefix=OFF

// shift-tail-tiles: N = 200 is no multiple of block_n = 64, so n0 is
// clamped to N - block_n = 136 (a constant); m0 to M - block_m (128)
// where M >= 128, selected at run time. The clamped m0 and n0 feed the TMA
// loads.
// CHECK-LABEL: gpu.func @gemm_tails
// CHECK: %[[BX:.*]] = gpu.block_id x
// CHECK: %[[BY:.*]] = gpu.block_id y
// CHECK: %[[N0:.*]] = arith.muli %[[BX]], %{{.*}} : index
// CHECK: %[[M0:.*]] = arith.muli %[[BY]], %{{.*}} : index
// CHECK: %[[C136:.*]] = arith.constant 136 : index
// CHECK: %[[N0C:.*]] = arith.minui %[[N0]], %[[C136]] : index
// CHECK: %[[M:.*]] = arith.index_cast %{{.*}} : i32 to index
// CHECK: %[[C128:.*]] = arith.constant 128 : index
// CHECK: %[[WHOLE:.*]] = arith.cmpi uge, %[[M]], %[[C128]] : index
// CHECK: %[[C128B:.*]] = arith.constant 128 : index
// CHECK: %[[LAST:.*]] = arith.subi %[[M]], %[[C128B]] : index
// CHECK: %[[MIN:.*]] = arith.minui %[[M0]], %[[LAST]] : index
// CHECK: %[[M0C:.*]] = arith.select %[[WHOLE]], %[[MIN]], %[[M0]] : index
// CHECK: nvgpu.tma.async.load %{{.*}}[%{{.*}}, %[[M0C]]]
// CHECK: nvgpu.tma.async.load %{{.*}}[%{{.*}}, %[[N0C]]]
// Without the option no tile start is clamped.
// OFF-LABEL: gpu.func @gemm_tails
// OFF-NOT: arith.minui %{{.*}}, %c136
// OFF-NOT: arith.cmpi uge
// OFF: gpu.return
func.func @tails(%x: memref<?x4104xbf16>, %y: memref<200x4104xbf16>, %out: memref<?x200xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4104xbf16>, memref<200x4104xbf16>) outs(%out : memref<?x200xf32>) {config = #gemm.config<block_m = 128, block_n = 64, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>}
  return
}

// -----

// A multiple of block_n (N = 256) keeps n0 as it is; M is still clamped.
// The persistent schedule clamps each tile it takes (setTile), inside the
// tile loop.
// CHECK-LABEL: gpu.func @gemm_persistent
// CHECK-NOT: arith.constant 192 : index
// CHECK: scf.for
// CHECK: arith.cmpi uge
// CHECK: arith.minui
// CHECK: arith.select
func.func @persistent(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {config = #gemm.config<block_m = 128, block_n = 64, block_k = 64, stages = 4, schedule = persistent, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>}
  return
}
