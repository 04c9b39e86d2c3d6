// RUN: gemm-opt %s --gemm-select-config | FileCheck %s
// RUN: gemm-opt %s --gemm-select-config --gemm-select-config | FileCheck %s

// Pins the configuration the model picks for every (N, K) of shapes/dsv4.json
// and each default M bucket of gemm-compile. A change of the model shows up
// here as a diff of these lines; update them only with measurements that
// justify the new choice (docs/perf).

// CHECK-LABEL: func.func @n256_k4096_m1_1
// CHECK: config = #gemm.config<block_m = 1, block_n = 4, block_k = 2048, stages = 1, schedule = simt, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = 2>
func.func @n256_k4096_m1_1(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {m_range = array<i64: 1, 1>}
  return
}
// CHECK-LABEL: func.func @n256_k4096_m2_8
// CHECK: config = #gemm.config<block_m = 8, block_n = 64, block_k = 128, stages = 8, schedule = swap_ab, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n256_k4096_m2_8(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {m_range = array<i64: 2, 8>}
  return
}
// CHECK-LABEL: func.func @n256_k4096_m9_16
// CHECK: config = #gemm.config<block_m = 16, block_n = 64, block_k = 128, stages = 8, schedule = swap_ab, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n256_k4096_m9_16(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {m_range = array<i64: 9, 16>}
  return
}
// CHECK-LABEL: func.func @n256_k4096_m17_32
// CHECK: config = #gemm.config<block_m = 32, block_n = 64, block_k = 128, stages = 8, schedule = swap_ab, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n256_k4096_m17_32(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {m_range = array<i64: 17, 32>}
  return
}
// CHECK-LABEL: func.func @n256_k4096_m33_64
// CHECK: config = #gemm.config<block_m = 64, block_n = 32, block_k = 128, stages = 8, schedule = warp_specialized, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n256_k4096_m33_64(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {m_range = array<i64: 33, 64>}
  return
}
// CHECK-LABEL: func.func @n256_k4096_m65_128
// CHECK: config = #gemm.config<block_m = 64, block_n = 64, block_k = 128, stages = 6, schedule = warp_specialized, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n256_k4096_m65_128(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {m_range = array<i64: 65, 128>}
  return
}
// CHECK-LABEL: func.func @n256_k4096_m129_256
// CHECK: config = #gemm.config<block_m = 128, block_n = 64, block_k = 64, stages = 8, schedule = warp_specialized, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n256_k4096_m129_256(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {m_range = array<i64: 129, 256>}
  return
}
// CHECK-LABEL: func.func @n256_k4096_m257_512
// CHECK: config = #gemm.config<block_m = 128, block_n = 64, block_k = 64, stages = 8, schedule = warp_specialized, split_k = 4, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n256_k4096_m257_512(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {m_range = array<i64: 257, 512>}
  return
}
// CHECK-LABEL: func.func @n256_k4096_m513_1024
// CHECK: config = #gemm.config<block_m = 64, block_n = 64, block_k = 128, stages = 6, schedule = warp_specialized, split_k = 2, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n256_k4096_m513_1024(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {m_range = array<i64: 513, 1024>}
  return
}
// CHECK-LABEL: func.func @n256_k4096_m1025_2048
// CHECK: config = #gemm.config<block_m = 128, block_n = 64, block_k = 64, stages = 8, schedule = warp_specialized, split_k = 2, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n256_k4096_m1025_2048(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {m_range = array<i64: 1025, 2048>}
  return
}
// CHECK-LABEL: func.func @n256_k4096_m2049_4096
// CHECK: config = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 2, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n256_k4096_m2049_4096(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {m_range = array<i64: 2049, 4096>}
  return
}
// CHECK-LABEL: func.func @n256_k4096_m4097_8192
// CHECK: config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 2, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n256_k4096_m4097_8192(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {m_range = array<i64: 4097, 8192>}
  return
}
// CHECK-LABEL: func.func @n256_k4096_m8193_max
// CHECK: config = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 7, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 2, cluster_n = 1, raster = along_n>
func.func @n256_k4096_m8193_max(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {m_range = array<i64: 8193, 2147483647>}
  return
}
// CHECK-LABEL: func.func @n512_k4096_m1_1
// CHECK: config = #gemm.config<block_m = 1, block_n = 4, block_k = 2048, stages = 1, schedule = simt, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = 2>
func.func @n512_k4096_m1_1(%x: memref<?x4096xbf16>, %y: memref<512x4096xbf16>, %out: memref<?x512xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<512x4096xbf16>) outs(%out : memref<?x512xf32>) {m_range = array<i64: 1, 1>}
  return
}
// CHECK-LABEL: func.func @n512_k4096_m2_8
// CHECK: config = #gemm.config<block_m = 8, block_n = 128, block_k = 128, stages = 6, schedule = swap_ab, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n512_k4096_m2_8(%x: memref<?x4096xbf16>, %y: memref<512x4096xbf16>, %out: memref<?x512xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<512x4096xbf16>) outs(%out : memref<?x512xf32>) {m_range = array<i64: 2, 8>}
  return
}
// CHECK-LABEL: func.func @n512_k4096_m9_16
// CHECK: config = #gemm.config<block_m = 16, block_n = 128, block_k = 128, stages = 5, schedule = swap_ab, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n512_k4096_m9_16(%x: memref<?x4096xbf16>, %y: memref<512x4096xbf16>, %out: memref<?x512xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<512x4096xbf16>) outs(%out : memref<?x512xf32>) {m_range = array<i64: 9, 16>}
  return
}
// CHECK-LABEL: func.func @n512_k4096_m17_32
// CHECK: config = #gemm.config<block_m = 32, block_n = 64, block_k = 128, stages = 8, schedule = swap_ab, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n512_k4096_m17_32(%x: memref<?x4096xbf16>, %y: memref<512x4096xbf16>, %out: memref<?x512xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<512x4096xbf16>) outs(%out : memref<?x512xf32>) {m_range = array<i64: 17, 32>}
  return
}
// CHECK-LABEL: func.func @n512_k4096_m33_64
// CHECK: config = #gemm.config<block_m = 64, block_n = 64, block_k = 128, stages = 6, schedule = warp_specialized, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n512_k4096_m33_64(%x: memref<?x4096xbf16>, %y: memref<512x4096xbf16>, %out: memref<?x512xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<512x4096xbf16>) outs(%out : memref<?x512xf32>) {m_range = array<i64: 33, 64>}
  return
}
// CHECK-LABEL: func.func @n512_k4096_m65_128
// CHECK: config = #gemm.config<block_m = 128, block_n = 64, block_k = 64, stages = 8, schedule = warp_specialized, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n512_k4096_m65_128(%x: memref<?x4096xbf16>, %y: memref<512x4096xbf16>, %out: memref<?x512xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<512x4096xbf16>) outs(%out : memref<?x512xf32>) {m_range = array<i64: 65, 128>}
  return
}
// CHECK-LABEL: func.func @n512_k4096_m129_256
// CHECK: config = #gemm.config<block_m = 64, block_n = 192, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n512_k4096_m129_256(%x: memref<?x4096xbf16>, %y: memref<512x4096xbf16>, %out: memref<?x512xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<512x4096xbf16>) outs(%out : memref<?x512xf32>) {m_range = array<i64: 129, 256>}
  return
}
// CHECK-LABEL: func.func @n512_k4096_m257_512
// CHECK: config = #gemm.config<block_m = 128, block_n = 192, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 8, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n512_k4096_m257_512(%x: memref<?x4096xbf16>, %y: memref<512x4096xbf16>, %out: memref<?x512xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<512x4096xbf16>) outs(%out : memref<?x512xf32>) {m_range = array<i64: 257, 512>}
  return
}
// CHECK-LABEL: func.func @n512_k4096_m513_1024
// CHECK: config = #gemm.config<block_m = 128, block_n = 64, block_k = 64, stages = 8, schedule = warp_specialized, split_k = 2, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n512_k4096_m513_1024(%x: memref<?x4096xbf16>, %y: memref<512x4096xbf16>, %out: memref<?x512xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<512x4096xbf16>) outs(%out : memref<?x512xf32>) {m_range = array<i64: 513, 1024>}
  return
}
// CHECK-LABEL: func.func @n512_k4096_m1025_2048
// CHECK: config = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 2, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n512_k4096_m1025_2048(%x: memref<?x4096xbf16>, %y: memref<512x4096xbf16>, %out: memref<?x512xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<512x4096xbf16>) outs(%out : memref<?x512xf32>) {m_range = array<i64: 1025, 2048>}
  return
}
// CHECK-LABEL: func.func @n512_k4096_m2049_4096
// CHECK: config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 2, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n512_k4096_m2049_4096(%x: memref<?x4096xbf16>, %y: memref<512x4096xbf16>, %out: memref<?x512xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<512x4096xbf16>) outs(%out : memref<?x512xf32>) {m_range = array<i64: 2049, 4096>}
  return
}
// CHECK-LABEL: func.func @n512_k4096_m4097_8192
// CHECK: config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 2, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n512_k4096_m4097_8192(%x: memref<?x4096xbf16>, %y: memref<512x4096xbf16>, %out: memref<?x512xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<512x4096xbf16>) outs(%out : memref<?x512xf32>) {m_range = array<i64: 4097, 8192>}
  return
}
// CHECK-LABEL: func.func @n512_k4096_m8193_max
// CHECK: config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 2, cluster_n = 1, raster = along_n>
func.func @n512_k4096_m8193_max(%x: memref<?x4096xbf16>, %y: memref<512x4096xbf16>, %out: memref<?x512xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<512x4096xbf16>) outs(%out : memref<?x512xf32>) {m_range = array<i64: 8193, 2147483647>}
  return
}
// CHECK-LABEL: func.func @n1024_k4096_m1_1
// CHECK: config = #gemm.config<block_m = 1, block_n = 4, block_k = 2048, stages = 1, schedule = simt, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = 2>
func.func @n1024_k4096_m1_1(%x: memref<?x4096xbf16>, %y: memref<1024x4096xbf16>, %out: memref<?x1024xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<1024x4096xbf16>) outs(%out : memref<?x1024xf32>) {m_range = array<i64: 1, 1>}
  return
}
// CHECK-LABEL: func.func @n1024_k4096_m2_8
// CHECK: config = #gemm.config<block_m = 8, block_n = 128, block_k = 128, stages = 6, schedule = swap_ab, split_k = 4, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n1024_k4096_m2_8(%x: memref<?x4096xbf16>, %y: memref<1024x4096xbf16>, %out: memref<?x1024xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<1024x4096xbf16>) outs(%out : memref<?x1024xf32>) {m_range = array<i64: 2, 8>}
  return
}
// CHECK-LABEL: func.func @n1024_k4096_m9_16
// CHECK: config = #gemm.config<block_m = 16, block_n = 64, block_k = 128, stages = 8, schedule = swap_ab, split_k = 4, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n1024_k4096_m9_16(%x: memref<?x4096xbf16>, %y: memref<1024x4096xbf16>, %out: memref<?x1024xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<1024x4096xbf16>) outs(%out : memref<?x1024xf32>) {m_range = array<i64: 9, 16>}
  return
}
// CHECK-LABEL: func.func @n1024_k4096_m17_32
// CHECK: config = #gemm.config<block_m = 32, block_n = 64, block_k = 128, stages = 8, schedule = swap_ab, split_k = 4, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n1024_k4096_m17_32(%x: memref<?x4096xbf16>, %y: memref<1024x4096xbf16>, %out: memref<?x1024xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<1024x4096xbf16>) outs(%out : memref<?x1024xf32>) {m_range = array<i64: 17, 32>}
  return
}
// CHECK-LABEL: func.func @n1024_k4096_m33_64
// CHECK: config = #gemm.config<block_m = 64, block_n = 64, block_k = 128, stages = 6, schedule = warp_specialized, split_k = 4, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n1024_k4096_m33_64(%x: memref<?x4096xbf16>, %y: memref<1024x4096xbf16>, %out: memref<?x1024xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<1024x4096xbf16>) outs(%out : memref<?x1024xf32>) {m_range = array<i64: 33, 64>}
  return
}
// CHECK-LABEL: func.func @n1024_k4096_m65_128
// CHECK: config = #gemm.config<block_m = 128, block_n = 64, block_k = 64, stages = 8, schedule = warp_specialized, split_k = 4, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n1024_k4096_m65_128(%x: memref<?x4096xbf16>, %y: memref<1024x4096xbf16>, %out: memref<?x1024xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<1024x4096xbf16>) outs(%out : memref<?x1024xf32>) {m_range = array<i64: 65, 128>}
  return
}
// CHECK-LABEL: func.func @n1024_k4096_m129_256
// CHECK: config = #gemm.config<block_m = 128, block_n = 192, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 8, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n1024_k4096_m129_256(%x: memref<?x4096xbf16>, %y: memref<1024x4096xbf16>, %out: memref<?x1024xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<1024x4096xbf16>) outs(%out : memref<?x1024xf32>) {m_range = array<i64: 129, 256>}
  return
}
// CHECK-LABEL: func.func @n1024_k4096_m257_512
// CHECK: config = #gemm.config<block_m = 128, block_n = 192, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 4, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n1024_k4096_m257_512(%x: memref<?x4096xbf16>, %y: memref<1024x4096xbf16>, %out: memref<?x1024xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<1024x4096xbf16>) outs(%out : memref<?x1024xf32>) {m_range = array<i64: 257, 512>}
  return
}
// CHECK-LABEL: func.func @n1024_k4096_m513_1024
// CHECK: config = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 2, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n1024_k4096_m513_1024(%x: memref<?x4096xbf16>, %y: memref<1024x4096xbf16>, %out: memref<?x1024xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<1024x4096xbf16>) outs(%out : memref<?x1024xf32>) {m_range = array<i64: 513, 1024>}
  return
}
// CHECK-LABEL: func.func @n1024_k4096_m1025_2048
// CHECK: config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 2, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n1024_k4096_m1025_2048(%x: memref<?x4096xbf16>, %y: memref<1024x4096xbf16>, %out: memref<?x1024xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<1024x4096xbf16>) outs(%out : memref<?x1024xf32>) {m_range = array<i64: 1025, 2048>}
  return
}
// CHECK-LABEL: func.func @n1024_k4096_m2049_4096
// CHECK: config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 2, cluster_n = 1, raster = along_n>
func.func @n1024_k4096_m2049_4096(%x: memref<?x4096xbf16>, %y: memref<1024x4096xbf16>, %out: memref<?x1024xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<1024x4096xbf16>) outs(%out : memref<?x1024xf32>) {m_range = array<i64: 2049, 4096>}
  return
}
// CHECK-LABEL: func.func @n1024_k4096_m4097_8192
// CHECK: config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n1024_k4096_m4097_8192(%x: memref<?x4096xbf16>, %y: memref<1024x4096xbf16>, %out: memref<?x1024xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<1024x4096xbf16>) outs(%out : memref<?x1024xf32>) {m_range = array<i64: 4097, 8192>}
  return
}
// CHECK-LABEL: func.func @n1024_k4096_m8193_max
// CHECK: config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 2, cluster_n = 1, raster = along_n>
func.func @n1024_k4096_m8193_max(%x: memref<?x4096xbf16>, %y: memref<1024x4096xbf16>, %out: memref<?x1024xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<1024x4096xbf16>) outs(%out : memref<?x1024xf32>) {m_range = array<i64: 8193, 2147483647>}
  return
}
// CHECK-LABEL: func.func @n2048_k4096_m1_1
// CHECK: config = #gemm.config<block_m = 1, block_n = 4, block_k = 2048, stages = 1, schedule = simt, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = 2>
func.func @n2048_k4096_m1_1(%x: memref<?x4096xbf16>, %y: memref<2048x4096xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<2048x4096xbf16>) outs(%out : memref<?x2048xf32>) {m_range = array<i64: 1, 1>}
  return
}
// CHECK-LABEL: func.func @n2048_k4096_m2_8
// CHECK: config = #gemm.config<block_m = 8, block_n = 64, block_k = 128, stages = 8, schedule = swap_ab, split_k = 2, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n2048_k4096_m2_8(%x: memref<?x4096xbf16>, %y: memref<2048x4096xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<2048x4096xbf16>) outs(%out : memref<?x2048xf32>) {m_range = array<i64: 2, 8>}
  return
}
// CHECK-LABEL: func.func @n2048_k4096_m9_16
// CHECK: config = #gemm.config<block_m = 16, block_n = 64, block_k = 128, stages = 8, schedule = swap_ab, split_k = 2, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n2048_k4096_m9_16(%x: memref<?x4096xbf16>, %y: memref<2048x4096xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<2048x4096xbf16>) outs(%out : memref<?x2048xf32>) {m_range = array<i64: 9, 16>}
  return
}
// CHECK-LABEL: func.func @n2048_k4096_m17_32
// CHECK: config = #gemm.config<block_m = 32, block_n = 64, block_k = 128, stages = 8, schedule = swap_ab, split_k = 2, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n2048_k4096_m17_32(%x: memref<?x4096xbf16>, %y: memref<2048x4096xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<2048x4096xbf16>) outs(%out : memref<?x2048xf32>) {m_range = array<i64: 17, 32>}
  return
}
// CHECK-LABEL: func.func @n2048_k4096_m33_64
// CHECK: config = #gemm.config<block_m = 64, block_n = 128, block_k = 64, stages = 8, schedule = warp_specialized, split_k = 4, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n2048_k4096_m33_64(%x: memref<?x4096xbf16>, %y: memref<2048x4096xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<2048x4096xbf16>) outs(%out : memref<?x2048xf32>) {m_range = array<i64: 33, 64>}
  return
}
// CHECK-LABEL: func.func @n2048_k4096_m65_128
// CHECK: config = #gemm.config<block_m = 128, block_n = 192, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 8, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n2048_k4096_m65_128(%x: memref<?x4096xbf16>, %y: memref<2048x4096xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<2048x4096xbf16>) outs(%out : memref<?x2048xf32>) {m_range = array<i64: 65, 128>}
  return
}
// CHECK-LABEL: func.func @n2048_k4096_m129_256
// CHECK: config = #gemm.config<block_m = 128, block_n = 192, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 4, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n2048_k4096_m129_256(%x: memref<?x4096xbf16>, %y: memref<2048x4096xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<2048x4096xbf16>) outs(%out : memref<?x2048xf32>) {m_range = array<i64: 129, 256>}
  return
}
// CHECK-LABEL: func.func @n2048_k4096_m257_512
// CHECK: config = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 2, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n2048_k4096_m257_512(%x: memref<?x4096xbf16>, %y: memref<2048x4096xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<2048x4096xbf16>) outs(%out : memref<?x2048xf32>) {m_range = array<i64: 257, 512>}
  return
}
// CHECK-LABEL: func.func @n2048_k4096_m513_1024
// CHECK: config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 2, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n2048_k4096_m513_1024(%x: memref<?x4096xbf16>, %y: memref<2048x4096xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<2048x4096xbf16>) outs(%out : memref<?x2048xf32>) {m_range = array<i64: 513, 1024>}
  return
}
// CHECK-LABEL: func.func @n2048_k4096_m1025_2048
// CHECK: config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 2, cluster_n = 1, raster = along_n>
func.func @n2048_k4096_m1025_2048(%x: memref<?x4096xbf16>, %y: memref<2048x4096xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<2048x4096xbf16>) outs(%out : memref<?x2048xf32>) {m_range = array<i64: 1025, 2048>}
  return
}
// CHECK-LABEL: func.func @n2048_k4096_m2049_4096
// CHECK: config = #gemm.config<block_m = 128, block_n = 192, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 2, cluster_n = 1, raster = along_n>
func.func @n2048_k4096_m2049_4096(%x: memref<?x4096xbf16>, %y: memref<2048x4096xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<2048x4096xbf16>) outs(%out : memref<?x2048xf32>) {m_range = array<i64: 2049, 4096>}
  return
}
// CHECK-LABEL: func.func @n2048_k4096_m4097_8192
// CHECK: config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n2048_k4096_m4097_8192(%x: memref<?x4096xbf16>, %y: memref<2048x4096xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<2048x4096xbf16>) outs(%out : memref<?x2048xf32>) {m_range = array<i64: 4097, 8192>}
  return
}
// CHECK-LABEL: func.func @n2048_k4096_m8193_max
// CHECK: config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 2, cluster_n = 1, raster = along_n>
func.func @n2048_k4096_m8193_max(%x: memref<?x4096xbf16>, %y: memref<2048x4096xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<2048x4096xbf16>) outs(%out : memref<?x2048xf32>) {m_range = array<i64: 8193, 2147483647>}
  return
}
// CHECK-LABEL: func.func @n384_k7168_m1_1
// CHECK: config = #gemm.config<block_m = 1, block_n = 2, block_k = 2048, stages = 1, schedule = simt, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = 4>
func.func @n384_k7168_m1_1(%x: memref<?x7168xbf16>, %y: memref<384x7168xbf16>, %out: memref<?x384xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<384x7168xbf16>) outs(%out : memref<?x384xf32>) {m_range = array<i64: 1, 1>}
  return
}
// CHECK-LABEL: func.func @n384_k7168_m2_8
// CHECK: config = #gemm.config<block_m = 8, block_n = 64, block_k = 128, stages = 8, schedule = swap_ab, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n384_k7168_m2_8(%x: memref<?x7168xbf16>, %y: memref<384x7168xbf16>, %out: memref<?x384xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<384x7168xbf16>) outs(%out : memref<?x384xf32>) {m_range = array<i64: 2, 8>}
  return
}
// CHECK-LABEL: func.func @n384_k7168_m9_16
// CHECK: config = #gemm.config<block_m = 16, block_n = 64, block_k = 128, stages = 8, schedule = swap_ab, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n384_k7168_m9_16(%x: memref<?x7168xbf16>, %y: memref<384x7168xbf16>, %out: memref<?x384xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<384x7168xbf16>) outs(%out : memref<?x384xf32>) {m_range = array<i64: 9, 16>}
  return
}
// CHECK-LABEL: func.func @n384_k7168_m17_32
// CHECK: config = #gemm.config<block_m = 32, block_n = 64, block_k = 128, stages = 8, schedule = swap_ab, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n384_k7168_m17_32(%x: memref<?x7168xbf16>, %y: memref<384x7168xbf16>, %out: memref<?x384xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<384x7168xbf16>) outs(%out : memref<?x384xf32>) {m_range = array<i64: 17, 32>}
  return
}
// CHECK-LABEL: func.func @n384_k7168_m33_64
// CHECK: config = #gemm.config<block_m = 64, block_n = 32, block_k = 128, stages = 8, schedule = warp_specialized, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n384_k7168_m33_64(%x: memref<?x7168xbf16>, %y: memref<384x7168xbf16>, %out: memref<?x384xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<384x7168xbf16>) outs(%out : memref<?x384xf32>) {m_range = array<i64: 33, 64>}
  return
}
// CHECK-LABEL: func.func @n384_k7168_m65_128
// CHECK: config = #gemm.config<block_m = 64, block_n = 64, block_k = 128, stages = 6, schedule = warp_specialized, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n384_k7168_m65_128(%x: memref<?x7168xbf16>, %y: memref<384x7168xbf16>, %out: memref<?x384xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<384x7168xbf16>) outs(%out : memref<?x384xf32>) {m_range = array<i64: 65, 128>}
  return
}
// CHECK-LABEL: func.func @n384_k7168_m129_256
// CHECK: config = #gemm.config<block_m = 128, block_n = 64, block_k = 64, stages = 8, schedule = warp_specialized, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n384_k7168_m129_256(%x: memref<?x7168xbf16>, %y: memref<384x7168xbf16>, %out: memref<?x384xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<384x7168xbf16>) outs(%out : memref<?x384xf32>) {m_range = array<i64: 129, 256>}
  return
}
// CHECK-LABEL: func.func @n384_k7168_m257_512
// CHECK: config = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n384_k7168_m257_512(%x: memref<?x7168xbf16>, %y: memref<384x7168xbf16>, %out: memref<?x384xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<384x7168xbf16>) outs(%out : memref<?x384xf32>) {m_range = array<i64: 257, 512>}
  return
}
// CHECK-LABEL: func.func @n384_k7168_m513_1024
// CHECK: config = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n384_k7168_m513_1024(%x: memref<?x7168xbf16>, %y: memref<384x7168xbf16>, %out: memref<?x384xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<384x7168xbf16>) outs(%out : memref<?x384xf32>) {m_range = array<i64: 513, 1024>}
  return
}
// CHECK-LABEL: func.func @n384_k7168_m1025_2048
// CHECK: config = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 4, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n384_k7168_m1025_2048(%x: memref<?x7168xbf16>, %y: memref<384x7168xbf16>, %out: memref<?x384xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<384x7168xbf16>) outs(%out : memref<?x384xf32>) {m_range = array<i64: 1025, 2048>}
  return
}
// CHECK-LABEL: func.func @n384_k7168_m2049_4096
// CHECK: config = #gemm.config<block_m = 128, block_n = 192, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 2, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n384_k7168_m2049_4096(%x: memref<?x7168xbf16>, %y: memref<384x7168xbf16>, %out: memref<?x384xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<384x7168xbf16>) outs(%out : memref<?x384xf32>) {m_range = array<i64: 2049, 4096>}
  return
}
// CHECK-LABEL: func.func @n384_k7168_m4097_8192
// CHECK: config = #gemm.config<block_m = 128, block_n = 192, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 2, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n384_k7168_m4097_8192(%x: memref<?x7168xbf16>, %y: memref<384x7168xbf16>, %out: memref<?x384xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<384x7168xbf16>) outs(%out : memref<?x384xf32>) {m_range = array<i64: 4097, 8192>}
  return
}
// CHECK-LABEL: func.func @n384_k7168_m8193_max
// CHECK: config = #gemm.config<block_m = 128, block_n = 192, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 2, cluster_n = 1, raster = along_n>
func.func @n384_k7168_m8193_max(%x: memref<?x7168xbf16>, %y: memref<384x7168xbf16>, %out: memref<?x384xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<384x7168xbf16>) outs(%out : memref<?x384xf32>) {m_range = array<i64: 8193, 2147483647>}
  return
}
// CHECK-LABEL: func.func @n512_k7168_m1_1
// CHECK: config = #gemm.config<block_m = 1, block_n = 2, block_k = 2048, stages = 1, schedule = simt, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = 4>
func.func @n512_k7168_m1_1(%x: memref<?x7168xbf16>, %y: memref<512x7168xbf16>, %out: memref<?x512xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<512x7168xbf16>) outs(%out : memref<?x512xf32>) {m_range = array<i64: 1, 1>}
  return
}
// CHECK-LABEL: func.func @n512_k7168_m2_8
// CHECK: config = #gemm.config<block_m = 8, block_n = 128, block_k = 128, stages = 6, schedule = swap_ab, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n512_k7168_m2_8(%x: memref<?x7168xbf16>, %y: memref<512x7168xbf16>, %out: memref<?x512xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<512x7168xbf16>) outs(%out : memref<?x512xf32>) {m_range = array<i64: 2, 8>}
  return
}
// CHECK-LABEL: func.func @n512_k7168_m9_16
// CHECK: config = #gemm.config<block_m = 16, block_n = 64, block_k = 128, stages = 8, schedule = swap_ab, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n512_k7168_m9_16(%x: memref<?x7168xbf16>, %y: memref<512x7168xbf16>, %out: memref<?x512xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<512x7168xbf16>) outs(%out : memref<?x512xf32>) {m_range = array<i64: 9, 16>}
  return
}
// CHECK-LABEL: func.func @n512_k7168_m17_32
// CHECK: config = #gemm.config<block_m = 32, block_n = 64, block_k = 128, stages = 8, schedule = swap_ab, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n512_k7168_m17_32(%x: memref<?x7168xbf16>, %y: memref<512x7168xbf16>, %out: memref<?x512xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<512x7168xbf16>) outs(%out : memref<?x512xf32>) {m_range = array<i64: 17, 32>}
  return
}
// CHECK-LABEL: func.func @n512_k7168_m33_64
// CHECK: config = #gemm.config<block_m = 64, block_n = 64, block_k = 128, stages = 6, schedule = warp_specialized, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n512_k7168_m33_64(%x: memref<?x7168xbf16>, %y: memref<512x7168xbf16>, %out: memref<?x512xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<512x7168xbf16>) outs(%out : memref<?x512xf32>) {m_range = array<i64: 33, 64>}
  return
}
// CHECK-LABEL: func.func @n512_k7168_m65_128
// CHECK: config = #gemm.config<block_m = 128, block_n = 64, block_k = 64, stages = 8, schedule = warp_specialized, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n512_k7168_m65_128(%x: memref<?x7168xbf16>, %y: memref<512x7168xbf16>, %out: memref<?x512xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<512x7168xbf16>) outs(%out : memref<?x512xf32>) {m_range = array<i64: 65, 128>}
  return
}
// CHECK-LABEL: func.func @n512_k7168_m129_256
// CHECK: config = #gemm.config<block_m = 64, block_n = 192, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n512_k7168_m129_256(%x: memref<?x7168xbf16>, %y: memref<512x7168xbf16>, %out: memref<?x512xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<512x7168xbf16>) outs(%out : memref<?x512xf32>) {m_range = array<i64: 129, 256>}
  return
}
// CHECK-LABEL: func.func @n512_k7168_m257_512
// CHECK: config = #gemm.config<block_m = 128, block_n = 192, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 8, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n512_k7168_m257_512(%x: memref<?x7168xbf16>, %y: memref<512x7168xbf16>, %out: memref<?x512xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<512x7168xbf16>) outs(%out : memref<?x512xf32>) {m_range = array<i64: 257, 512>}
  return
}
// CHECK-LABEL: func.func @n512_k7168_m513_1024
// CHECK: config = #gemm.config<block_m = 128, block_n = 192, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 8, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n512_k7168_m513_1024(%x: memref<?x7168xbf16>, %y: memref<512x7168xbf16>, %out: memref<?x512xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<512x7168xbf16>) outs(%out : memref<?x512xf32>) {m_range = array<i64: 513, 1024>}
  return
}
// CHECK-LABEL: func.func @n512_k7168_m1025_2048
// CHECK: config = #gemm.config<block_m = 128, block_n = 192, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 4, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n512_k7168_m1025_2048(%x: memref<?x7168xbf16>, %y: memref<512x7168xbf16>, %out: memref<?x512xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<512x7168xbf16>) outs(%out : memref<?x512xf32>) {m_range = array<i64: 1025, 2048>}
  return
}
// CHECK-LABEL: func.func @n512_k7168_m2049_4096
// CHECK: config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 2, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n512_k7168_m2049_4096(%x: memref<?x7168xbf16>, %y: memref<512x7168xbf16>, %out: memref<?x512xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<512x7168xbf16>) outs(%out : memref<?x512xf32>) {m_range = array<i64: 2049, 4096>}
  return
}
// CHECK-LABEL: func.func @n512_k7168_m4097_8192
// CHECK: config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 2, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n512_k7168_m4097_8192(%x: memref<?x7168xbf16>, %y: memref<512x7168xbf16>, %out: memref<?x512xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<512x7168xbf16>) outs(%out : memref<?x512xf32>) {m_range = array<i64: 4097, 8192>}
  return
}
// CHECK-LABEL: func.func @n512_k7168_m8193_max
// CHECK: config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 2, cluster_n = 1, raster = along_n>
func.func @n512_k7168_m8193_max(%x: memref<?x7168xbf16>, %y: memref<512x7168xbf16>, %out: memref<?x512xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<512x7168xbf16>) outs(%out : memref<?x512xf32>) {m_range = array<i64: 8193, 2147483647>}
  return
}
// CHECK-LABEL: func.func @n1024_k7168_m1_1
// CHECK: config = #gemm.config<block_m = 1, block_n = 2, block_k = 2048, stages = 1, schedule = simt, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = 4>
func.func @n1024_k7168_m1_1(%x: memref<?x7168xbf16>, %y: memref<1024x7168xbf16>, %out: memref<?x1024xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<1024x7168xbf16>) outs(%out : memref<?x1024xf32>) {m_range = array<i64: 1, 1>}
  return
}
// CHECK-LABEL: func.func @n1024_k7168_m2_8
// CHECK: config = #gemm.config<block_m = 8, block_n = 64, block_k = 128, stages = 8, schedule = swap_ab, split_k = 4, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n1024_k7168_m2_8(%x: memref<?x7168xbf16>, %y: memref<1024x7168xbf16>, %out: memref<?x1024xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<1024x7168xbf16>) outs(%out : memref<?x1024xf32>) {m_range = array<i64: 2, 8>}
  return
}
// CHECK-LABEL: func.func @n1024_k7168_m9_16
// CHECK: config = #gemm.config<block_m = 16, block_n = 64, block_k = 128, stages = 8, schedule = swap_ab, split_k = 4, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n1024_k7168_m9_16(%x: memref<?x7168xbf16>, %y: memref<1024x7168xbf16>, %out: memref<?x1024xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<1024x7168xbf16>) outs(%out : memref<?x1024xf32>) {m_range = array<i64: 9, 16>}
  return
}
// CHECK-LABEL: func.func @n1024_k7168_m17_32
// CHECK: config = #gemm.config<block_m = 32, block_n = 64, block_k = 128, stages = 8, schedule = swap_ab, split_k = 4, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n1024_k7168_m17_32(%x: memref<?x7168xbf16>, %y: memref<1024x7168xbf16>, %out: memref<?x1024xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<1024x7168xbf16>) outs(%out : memref<?x1024xf32>) {m_range = array<i64: 17, 32>}
  return
}
// CHECK-LABEL: func.func @n1024_k7168_m33_64
// CHECK: config = #gemm.config<block_m = 64, block_n = 128, block_k = 64, stages = 8, schedule = warp_specialized, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n1024_k7168_m33_64(%x: memref<?x7168xbf16>, %y: memref<1024x7168xbf16>, %out: memref<?x1024xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<1024x7168xbf16>) outs(%out : memref<?x1024xf32>) {m_range = array<i64: 33, 64>}
  return
}
// CHECK-LABEL: func.func @n1024_k7168_m65_128
// CHECK: config = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 8, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n1024_k7168_m65_128(%x: memref<?x7168xbf16>, %y: memref<1024x7168xbf16>, %out: memref<?x1024xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<1024x7168xbf16>) outs(%out : memref<?x1024xf32>) {m_range = array<i64: 65, 128>}
  return
}
// CHECK-LABEL: func.func @n1024_k7168_m129_256
// CHECK: config = #gemm.config<block_m = 128, block_n = 192, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 8, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n1024_k7168_m129_256(%x: memref<?x7168xbf16>, %y: memref<1024x7168xbf16>, %out: memref<?x1024xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<1024x7168xbf16>) outs(%out : memref<?x1024xf32>) {m_range = array<i64: 129, 256>}
  return
}
// CHECK-LABEL: func.func @n1024_k7168_m257_512
// CHECK: config = #gemm.config<block_m = 128, block_n = 192, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 4, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n1024_k7168_m257_512(%x: memref<?x7168xbf16>, %y: memref<1024x7168xbf16>, %out: memref<?x1024xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<1024x7168xbf16>) outs(%out : memref<?x1024xf32>) {m_range = array<i64: 257, 512>}
  return
}
// CHECK-LABEL: func.func @n1024_k7168_m513_1024
// CHECK: config = #gemm.config<block_m = 128, block_n = 192, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 4, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n1024_k7168_m513_1024(%x: memref<?x7168xbf16>, %y: memref<1024x7168xbf16>, %out: memref<?x1024xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<1024x7168xbf16>) outs(%out : memref<?x1024xf32>) {m_range = array<i64: 513, 1024>}
  return
}
// CHECK-LABEL: func.func @n1024_k7168_m1025_2048
// CHECK: config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 2, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n1024_k7168_m1025_2048(%x: memref<?x7168xbf16>, %y: memref<1024x7168xbf16>, %out: memref<?x1024xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<1024x7168xbf16>) outs(%out : memref<?x1024xf32>) {m_range = array<i64: 1025, 2048>}
  return
}
// CHECK-LABEL: func.func @n1024_k7168_m2049_4096
// CHECK: config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 2, cluster_n = 1, raster = along_n>
func.func @n1024_k7168_m2049_4096(%x: memref<?x7168xbf16>, %y: memref<1024x7168xbf16>, %out: memref<?x1024xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<1024x7168xbf16>) outs(%out : memref<?x1024xf32>) {m_range = array<i64: 2049, 4096>}
  return
}
// CHECK-LABEL: func.func @n1024_k7168_m4097_8192
// CHECK: config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n1024_k7168_m4097_8192(%x: memref<?x7168xbf16>, %y: memref<1024x7168xbf16>, %out: memref<?x1024xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<1024x7168xbf16>) outs(%out : memref<?x1024xf32>) {m_range = array<i64: 4097, 8192>}
  return
}
// CHECK-LABEL: func.func @n1024_k7168_m8193_max
// CHECK: config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 2, cluster_n = 1, raster = along_n>
func.func @n1024_k7168_m8193_max(%x: memref<?x7168xbf16>, %y: memref<1024x7168xbf16>, %out: memref<?x1024xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<1024x7168xbf16>) outs(%out : memref<?x1024xf32>) {m_range = array<i64: 8193, 2147483647>}
  return
}
// CHECK-LABEL: func.func @n2048_k7168_m1_1
// CHECK: config = #gemm.config<block_m = 1, block_n = 2, block_k = 2048, stages = 1, schedule = simt, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = 4>
func.func @n2048_k7168_m1_1(%x: memref<?x7168xbf16>, %y: memref<2048x7168xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<2048x7168xbf16>) outs(%out : memref<?x2048xf32>) {m_range = array<i64: 1, 1>}
  return
}
// CHECK-LABEL: func.func @n2048_k7168_m2_8
// CHECK: config = #gemm.config<block_m = 8, block_n = 64, block_k = 128, stages = 8, schedule = swap_ab, split_k = 2, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n2048_k7168_m2_8(%x: memref<?x7168xbf16>, %y: memref<2048x7168xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<2048x7168xbf16>) outs(%out : memref<?x2048xf32>) {m_range = array<i64: 2, 8>}
  return
}
// CHECK-LABEL: func.func @n2048_k7168_m9_16
// CHECK: config = #gemm.config<block_m = 16, block_n = 64, block_k = 128, stages = 8, schedule = swap_ab, split_k = 2, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n2048_k7168_m9_16(%x: memref<?x7168xbf16>, %y: memref<2048x7168xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<2048x7168xbf16>) outs(%out : memref<?x2048xf32>) {m_range = array<i64: 9, 16>}
  return
}
// CHECK-LABEL: func.func @n2048_k7168_m17_32
// CHECK: config = #gemm.config<block_m = 32, block_n = 64, block_k = 128, stages = 8, schedule = swap_ab, split_k = 2, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n2048_k7168_m17_32(%x: memref<?x7168xbf16>, %y: memref<2048x7168xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<2048x7168xbf16>) outs(%out : memref<?x2048xf32>) {m_range = array<i64: 17, 32>}
  return
}
// CHECK-LABEL: func.func @n2048_k7168_m33_64
// CHECK: config = #gemm.config<block_m = 64, block_n = 128, block_k = 64, stages = 8, schedule = warp_specialized, split_k = 4, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n2048_k7168_m33_64(%x: memref<?x7168xbf16>, %y: memref<2048x7168xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<2048x7168xbf16>) outs(%out : memref<?x2048xf32>) {m_range = array<i64: 33, 64>}
  return
}
// CHECK-LABEL: func.func @n2048_k7168_m65_128
// CHECK: config = #gemm.config<block_m = 128, block_n = 192, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 8, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n2048_k7168_m65_128(%x: memref<?x7168xbf16>, %y: memref<2048x7168xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<2048x7168xbf16>) outs(%out : memref<?x2048xf32>) {m_range = array<i64: 65, 128>}
  return
}
// CHECK-LABEL: func.func @n2048_k7168_m129_256
// CHECK: config = #gemm.config<block_m = 128, block_n = 192, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 4, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n2048_k7168_m129_256(%x: memref<?x7168xbf16>, %y: memref<2048x7168xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<2048x7168xbf16>) outs(%out : memref<?x2048xf32>) {m_range = array<i64: 129, 256>}
  return
}
// CHECK-LABEL: func.func @n2048_k7168_m257_512
// CHECK: config = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 2, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n2048_k7168_m257_512(%x: memref<?x7168xbf16>, %y: memref<2048x7168xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<2048x7168xbf16>) outs(%out : memref<?x2048xf32>) {m_range = array<i64: 257, 512>}
  return
}
// CHECK-LABEL: func.func @n2048_k7168_m513_1024
// CHECK: config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 2, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n2048_k7168_m513_1024(%x: memref<?x7168xbf16>, %y: memref<2048x7168xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<2048x7168xbf16>) outs(%out : memref<?x2048xf32>) {m_range = array<i64: 513, 1024>}
  return
}
// CHECK-LABEL: func.func @n2048_k7168_m1025_2048
// CHECK: config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 2, cluster_n = 1, raster = along_n>
func.func @n2048_k7168_m1025_2048(%x: memref<?x7168xbf16>, %y: memref<2048x7168xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<2048x7168xbf16>) outs(%out : memref<?x2048xf32>) {m_range = array<i64: 1025, 2048>}
  return
}
// CHECK-LABEL: func.func @n2048_k7168_m2049_4096
// CHECK: config = #gemm.config<block_m = 128, block_n = 192, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 2, cluster_n = 1, raster = along_n>
func.func @n2048_k7168_m2049_4096(%x: memref<?x7168xbf16>, %y: memref<2048x7168xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<2048x7168xbf16>) outs(%out : memref<?x2048xf32>) {m_range = array<i64: 2049, 4096>}
  return
}
// CHECK-LABEL: func.func @n2048_k7168_m4097_8192
// CHECK: config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n2048_k7168_m4097_8192(%x: memref<?x7168xbf16>, %y: memref<2048x7168xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<2048x7168xbf16>) outs(%out : memref<?x2048xf32>) {m_range = array<i64: 4097, 8192>}
  return
}
// CHECK-LABEL: func.func @n2048_k7168_m8193_max
// CHECK: config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 2, cluster_n = 1, raster = along_n>
func.func @n2048_k7168_m8193_max(%x: memref<?x7168xbf16>, %y: memref<2048x7168xbf16>, %out: memref<?x2048xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<2048x7168xbf16>) outs(%out : memref<?x2048xf32>) {m_range = array<i64: 8193, 2147483647>}
  return
}

// Not a dsv4 shape: without split-K the model sees no cost in a wider
// swap_ab n, and the tie goes to the narrowest tile that covers the bucket
// (block_m = 16 here, not 32), as the sweeps measured.
// CHECK-LABEL: func.func @n4096_k4096_m1_16
// CHECK: config = #gemm.config<block_m = 16, block_n = 64, block_k = 128, stages = 8, schedule = swap_ab, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @n4096_k4096_m1_16(%x: memref<?x4096xbf16>, %y: memref<4096x4096xbf16>, %out: memref<?x4096xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<4096x4096xbf16>) outs(%out : memref<?x4096xf32>) {m_range = array<i64: 1, 16>}
  return
}
