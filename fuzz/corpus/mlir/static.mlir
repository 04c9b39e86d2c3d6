func.func @s(%x: memref<7x4104xbf16>, %y: memref<200x4104xbf16, strided<[4112, 1]>>, %out: memref<7x200xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<7x4104xbf16>, memref<200x4104xbf16, strided<[4112, 1]>>) outs(%out : memref<7x200xf32>)
  return
}
