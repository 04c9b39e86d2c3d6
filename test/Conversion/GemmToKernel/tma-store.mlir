// RUN: gemm-opt %s -split-input-file --gemm-to-kernel="tma-store=1" | FileCheck %s
// RUN: gemm-opt %s -split-input-file --gemm-to-kernel | FileCheck %s --check-prefix=OFF

// tma-store, one tile per CTA (128 x 64, two consumer warpgroups): out is
// the third TMA descriptor (fp32 box of 32 columns x 64 rows) and needs a
// 16-byte-aligned base and ldc % 4 == 0. The staging reuses the ring (no
// extra shared memory: 4 x (128 + 64) x 64 x 2 + 1024), once both
// consumers are past their main loops. Each warpgroup, on its own barrier
// (3, 4), waits for a free buffer, writes its pairs, fences them for the
// async proxy and lets one thread store the chunk; at the end it waits
// until the stores have read shared memory.
// CHECK-LABEL: gpu.module @one_kernels
// CHECK-SAME: config = #gemm.config<{{.*}}raster = along_n, epilogue = tma_store>
// CHECK-SAME: dynamic_smem_bytes = 99328
// CHECK-SAME: params = [{box = [64, 128], kind = "tma_desc", tensor = "x"}, {box = [64, 64], kind = "tma_desc", tensor = "y"}, {box = [32, 64], kind = "tma_desc", tensor = "out"}, {kind = "i32", value = "m"}, {kind = "i64", value = "ldc"}]
// CHECK-SAME: requires = {k_multiple = 8 : i64, ldc_multiple = 4 : i64, out_align_bytes = 16 : i64
// CHECK: gpu.func @gemm_one(%[[X:.*]]: !llvm.ptr, %[[Y:.*]]: !llvm.ptr, %[[OUT:.*]]: !llvm.ptr, %{{.*}}: i32, %{{.*}}: i64) kernel attributes {gemm.tma_desc_args = array<i32: 0, 1, 2>
// CHECK: nvvm.wgmma.wait.group.sync.aligned 0
// CHECK: nvvm.barrier id = %c1_i32 number_of_threads = %c256_i32
// CHECK-NOT: arith.constant 2048 : index
// CHECK: scf.if
// First warpgroup, first chunk: nothing in flight yet.
// CHECK: nvvm.cp.async.bulk.wait_group 0 {read}
// CHECK: llvm.inline_asm has_side_effects "bar.sync 3, 128;"
// CHECK-COUNT-8: llvm.store %{{.*}}, %{{.*}} {alignment = 8 : i64} : vector<2xf32>, !llvm.ptr<3>
// CHECK: nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// CHECK: llvm.inline_asm has_side_effects "bar.sync 3, 128;"
// CHECK: nvvm.cp.async.bulk.tensor.global.shared.cta %[[OUT]], %{{.*}}, box[%{{.*}}, %{{.*}}] : !llvm.ptr, <3>
// CHECK: nvvm.cp.async.bulk.commit.group
// Second chunk: the other buffer; one store may still be reading.
// CHECK: nvvm.cp.async.bulk.wait_group 1 {read}
// CHECK: llvm.inline_asm has_side_effects "bar.sync 3, 128;"
// CHECK: nvvm.cp.async.bulk.tensor.global.shared.cta %[[OUT]]
// CHECK: } else {
// CHECK: "bar.sync 4, 128;"
// CHECK: nvvm.cp.async.bulk.tensor.global.shared.cta %[[OUT]]
// CHECK: nvvm.cp.async.bulk.tensor.global.shared.cta %[[OUT]]
// CHECK: nvvm.cp.async.bulk.wait_group 0 {read}
// CHECK: gpu.return
// No direct store of out is left.
// CHECK-NOT: llvm.store {{.*}} !llvm.ptr{{$}}
// Without the option: the pointer and the 8-byte stores, as before.
// OFF-LABEL: gpu.module @one_kernels
// OFF-SAME: {kind = "ptr", tensor = "out"}
// OFF-SAME: ldc_multiple = 2 : i64, out_align_bytes = 8 : i64
// OFF: gemm.tma_desc_args = array<i32: 0, 1>
// OFF-NOT: nvvm.cp.async.bulk.tensor.global.shared.cta
// OFF: llvm.store {{.*}} : vector<2xf32>, !llvm.ptr
// OFF-NOT: nvvm.cp.async.bulk.tensor.global.shared.cta
// OFF: gpu.return
func.func @one(%x: memref<?x4104xbf16>, %y: memref<2048x4104xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4104xbf16>, memref<2048x4104xbf16>) outs(%out : memref<?x2048xf32>) {config = #gemm.config<block_m = 128, block_n = 64, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>}
  return
}

// -----

// Persistent: the ring holds the next tile's loads while a tile is stored,
// so the staging (2 x 8 KiB per consumer warpgroup) sits past the ring
// (4 x (128 + 256) x 64 x 2 = 196608 bytes) and adds 32768 bytes; the
// consumers do not meet first.
// CHECK-LABEL: gpu.module @pers_kernels
// CHECK-SAME: dynamic_smem_bytes = 230400
// CHECK-SAME: {box = [32, 64], kind = "tma_desc", tensor = "out"}
// CHECK: gpu.func @gemm_pers
// CHECK-NOT: nvvm.barrier id = %c1_i32
// CHECK: %[[C0:.*]] = arith.constant 196608 : i64
// CHECK: llvm.getelementptr %{{.*}}[%[[C0]]] : (!llvm.ptr<3>, i64) -> !llvm.ptr<3>, i8
// CHECK: nvvm.cp.async.bulk.tensor.global.shared.cta
// CHECK: %[[C1:.*]] = arith.constant 212992 : i64
// CHECK: llvm.getelementptr %{{.*}}[%[[C1]]] : (!llvm.ptr<3>, i64) -> !llvm.ptr<3>, i8
// CHECK: nvvm.cp.async.bulk.tensor.global.shared.cta
// OFF-LABEL: gpu.module @pers_kernels
// OFF-SAME: dynamic_smem_bytes = 197632
func.func @pers(%x: memref<?x7168xbf16>, %y: memref<2048x7168xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<2048x7168xbf16>) outs(%out : memref<?x2048xf32>) {config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = persistent, split_k = 1, reduction = none, cluster_m = 2, cluster_n = 1, raster = grouped>}
  return
}

// -----

// Where it does not apply, the kernel keeps the out pointer and its direct
// stores: N = 202 (ldc * 4 bytes no multiple of 16 for a packed out) ...
// CHECK-LABEL: gpu.module @oddn_kernels
// CHECK-SAME: {kind = "ptr", tensor = "out"}
// CHECK: gemm.tma_desc_args = array<i32: 0, 1>
// CHECK-NOT: nvvm.cp.async.bulk.tensor.global.shared.cta
// CHECK: gpu.return
func.func @oddn(%x: memref<?x4104xbf16>, %y: memref<202x4104xbf16>, %out: memref<?x202xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4104xbf16>, memref<202x4104xbf16>) outs(%out : memref<?x202xf32>) {config = #gemm.config<block_m = 128, block_n = 64, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>}
  return
}

// -----

// ... block_n = 40 (no whole 32-column chunks) ...
// CHECK-LABEL: gpu.module @narrow_kernels
// CHECK-SAME: {kind = "ptr", tensor = "out"}
// CHECK-NOT: nvvm.cp.async.bulk.tensor.global.shared.cta
// CHECK: gpu.return
func.func @narrow(%x: memref<?x4104xbf16>, %y: memref<200x4104xbf16>, %out: memref<?x200xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4104xbf16>, memref<200x4104xbf16>) outs(%out : memref<?x200xf32>) {config = #gemm.config<block_m = 64, block_n = 40, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>}
  return
}

// -----

// ... split-K (the owners store their sums) ...
// CHECK-LABEL: gpu.module @split_kernels
// CHECK-SAME: {kind = "ptr", tensor = "out"}
// CHECK-NOT: nvvm.cp.async.bulk.tensor.global.shared.cta
// CHECK: gpu.return
func.func @split(%x: memref<?x4104xbf16>, %y: memref<2048x4104xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4104xbf16>, memref<2048x4104xbf16>) outs(%out : memref<?x2048xf32>) {config = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 2, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>}
  return
}

// -----

// k_groups = 2: group 0 sums the groups' accumulators through the ring,
// then stages its sum there and stores it (the other group only parks its
// accumulator); group 0's leader waits for the stores' reads at its end.
// CHECK-LABEL: gpu.module @kgroups_kernels
// CHECK-SAME: {box = [32, 64], kind = "tma_desc", tensor = "out"}
// CHECK: "barrier.sync $0, $1;"
// CHECK: "barrier.sync $0, $1;"
// CHECK: arith.addf
// CHECK: nvvm.cp.async.bulk.wait_group 0 {read}
// CHECK: "bar.sync 3, 128;"
// CHECK: nvvm.cp.async.bulk.tensor.global.shared.cta
// CHECK: nvvm.cp.async.bulk.tensor.global.shared.cta
// CHECK: nvvm.cp.async.bulk.wait_group 0 {read}
// CHECK: } else {
// CHECK: "barrier.sync $0, $1;"
// CHECK-NOT: nvvm.cp.async.bulk
// CHECK: gpu.return
func.func @kgroups(%x: memref<?x4104xbf16>, %y: memref<2048x4104xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4104xbf16>, memref<2048x4104xbf16>) outs(%out : memref<?x2048xf32>) {config = #gemm.config<block_m = 64, block_n = 64, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = 2>}
  return
}

// -----

// ... swap_ab (the tile is out^T) ...
// CHECK-LABEL: gpu.module @swap_kernels
// CHECK-SAME: {kind = "ptr", tensor = "out"}
// CHECK-NOT: nvvm.cp.async.bulk.tensor.global.shared.cta
// CHECK: gpu.return
func.func @swap(%x: memref<?x4104xbf16>, %y: memref<2048x4104xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4104xbf16>, memref<2048x4104xbf16>) outs(%out : memref<?x2048xf32>) {config = #gemm.config<block_m = 32, block_n = 128, block_k = 64, stages = 4, schedule = swap_ab, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>}
  return
}

// -----

// ... and a persistent ring with no room left for the staging (7 stages of
// 128 x 128: 229376 + 1024 + 32768 bytes would exceed 227 KiB).
// CHECK-LABEL: gpu.module @full_kernels
// CHECK-SAME: dynamic_smem_bytes = 230400
// CHECK-SAME: {kind = "ptr", tensor = "out"}
// CHECK-NOT: nvvm.cp.async.bulk.tensor.global.shared.cta
// CHECK: gpu.return
func.func @full(%x: memref<?x4096xbf16>, %y: memref<4096x4096xbf16>, %out: memref<?x4096xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<4096x4096xbf16>) outs(%out : memref<?x4096xf32>) {config = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 7, schedule = persistent, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>}
  return
}

// -----

// A config that asks for it (epilogue = tma_store) gets it without the
// option; the option gives it to eligible direct configs (above) and the
// manifest's config then says so.
// CHECK-LABEL: gpu.module @asked_kernels
// CHECK-SAME: config = #gemm.config<{{.*}}epilogue = tma_store>
// CHECK-SAME: {box = [32, 64], kind = "tma_desc", tensor = "out"}
// CHECK: nvvm.cp.async.bulk.tensor.global.shared.cta
// OFF-LABEL: gpu.module @asked_kernels
// OFF-SAME: {box = [32, 64], kind = "tma_desc", tensor = "out"}
// OFF: nvvm.cp.async.bulk.tensor.global.shared.cta
func.func @asked(%x: memref<?x4104xbf16>, %y: memref<2048x4104xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4104xbf16>, memref<2048x4104xbf16>) outs(%out : memref<?x2048xf32>) {config = #gemm.config<block_m = 64, block_n = 128, block_k = 64, stages = 8, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, epilogue = tma_store>}
  return
}

// -----

// N = 200 is no multiple of block_n = 64: in the last N tile the chunk
// from column 224 lies wholly past N, so each chunk is stored only where it
// starts below N (a condition the whole warpgroup shares, taken before its
// barriers). A multiple of block_n (@one above) has no such test.
// CHECK-LABEL: gpu.module @tail_kernels
// CHECK: %[[N:.*]] = arith.constant 200 : index
// CHECK: %[[IN:.*]] = arith.cmpi ult, %{{.*}}, %[[N]] : index
// CHECK: scf.if %[[IN]] {
// CHECK: nvvm.cp.async.bulk.wait_group 0 {read}
// CHECK: "bar.sync 3, 128;"
// CHECK: nvvm.cp.async.bulk.tensor.global.shared.cta
// CHECK: %[[N2:.*]] = arith.constant 200 : index
// CHECK: %[[IN2:.*]] = arith.cmpi ult, %{{.*}}, %[[N2]] : index
// CHECK: scf.if %[[IN2]] {
// CHECK: nvvm.cp.async.bulk.wait_group 1 {read}
// CHECK: nvvm.cp.async.bulk.tensor.global.shared.cta
func.func @tail(%x: memref<?x4104xbf16>, %y: memref<200x4104xbf16>, %out: memref<?x200xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4104xbf16>, memref<200x4104xbf16>) outs(%out : memref<?x200xf32>) {config = #gemm.config<block_m = 64, block_n = 64, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, epilogue = tma_store>}
  return
}
