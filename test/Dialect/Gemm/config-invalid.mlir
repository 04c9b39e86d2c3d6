// RUN: gemm-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{block_k must be a positive multiple of 64 (128-byte swizzled rows), got 32}}
module attributes {gemm.c = #gemm.config<block_m = 128, block_n = 128, block_k = 32, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>} {}

// -----

// expected-error @+1 {{stages must be at least 2, got 1}}
module attributes {gemm.c = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 1, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>} {}

// -----

// expected-error @+1 {{needs 246864 bytes of shared memory, more than the 232448 one CTA may use}}
module attributes {gemm.c = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>} {}

// -----

// expected-error @+1 {{warp_specialized needs block_m of 64 or 128 (one consumer warpgroup per 64 rows), got 96}}
module attributes {gemm.c = #gemm.config<block_m = 96, block_n = 128, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>} {}

// -----

// expected-error @+1 {{warp_specialized needs block_n to be a multiple of 8 up to 256 (the wgmma n), got 264}}
module attributes {gemm.c = #gemm.config<block_m = 64, block_n = 264, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>} {}

// -----

// expected-error @+1 {{swap_ab needs block_n of 64 or 128 (weight rows on the 64-row side of wgmma), got 256}}
module attributes {gemm.c = #gemm.config<block_m = 16, block_n = 256, block_k = 64, stages = 4, schedule = swap_ab, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>} {}

// -----

// expected-error @+1 {{swap_ab needs block_m to be a multiple of 8 up to 256 (the wgmma n), got 12}}
module attributes {gemm.c = #gemm.config<block_m = 12, block_n = 64, block_k = 64, stages = 4, schedule = swap_ab, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>} {}

// -----

// expected-error @+1 {{split_k = 4 needs a reduction ('cluster', 'cluster_push', 'workspace' or 'atomic')}}
module attributes {gemm.c = #gemm.config<block_m = 16, block_n = 64, block_k = 64, stages = 4, schedule = swap_ab, split_k = 4, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>} {}

// -----

// expected-error @+1 {{reduction must be 'none' when split_k = 1}}
module attributes {gemm.c = #gemm.config<block_m = 16, block_n = 64, block_k = 64, stages = 4, schedule = swap_ab, split_k = 1, reduction = atomic, cluster_m = 1, cluster_n = 1, raster = along_n>} {}

// -----

// expected-error @+1 {{split_k must be at least 1, got 0}}
module attributes {gemm.c = #gemm.config<block_m = 16, block_n = 64, block_k = 64, stages = 4, schedule = swap_ab, split_k = 0, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>} {}

// -----

// expected-error @+1 {{cluster shape 3x1 must be powers of two with at most 8 CTAs}}
module attributes {gemm.c = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 3, cluster_n = 1, raster = along_n>} {}

// -----

// expected-error @+1 {{cluster shape 4x4 must be powers of two with at most 8 CTAs}}
module attributes {gemm.c = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 4, cluster_n = 4, raster = along_n>} {}

// -----

// expected-error @+1 {{block_m and block_n must be positive, got 0 and 128}}
module attributes {gemm.c = #gemm.config<block_m = 0, block_n = 128, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>} {}

// -----

// expected-error @+2 {{expected ::mlir::gemm::ScheduleKind to be one of: warp_specialized, swap_ab, persistent}}
// expected-error @+1 {{failed to parse Gemm_ConfigAttr parameter 'schedule'}}
module attributes {gemm.c = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 4, schedule = stream_k, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>} {}

// -----

// expected-error @+1 {{reduction 'cluster' needs split_k x cluster_m x cluster_n <= 8 (one cluster of the portable size), got split_k = 16 and cluster 1x1}}
module attributes {gemm.c = #gemm.config<block_m = 64, block_n = 64, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 16, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>} {}

// -----

// expected-error @+1 {{persistent needs split_k = 1 (a CTA walks whole output tiles), got 2}}
module attributes {gemm.c = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 4, schedule = persistent, split_k = 2, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>} {}

// -----

// expected-error @+1 {{persistent needs a cluster of at most 2 CTAs, got 2x2}}
module attributes {gemm.c = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = persistent, split_k = 1, reduction = none, cluster_m = 2, cluster_n = 2, raster = along_n>} {}

// -----

// expected-error @+1 {{persistent needs block_m of 64 or 128 (one consumer warpgroup per 64 rows), got 256}}
module attributes {gemm.c = #gemm.config<block_m = 256, block_n = 64, block_k = 64, stages = 4, schedule = persistent, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>} {}

// -----

// expected-error @+1 {{raster = along_m needs schedule = persistent (other schedules launch one CTA per tile, in the hardware's order)}}
module attributes {gemm.c = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_m>} {}

// -----

// expected-error @+1 {{raster = grouped needs schedule = persistent (other schedules launch one CTA per tile, in the hardware's order)}}
module attributes {gemm.c = #gemm.config<block_m = 16, block_n = 128, block_k = 64, stages = 8, schedule = swap_ab, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = grouped>} {}

// -----

// expected-error @+1 {{k_groups must be 1 or 2, got 3}}
module attributes {gemm.c = #gemm.config<block_m = 64, block_n = 64, block_k = 64, stages = 6, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = 3>} {}

// -----

// expected-error @+1 {{k_groups = 2 needs schedule = warp_specialized, block_m = 64 and split_k = 1 or a cluster reduction}}
module attributes {gemm.c = #gemm.config<block_m = 128, block_n = 64, block_k = 64, stages = 6, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = 2>} {}

// -----

// expected-error @+1 {{k_groups = 2 needs schedule = warp_specialized, block_m = 64 and split_k = 1 or a cluster reduction}}
module attributes {gemm.c = #gemm.config<block_m = 64, block_n = 64, block_k = 64, stages = 6, schedule = warp_specialized, split_k = 2, reduction = workspace, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = 2>} {}

// -----

// expected-error @+1 {{k_groups = 2 needs stages to be a multiple of it (each group owns every other ring slot), got 7}}
module attributes {gemm.c = #gemm.config<block_m = 64, block_n = 64, block_k = 64, stages = 7, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = 2>} {}

// -----

// Every split rank has its own multicast group in the cluster: 4 x 2 x 2.
// expected-error @+1 {{reduction 'cluster_push' needs split_k x cluster_m x cluster_n <= 8 (one cluster of the portable size), got split_k = 4 and cluster 2x2}}
module attributes {gemm.c = #gemm.config<block_m = 64, block_n = 64, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 4, reduction = cluster_push, cluster_m = 2, cluster_n = 2, raster = along_n>} {}

// -----

// The push buffer (128 x 256 fp32 here) comes on top of the ring, which
// the `cluster` reduction reuses: 196608 + 131072 + 1024 + 64 bytes.
// expected-error @+1 {{needs 328768 bytes of shared memory, more than the 232448 one CTA may use}}
module attributes {gemm.c = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 2, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>} {}

// -----

// expected-error @+1 {{simt needs block_m (tokens per CTA) in 1..8, got 16}}
module attributes {gemm.c = #gemm.config<block_m = 16, block_n = 8, block_k = 512, stages = 1, schedule = simt, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>} {}

// -----

// expected-error @+1 {{simt needs block_k to be a multiple of 256 up to 2048 (32 lanes x 8 bf16 per load, at most 8 loads per lane in flight), got 128}}
module attributes {gemm.c = #gemm.config<block_m = 1, block_n = 8, block_k = 128, stages = 1, schedule = simt, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>} {}

// -----

// expected-error @+1 {{simt needs stages = 1 or 2 (the weight chunks in registers: 2 loads a step's chunks while the previous step multiplies), got 4}}
module attributes {gemm.c = #gemm.config<block_m = 1, block_n = 8, block_k = 512, stages = 4, schedule = simt, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>} {}

// -----

// expected-error @+1 {{simt needs split_k = 1, cluster 1x1 and raster = along_n (a CTA owns whole rows of the weight)}}
module attributes {gemm.c = #gemm.config<block_m = 1, block_n = 8, block_k = 512, stages = 1, schedule = simt, split_k = 2, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>} {}

// -----

// expected-error @+1 {{simt needs k_groups of 1, 2, 4 or 8, got 3}}
module attributes {gemm.c = #gemm.config<block_m = 1, block_n = 8, block_k = 512, stages = 1, schedule = simt, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = 3>} {}

// -----

// 32 rows x 4 groups = 128 warps, 4096 threads.
// expected-error @+1 {{simt needs block_n to be a multiple of warp_rows and 32 * block_n / warp_rows * k_groups threads, at most 1024 (one warp per warp_rows rows and k-group), got block_n = 32, warp_rows = 1 and k_groups = 4}}
module attributes {gemm.c = #gemm.config<block_m = 1, block_n = 32, block_k = 512, stages = 1, schedule = simt, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = 4>} {}

// -----

// expected-error @+1 {{simt needs block_n to be a multiple of warp_rows and 32 * block_n / warp_rows * k_groups threads, at most 1024 (one warp per warp_rows rows and k-group), got block_n = 6, warp_rows = 4 and k_groups = 1}}
module attributes {gemm.c = #gemm.config<block_m = 1, block_n = 6, block_k = 512, stages = 1, schedule = simt, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, warp_rows = 4>} {}

// -----

// expected-error @+1 {{simt needs warp_rows in 1..8, got 16}}
module attributes {gemm.c = #gemm.config<block_m = 1, block_n = 16, block_k = 512, stages = 1, schedule = simt, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, warp_rows = 16>} {}

// -----

// expected-error @+1 {{warp_rows = 2 needs schedule = simt}}
module attributes {gemm.c = #gemm.config<block_m = 64, block_n = 64, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, warp_rows = 2>} {}

// -----

// expected-error @+1 {{epilogue = tma_store needs schedule = warp_specialized or persistent, split_k = 1 and block_n a multiple of 32 (whole 32-column chunks of one tile), got schedule = warp_specialized, split_k = 2 and block_n = 128}}
module attributes {gemm.c = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 2, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n, epilogue = tma_store>} {}

// -----

// expected-error @+1 {{epilogue = tma_store needs schedule = warp_specialized or persistent, split_k = 1 and block_n a multiple of 32 (whole 32-column chunks of one tile), got schedule = swap_ab, split_k = 1 and block_n = 128}}
module attributes {gemm.c = #gemm.config<block_m = 32, block_n = 128, block_k = 64, stages = 4, schedule = swap_ab, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, epilogue = tma_store>} {}

// -----

// expected-error @+1 {{got schedule = warp_specialized, split_k = 1 and block_n = 40}}
module attributes {gemm.c = #gemm.config<block_m = 64, block_n = 40, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, epilogue = tma_store>} {}


// -----

// A persistent tma_store keeps its staging past the ring (2 x 8 KiB per
// consumer warpgroup): 7 stages of 128 x 128 plus 32 KiB do not fit.
// expected-error @+1 {{needs 263280 bytes of shared memory, more than the 232448 one CTA may use}}
module attributes {gemm.c = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 7, schedule = persistent, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, epilogue = tma_store>} {}

// -----

// expected-error @+2 {{expected ::mlir::gemm::EpilogueKind to be one of: direct, tma_store}}
// expected-error @+1 {{failed to parse Gemm_ConfigAttr parameter 'epilogue'}}
module attributes {gemm.c = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, epilogue = tma>} {}
