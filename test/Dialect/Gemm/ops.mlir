// RUN: gemm-opt %s | FileCheck %s
// RUN: gemm-opt %s | gemm-opt | FileCheck %s
// RUN: gemm-opt %s -mlir-print-op-generic | gemm-opt | FileCheck %s

// CHECK-LABEL: func.func @static_m
// CHECK: gemm.linear_bf16_fp32 ins(%{{.*}}, %{{.*}} : memref<16x4096xbf16>, memref<256x4096xbf16>) outs(%{{.*}} : memref<16x256xf32>)
func.func @static_m(%x: memref<16x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<16x256xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<16x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<16x256xf32>)
  return
}

// CHECK-LABEL: func.func @dynamic_m
// CHECK: gemm.linear_bf16_fp32 ins(%{{.*}}, %{{.*}} : memref<?x7168xbf16>, memref<384x7168xbf16>) outs(%{{.*}} : memref<?x384xf32>)
func.func @dynamic_m(%x: memref<?x7168xbf16>, %y: memref<384x7168xbf16>, %out: memref<?x384xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<384x7168xbf16>) outs(%out : memref<?x384xf32>)
  return
}

// Row strides larger than the row (lda, ldb, ldc) are allowed.
// CHECK-LABEL: func.func @row_strides
// CHECK: memref<?x4096xbf16, strided<[?, 1]>>, memref<256x4096xbf16, strided<[8192, 1]>>) outs(%{{.*}} : memref<?x256xf32, strided<[?, 1], offset: ?>>)
func.func @row_strides(%x: memref<?x4096xbf16, strided<[?, 1]>>, %y: memref<256x4096xbf16, strided<[8192, 1]>>, %out: memref<?x256xf32, strided<[?, 1], offset: ?>>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16, strided<[?, 1]>>, memref<256x4096xbf16, strided<[8192, 1]>>) outs(%out : memref<?x256xf32, strided<[?, 1], offset: ?>>)
  return
}

// CHECK-LABEL: func.func @configured
// CHECK: gemm.linear_bf16_fp32
// CHECK-SAME: config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>
func.func @configured(%x: memref<?x4096xbf16>, %y: memref<4096x4096xbf16>, %out: memref<?x4096xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<4096x4096xbf16>) outs(%out : memref<?x4096xf32>) {config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>}
  return
}
