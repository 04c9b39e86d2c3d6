// RUN: gemm-opt %s | FileCheck %s
// RUN: gemm-opt %s | gemm-opt | FileCheck %s

// Every schedule, reduction and raster spelling round-trips, and k_groups
// and epilogue.

// CHECK: module attributes {gemm.atomic = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 6, schedule = warp_specialized, split_k = 2, reduction = atomic, cluster_m = 2, cluster_n = 1, raster = along_n>
// CHECK-SAME: gemm.grouped = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = persistent, split_k = 1, reduction = none, cluster_m = 2, cluster_n = 1, raster = grouped>
// CHECK-SAME: gemm.groups = #gemm.config<block_m = 64, block_n = 64, block_k = 64, stages = 8, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 2, cluster_n = 1, raster = along_n, k_groups = 2>
// CHECK-SAME: gemm.kgtma = #gemm.config<block_m = 64, block_n = 128, block_k = 64, stages = 8, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = 2, epilogue = tma_store>
// CHECK-SAME: gemm.pers = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 6, schedule = persistent, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 2, raster = along_m>
// CHECK-SAME: gemm.ptma = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = persistent, split_k = 1, reduction = none, cluster_m = 2, cluster_n = 1, raster = grouped, epilogue = tma_store>
// CHECK-SAME: gemm.push = #gemm.config<block_m = 64, block_n = 32, block_k = 128, stages = 4, schedule = warp_specialized, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = 2>
// CHECK-SAME: gemm.simt = #gemm.config<block_m = 4, block_n = 8, block_k = 512, stages = 1, schedule = simt, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = 2, warp_rows = 2>
// warp_rows = 1 is the default and is not printed.
// CHECK-SAME: gemm.simt1 = #gemm.config<block_m = 1, block_n = 4, block_k = 1024, stages = 1, schedule = simt, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>
// CHECK-SAME: gemm.swap = #gemm.config<block_m = 16, block_n = 128, block_k = 64, stages = 8, schedule = swap_ab, split_k = 4, reduction = workspace, cluster_m = 1, cluster_n = 4, raster = along_n>
// CHECK-SAME: gemm.tma = #gemm.config<block_m = 64, block_n = 128, block_k = 64, stages = 8, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, epilogue = tma_store>
// CHECK-SAME: gemm.ws = #gemm.config<block_m = 64, block_n = 8, block_k = 128, stages = 2, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>
module attributes {
  gemm.ws = #gemm.config<block_m = 64, block_n = 8, block_k = 128, stages = 2, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>,
  gemm.swap = #gemm.config<block_m = 16, block_n = 128, block_k = 64, stages = 8, schedule = swap_ab, split_k = 4, reduction = workspace, cluster_m = 1, cluster_n = 4, raster = along_n>,
  gemm.atomic = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 6, schedule = warp_specialized, split_k = 2, reduction = atomic, cluster_m = 2, cluster_n = 1, raster = along_n>,
  gemm.pers = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 6, schedule = persistent, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 2, raster = along_m>,
  gemm.grouped = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = persistent, split_k = 1, reduction = none, cluster_m = 2, cluster_n = 1, raster = grouped>,
  gemm.groups = #gemm.config<block_m = 64, block_n = 64, block_k = 64, stages = 8, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 2, cluster_n = 1, raster = along_n, k_groups = 2>,
  gemm.push = #gemm.config<block_m = 64, block_n = 32, block_k = 128, stages = 4, schedule = warp_specialized, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = 2>,
  gemm.simt = #gemm.config<block_m = 4, block_n = 8, block_k = 512, stages = 1, schedule = simt, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = 2, warp_rows = 2>,
  gemm.simt1 = #gemm.config<block_m = 1, block_n = 4, block_k = 1024, stages = 1, schedule = simt, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, warp_rows = 1>,
  gemm.tma = #gemm.config<block_m = 64, block_n = 128, block_k = 64, stages = 8, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, epilogue = tma_store>,
  gemm.ptma = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = persistent, split_k = 1, reduction = none, cluster_m = 2, cluster_n = 1, raster = grouped, epilogue = tma_store>,
  gemm.kgtma = #gemm.config<block_m = 64, block_n = 128, block_k = 64, stages = 8, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = 2, epilogue = tma_store>,
  gemm.direct = #gemm.config<block_m = 64, block_n = 128, block_k = 64, stages = 8, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, epilogue = direct>
} {}
// k_groups = 1 and epilogue = direct are the defaults and are not printed.
// CHECK-NOT: k_groups = 1
// CHECK-NOT: epilogue = direct
