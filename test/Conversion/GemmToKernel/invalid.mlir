// RUN: gemm-opt %s -split-input-file -verify-diagnostics --gemm-to-kernel

func.func @no_config(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  // expected-error @+1 {{'gemm.linear_bf16_fp32' op has no #gemm.config; run gemm-select-config first}}
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>)
  return
}

// -----

func.func @swap_ab_cluster(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  // expected-error @+1 {{'gemm.linear_bf16_fp32' op schedule 'swap_ab' needs cluster_m = cluster_n = 1 (no multicast), got 1x2}}
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {config = #gemm.config<block_m = 16, block_n = 64, block_k = 64, stages = 4, schedule = swap_ab, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 2, raster = along_n>}
  return
}

// -----

func.func @split_k(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  // expected-error @+1 {{'gemm.linear_bf16_fp32' op split_k reduction 'workspace' is not supported by gemm-to-kernel yet (use 'cluster' or 'cluster_push')}}
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {config = #gemm.config<block_m = 64, block_n = 64, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 2, reduction = workspace, cluster_m = 1, cluster_n = 1, raster = along_n>}
  return
}

// -----

func.func @cluster_slice(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  // expected-error @+1 {{'gemm.linear_bf16_fp32' op cluster_m = 4 needs block_n to be a multiple of 32 (each CTA multicasts block_n / cluster_m rows of y, whole 8-row swizzle atoms), got 48}}
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {config = #gemm.config<block_m = 64, block_n = 48, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 4, cluster_n = 1, raster = along_n>}
  return
}

// -----

func.func @two_ops(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {config = #gemm.config<block_m = 64, block_n = 64, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>}
  // expected-error @+1 {{'gemm.linear_bf16_fp32' op is the second gemm op in its function; kernels are named after the function, so put one op per function}}
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {config = #gemm.config<block_m = 64, block_n = 64, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>}
  return
}

// -----

func.func @k_groups_short_k(%x: memref<?x64xbf16>, %y: memref<256x64xbf16>, %out: memref<?x256xf32>) {
  // expected-error @+1 {{'gemm.linear_bf16_fp32' op k_groups = 2 needs every split_k share of K to span at least 2 steps of block_k = 64, got K = 64 and split_k = 1}}
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x64xbf16>, memref<256x64xbf16>) outs(%out : memref<?x256xf32>) {config = #gemm.config<block_m = 64, block_n = 64, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = 2>}
  return
}

// -----

func.func @k_groups_short_split(%x: memref<?x384xbf16>, %y: memref<256x384xbf16>, %out: memref<?x256xf32>) {
  // expected-error @+1 {{'gemm.linear_bf16_fp32' op k_groups = 2 needs every split_k share of K to span at least 2 steps of block_k = 64, got K = 384 and split_k = 4}}
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x384xbf16>, memref<256x384xbf16>) outs(%out : memref<?x256xf32>) {config = #gemm.config<block_m = 64, block_n = 64, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 4, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = 2>}
  return
}

// -----

// A split rank without a k-step would wait forever for its first load.
func.func @split_short_k(%x: memref<?x256xbf16>, %y: memref<256x256xbf16>, %out: memref<?x256xf32>) {
  // expected-error @+1 {{'gemm.linear_bf16_fp32' op split_k = 8 needs K to span at least 8 steps of block_k = 64 (one per CTA of the split), got K = 256}}
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x256xbf16>, memref<256x256xbf16>) outs(%out : memref<?x256xf32>) {config = #gemm.config<block_m = 64, block_n = 32, block_k = 64, stages = 8, schedule = warp_specialized, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>}
  return
}

// -----

// An explicit tma_store on a shape whose packed out rows are not 16-byte
// aligned.
func.func @tma_store_odd_n(%x: memref<?x4096xbf16>, %y: memref<202x4096xbf16>, %out: memref<?x202xf32>) {
  // expected-error @+1 {{'gemm.linear_bf16_fp32' op epilogue = tma_store needs N to be a multiple of 4 (out's TMA descriptor needs rows of a multiple of 16 bytes, and a packed out has ldc = N), got N = 202}}
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<202x4096xbf16>) outs(%out : memref<?x202xf32>) {config = #gemm.config<block_m = 128, block_n = 64, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, epilogue = tma_store>}
  return
}
