// RUN: gemm-opt %s -split-input-file --gemm-select-config | FileCheck %s
// RUN: gemm-opt %s -split-input-file --gemm-select-config="num-sms=16" | FileCheck %s --check-prefix=SMALL
// RUN: not gemm-opt %s -split-input-file --gemm-select-config="chip=sm_80" 2>&1 | FileCheck %s --check-prefix=CHIP

// An op that already has a configuration keeps it.
// CHECK-LABEL: func.func @keep
// CHECK: config = #gemm.config<block_m = 64, block_n = 8, block_k = 128, stages = 3,
// CHIP: error: gemm-select-config: unknown chip 'sm_80' (known: sm_90a)
func.func @keep(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {config = #gemm.config<block_m = 64, block_n = 8, block_k = 128, stages = 3, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>}
  return
}

// -----

// A static M is its own bucket; a huge M favours the largest tile.
// CHECK-LABEL: func.func @static_large
// CHECK: config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized
// With 16 SMs there are far fewer CTAs to fill: the same large tile.
// SMALL-LABEL: func.func @static_large
// SMALL: config = #gemm.config<block_m = 128, block_n = 256,
func.func @static_large(%x: memref<16384x4096xbf16>, %y: memref<4096x4096xbf16>, %out: memref<16384x4096xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<16384x4096xbf16>, memref<4096x4096xbf16>) outs(%out : memref<16384x4096xf32>)
  return
}

// -----

// Without an m_range a dynamic M covers 1..2^31-1, scored at 1 and 16384.
// With 132 SMs a small tile split 8 ways keeps more SMs busy; with 16 SMs
// a larger tile split fewer ways wins.
// CHECK-LABEL: func.func @unbounded
// CHECK: config = #gemm.config<block_m = 128, block_n = 64, block_k = 64, stages = 8, schedule = warp_specialized, split_k = 8, reduction = cluster_push,
// SMALL-LABEL: func.func @unbounded
// SMALL: config = #gemm.config<block_m = 128, block_n = 128, block_k = 64, stages = 5, schedule = warp_specialized, split_k = 4, reduction = cluster_push,
func.func @unbounded(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>)
  return
}
