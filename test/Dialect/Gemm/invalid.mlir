// RUN: gemm-opt %s -split-input-file -verify-diagnostics

func.func @x_elem(%x: memref<4x4096xf16>, %y: memref<256x4096xbf16>, %out: memref<4x256xf32>) {
  // expected-error @+1 {{'gemm.linear_bf16_fp32' op x must have element type bf16, got 'f16'}}
  gemm.linear_bf16_fp32 ins(%x, %y : memref<4x4096xf16>, memref<256x4096xbf16>) outs(%out : memref<4x256xf32>)
  return
}

// -----

func.func @y_elem(%x: memref<4x4096xbf16>, %y: memref<256x4096xf32>, %out: memref<4x256xf32>) {
  // expected-error @+1 {{'gemm.linear_bf16_fp32' op y must have element type bf16, got 'f32'}}
  gemm.linear_bf16_fp32 ins(%x, %y : memref<4x4096xbf16>, memref<256x4096xf32>) outs(%out : memref<4x256xf32>)
  return
}

// -----

func.func @out_elem(%x: memref<4x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<4x256xbf16>) {
  // expected-error @+1 {{'gemm.linear_bf16_fp32' op out must have element type f32, got 'bf16'}}
  gemm.linear_bf16_fp32 ins(%x, %y : memref<4x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<4x256xbf16>)
  return
}

// -----

func.func @x_rank(%x: memref<2x4x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<4x256xf32>) {
  // expected-error @+1 {{'gemm.linear_bf16_fp32' op x must be a rank-2 memref, got rank 3}}
  gemm.linear_bf16_fp32 ins(%x, %y : memref<2x4x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<4x256xf32>)
  return
}

// -----

func.func @y_rank(%x: memref<4x4096xbf16>, %y: memref<4096xbf16>, %out: memref<4x256xf32>) {
  // expected-error @+1 {{'gemm.linear_bf16_fp32' op y must be a rank-2 memref, got rank 1}}
  gemm.linear_bf16_fp32 ins(%x, %y : memref<4x4096xbf16>, memref<4096xbf16>) outs(%out : memref<4x256xf32>)
  return
}

// -----

func.func @out_rank(%x: memref<4x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<1024xf32>) {
  // expected-error @+1 {{'gemm.linear_bf16_fp32' op out must be a rank-2 memref, got rank 1}}
  gemm.linear_bf16_fp32 ins(%x, %y : memref<4x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<1024xf32>)
  return
}

// -----

func.func @k_mismatch(%x: memref<4x4096xbf16>, %y: memref<256x2048xbf16>, %out: memref<4x256xf32>) {
  // expected-error @+1 {{'gemm.linear_bf16_fp32' op K mismatch: x has K = 4096 but y has K = 2048}}
  gemm.linear_bf16_fp32 ins(%x, %y : memref<4x4096xbf16>, memref<256x2048xbf16>) outs(%out : memref<4x256xf32>)
  return
}

// -----

func.func @out_n(%x: memref<4x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<4x384xf32>) {
  // expected-error @+1 {{'gemm.linear_bf16_fp32' op out must be M x N = 4x256, got 4x384}}
  gemm.linear_bf16_fp32 ins(%x, %y : memref<4x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<4x384xf32>)
  return
}

// -----

func.func @out_m(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<8x256xf32>) {
  // expected-error @+1 {{'gemm.linear_bf16_fp32' op out must be M x N = ?x256, got 8x256}}
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<8x256xf32>)
  return
}

// -----

func.func @dynamic_n(%x: memref<4x4096xbf16>, %y: memref<?x4096xbf16>, %out: memref<4x?xf32>) {
  // expected-error @+1 {{'gemm.linear_bf16_fp32' op N (dim 0 of y) must be static}}
  gemm.linear_bf16_fp32 ins(%x, %y : memref<4x4096xbf16>, memref<?x4096xbf16>) outs(%out : memref<4x?xf32>)
  return
}

// -----

func.func @dynamic_k(%x: memref<4x?xbf16>, %y: memref<256x?xbf16>, %out: memref<4x256xf32>) {
  // expected-error @+1 {{'gemm.linear_bf16_fp32' op K (dim 1 of x and y) must be static}}
  gemm.linear_bf16_fp32 ins(%x, %y : memref<4x?xbf16>, memref<256x?xbf16>) outs(%out : memref<4x256xf32>)
  return
}

// -----

func.func @k_not_multiple_of_8(%x: memref<4x4100xbf16>, %y: memref<256x4100xbf16>, %out: memref<4x256xf32>) {
  // expected-error @+1 {{'gemm.linear_bf16_fp32' op K = 4100 must be a multiple of 8 (TMA needs rows of a multiple of 16 bytes)}}
  gemm.linear_bf16_fp32 ins(%x, %y : memref<4x4100xbf16>, memref<256x4100xbf16>) outs(%out : memref<4x256xf32>)
  return
}

// -----

func.func @x_k_stride(%x: memref<4x4096xbf16, strided<[8192, 2]>>, %y: memref<256x4096xbf16>, %out: memref<4x256xf32>) {
  // expected-error @+1 {{'gemm.linear_bf16_fp32' op x must have unit stride along its last dimension, got 2}}
  gemm.linear_bf16_fp32 ins(%x, %y : memref<4x4096xbf16, strided<[8192, 2]>>, memref<256x4096xbf16>) outs(%out : memref<4x256xf32>)
  return
}

// -----

func.func @y_k_stride(%x: memref<4x4096xbf16>, %y: memref<256x4096xbf16, strided<[1, 256]>>, %out: memref<4x256xf32>) {
  // expected-error @+1 {{'gemm.linear_bf16_fp32' op y must have unit stride along its last dimension, got 256}}
  gemm.linear_bf16_fp32 ins(%x, %y : memref<4x4096xbf16>, memref<256x4096xbf16, strided<[1, 256]>>) outs(%out : memref<4x256xf32>)
  return
}

// -----

func.func @out_dynamic_stride(%x: memref<4x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<4x256xf32, strided<[?, ?]>>) {
  // expected-error @+1 {{'gemm.linear_bf16_fp32' op out must have unit stride along its last dimension, got ?}}
  gemm.linear_bf16_fp32 ins(%x, %y : memref<4x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<4x256xf32, strided<[?, ?]>>)
  return
}

// -----

func.func @bad_m_range(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  // expected-error @+1 {{'gemm.linear_bf16_fp32' op m_range must be [lo, hi] with 1 <= lo <= hi <= 2147483647}}
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {m_range = array<i64: 64, 1>}
  return
}

// -----

func.func @static_m_outside_range(%x: memref<300x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<300x256xf32>) {
  // expected-error @+1 {{'gemm.linear_bf16_fp32' op static M = 300 is outside m_range [1, 256]}}
  gemm.linear_bf16_fp32 ins(%x, %y : memref<300x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<300x256xf32>) {m_range = array<i64: 1, 256>}
  return
}
