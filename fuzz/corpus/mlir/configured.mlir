func.func @k(%x: memref<?x264xbf16>, %y: memref<21x264xbf16>, %out: memref<?x21xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x264xbf16>, memref<21x264xbf16>) outs(%out : memref<?x21xf32>) {m_range = array<i64: 1, 64>, config = #gemm.config<block_m = 64, block_n = 24, block_k = 128, stages = 2, schedule = warp_specialized, split_k = 2, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>}
  return
}
