// RUN: gemm-opt %s -split-input-file --gemm-to-kernel | FileCheck %s

// swap_ab: out^T = y * x^T. The weight tile (block_n = 128 rows) is wgmma's
// A operand, 64 rows per consumer warpgroup (two: 384 threads); the 8
// tokens of x are its n. The TMA boxes stay x: 8 rows, y: 128 rows, in the
// usual ring (x chunks of 1 KiB per stage first, then y's 16 KiB).
// CHECK-LABEL: gpu.module @swap_kernels
// CHECK-SAME: block = [384, 1, 1]
// CHECK-SAME: dynamic_smem_bytes = 70656
// CHECK-SAME: grid = {block_m = 8 : i64, block_n = 128 : i64, kind = "tiles", split_k = 1 : i64}
// CHECK-SAME: params = [{box = [64, 8], kind = "tma_desc", tensor = "x"}, {box = [64, 128], kind = "tma_desc", tensor = "y"}
// Single-element stores: any ldc, 4-byte aligned out.
// CHECK-SAME: requires = {k_multiple = 8 : i64, ldc_multiple = 1 : i64, out_align_bytes = 4 : i64
// CHECK: gpu.func @gemm_swap
// CHECK: nvgpu.mbarrier.arrive.expect_tx %{{.*}}, %c17408
// Consumer, first k-step. A: stage * 16 KiB + 4 KiB (past the x ring)
// + this warpgroup's 64 rows; B: stage * 1 KiB (the x chunk).
// CHECK: nvvm.setmaxregister increase 232
// CHECK: nvvm.wgmma.fence.aligned
// CHECK: %[[YSTAGE:.*]] = arith.muli %[[S:.*]], %c16384
// CHECK: %[[Y:.*]] = arith.addi %[[YSTAGE]], %c4096
// CHECK: %[[A:.*]] = arith.addi %[[Y]], %[[ROWS:.*]] : index
// CHECK: arith.addi %{{.*}}, %[[A]]
// CHECK: arith.muli %[[S]], %c1024
// CHECK: nvvm.wgmma.mma_async {{.*}} <m = 64, n = 8, k = 16>, D[<f32>, <zero>], A[<bf16>, <one>, <row>], B[<bf16>, <one>, <col>]
// CHECK-COUNT-3: nvvm.wgmma.mma_async {{.*}} <m = 64, n = 8, k = 16>, D[<f32>, <one>]
// CHECK: nvvm.wgmma.wait.group.sync.aligned 0
// Epilogue: the fragment's rows are columns of out, bounded by N = 256;
// each element of a pair is its own token (row of out), masked against M
// and stored at token * ldc + column.
// CHECK: %[[M:.*]] = arith.index_cast %arg3 : i32 to index
// CHECK: %[[NOK:.*]] = arith.cmpi ult, %{{.*}}, %c256
// CHECK: %[[COL:.*]] = arith.index_cast %{{.*}} : index to i64
// CHECK: %[[TOK:.*]] = arith.addi %{{.*}}, %c0
// CHECK: %[[TOKOK:.*]] = arith.cmpi ult, %[[TOK]], %[[M]]
// CHECK: %[[OK:.*]] = arith.andi %[[NOK]], %[[TOKOK]]
// CHECK: scf.if %[[OK]] {
// CHECK: %[[T64:.*]] = arith.index_cast %[[TOK]] : index to i64
// CHECK: %[[ROW:.*]] = arith.muli %[[T64]], %arg4 : i64
// CHECK: arith.addi %[[ROW]], %[[COL]] : i64
// CHECK: llvm.store {{.*}} {alignment = 4 : i64} : f32, !llvm.ptr
// CHECK: %[[TOK1:.*]] = arith.addi %[[TOK]], %c1
// CHECK: arith.cmpi ult, %[[TOK1]], %[[M]]
// CHECK: llvm.store {{.*}} {alignment = 4 : i64} : f32, !llvm.ptr
// CHECK-COUNT-2: llvm.store {{.*}} {alignment = 4 : i64} : f32, !llvm.ptr
// CHECK-NOT: llvm.store
// CHECK: gpu.return
func.func @swap(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {config = #gemm.config<block_m = 8, block_n = 128, block_k = 64, stages = 4, schedule = swap_ab, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>}
  return
}

// -----

// swap_ab with the cluster_push split-K reduction: the fragment is m64n16
// (4 register pairs), so each of the 4 ranks owns one pair. The push
// buffer is 4 ranks x 1 pair x 2 words x 128 threads of fp32 (4 KiB) after
// the ring (4 x (16 + 64) x 128 x 2 bytes) and the 1 KiB of alignment.
// Warps whose 16 weight rows lie past N = 200 skip the reduction.
// CHECK-LABEL: gpu.module @swap_push_kernels
// CHECK-SAME: block = [256, 1, 1]
// CHECK-SAME: cluster = [1, 1, 4]
// CHECK-SAME: dynamic_smem_bytes = 87040
// CHECK: gpu.func @gemm_swap_push
// CHECK: nvvm.cluster.arrive.relaxed
// CHECK: nvvm.wgmma.mma_async {{.*}} <m = 64, n = 16, k = 16>
// CHECK: nvvm.wgmma.wait.group.sync.aligned 0
// The fragment's two row halves against N, then the warp's first row:
// CHECK-COUNT-2: arith.cmpi ult, %{{.*}}, %c200
// CHECK: %[[LIVE:.*]] = arith.cmpi ult, %{{.*}}, %c200
// CHECK-NEXT: nvvm.cluster.wait {aligned}
// CHECK: scf.if %[[LIVE]] {
// CHECK-COUNT-8: llvm.store {{.*}} : f32, !llvm.ptr<7>
// CHECK-NOT: llvm.store
// CHECK: nvvm.cluster.arrive {aligned}
// CHECK-NEXT: nvvm.cluster.wait {aligned}
// CHECK: scf.if %[[LIVE]] {
// CHECK-COUNT-2: llvm.load {{.*}} : !llvm.ptr<3> -> f32
// CHECK: arith.addf
// CHECK-COUNT-2: llvm.store {{.*}} {alignment = 4 : i64} : f32, !llvm.ptr
// CHECK: gpu.return
func.func @swap_push(%x: memref<?x4096xbf16>, %y: memref<200x4096xbf16>, %out: memref<?x200xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<200x4096xbf16>) outs(%out : memref<?x200xf32>) {config = #gemm.config<block_m = 16, block_n = 64, block_k = 128, stages = 4, schedule = swap_ab, split_k = 4, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>}
  return
}
