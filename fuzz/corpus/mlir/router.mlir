// The router gate of a DeepSeek-V4 model: out[M, 384] = x[M, 7168] * y^T.
func.func @router_gate(%x: memref<?x7168xbf16>, %y: memref<384x7168xbf16>, %out: memref<?x384xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x7168xbf16>, memref<384x7168xbf16>) outs(%out : memref<?x384xf32>)
  return
}
