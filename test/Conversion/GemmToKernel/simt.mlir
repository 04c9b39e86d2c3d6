// RUN: gemm-opt %s -split-input-file --gemm-to-kernel | FileCheck %s

// simt: no TMA, no wgmma. 4 warps (block_n = 8 rows, 2 per warp) of 32
// lanes; x, y and out are plain pointers with their row strides. K = 4096
// is 512 chunks of 8 bf16: 8 steps of 2 loads per lane and row, none
// masked.
// CHECK-LABEL: gpu.module @simt_kernels
// CHECK-SAME: block = [128, 1, 1], cluster = [1, 1, 1]
// CHECK-SAME: dynamic_smem_bytes = 0
// CHECK-SAME: grid = {block_m = 2 : i64, block_n = 8 : i64, kind = "tiles", split_k = 1 : i64}
// CHECK-SAME: params = [{kind = "ptr", tensor = "x"}, {kind = "ptr", tensor = "y"}, {kind = "ptr", tensor = "out"}, {kind = "i32", value = "m"}, {kind = "i64", value = "lda"}, {kind = "i64", value = "ldb"}, {kind = "i64", value = "ldc"}]
// CHECK-SAME: programmatic_launch = true
// CHECK-SAME: requires = {k_multiple = 8 : i64, ldc_multiple = 1 : i64, out_align_bytes = 4 : i64, x_align_bytes = 16 : i64, y_align_bytes = 16 : i64}
// CHECK: gpu.func @gemm_simt(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i32, %[[LDA:.*]]: i64, %[[LDB:.*]]: i64, %[[LDC:.*]]: i64) kernel
// CHECK-NOT: gemm.tma_desc_args
// CHECK: %[[X:.*]] = llvm.addrspacecast %{{.*}} : !llvm.ptr to !llvm.ptr<1>
// CHECK: %[[Y:.*]] = llvm.addrspacecast %{{.*}} : !llvm.ptr to !llvm.ptr<1>
// CHECK: nvvm.griddepcontrol launch_dependents
// Rows past N = 256 are clamped to row 255 for loading.
// CHECK: %[[R0:.*]] = arith.minui %{{.*}}, %c255_i64
// CHECK: arith.muli %[[R0]], %[[LDB]]
// CHECK: arith.muli %{{.*}}, %[[LDA]]
// CHECK: nvvm.griddepcontrol wait
// One copy of the body per count of tokens below M: min(M - m0, 2) - 1
// picks it.
// CHECK: %[[TOKENS:.*]] = arith.minui %{{.*}}, %c2_i64
// CHECK: %[[CASE:.*]] = arith.subi %[[TOKENS]], %c1_i64
// CHECK: %[[SEL:.*]] = arith.index_cast %[[CASE]] : i64 to index
// CHECK: scf.index_switch %[[SEL]]
// One token: 2 rows x 1 token accumulators; y's 4 loads, then per load
// x's chunk and its products with both rows.
// CHECK: case 0 {
// CHECK: scf.for %{{.*}} = %c0 to %c8 step %c1 iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>)
// CHECK-COUNT-4: llvm.load %{{.*}} invariant {alignment = 16 : i64} : !llvm.ptr<1> -> vector<8xbf16>
// CHECK-NOT: llvm.intr.fma
// CHECK: llvm.load %{{.*}} invariant {alignment = 16 : i64} : !llvm.ptr<1> -> vector<8xbf16>
// CHECK-COUNT-2: llvm.intr.fma
// CHECK: llvm.load %{{.*}} invariant {alignment = 16 : i64} : !llvm.ptr<1> -> vector<8xbf16>
// CHECK-COUNT-2: llvm.intr.fma
// CHECK-NOT: llvm.load
// CHECK: scf.yield
// CHECK: default {
// Two tokens: all four loads of y (2 rows x 2 per lane), then per load
// the two tokens' chunks and four products, none masked.
// CHECK: scf.for %{{.*}} = %c0 to %c8 step %c1 iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// CHECK-COUNT-4: llvm.load %{{.*}} invariant {alignment = 16 : i64} : !llvm.ptr<1> -> vector<8xbf16>
// CHECK-NOT: llvm.intr.fma
// CHECK-COUNT-2: llvm.load %{{.*}} invariant {alignment = 16 : i64} : !llvm.ptr<1> -> vector<8xbf16>
// CHECK-NOT: arith.select
// CHECK-COUNT-4: llvm.intr.fma
// CHECK-COUNT-2: llvm.load %{{.*}} invariant {alignment = 16 : i64} : !llvm.ptr<1> -> vector<8xbf16>
// CHECK-COUNT-4: llvm.intr.fma
// CHECK: scf.yield
// Each accumulator: a fixed tree over its 8 words, then the butterfly.
// CHECK-COUNT-7: arith.addf
// CHECK: gpu.shuffle xor %{{.*}}, %c16_i32, %c32_i32 : f32
// CHECK: gpu.shuffle xor %{{.*}}, %c8_i32
// CHECK: gpu.shuffle xor %{{.*}}, %c4_i32
// CHECK: gpu.shuffle xor %{{.*}}, %c2_i32
// CHECK: gpu.shuffle xor %{{.*}}, %c1_i32
// Lanes 0..3 store (row lane / 2, token lane % 2), masked against M and N.
// CHECK: %[[HAS:.*]] = arith.cmpi ult, %{{.*}}, %c4_i64
// CHECK: scf.if %[[HAS]]
// CHECK: arith.cmpi ult, %{{.*}}, %c256_i64
// CHECK: scf.if
// CHECK: arith.muli %{{.*}}, %[[LDC]]
// CHECK: llvm.store %{{.*}} {alignment = 4 : i64} : f32, !llvm.ptr
// CHECK-NOT: gpu.barrier
// CHECK: gpu.return
func.func @simt(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {config = #gemm.config<block_m = 2, block_n = 8, block_k = 512, stages = 1, schedule = simt, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, warp_rows = 2>}
  return
}

// -----

// Four k-groups on K = 4104 (513 chunks): 129 chunks per group, the last
// group 126, so every load is checked against its group's end (a dropped
// one reads chunk 0 and adds 0 * 0). The groups' partials meet in shared
// memory: 1 token x 2 rows x 4 groups x 4 bytes; then thread t < 2 sums
// groups 0..3 in order. One token per CTA: no copies to choose from.
// CHECK-LABEL: gpu.module @simt_groups_kernels
// CHECK-SAME: block = [256, 1, 1]
// CHECK-SAME: dynamic_smem_bytes = 32
// CHECK: %[[START:.*]] = arith.muli %{{.*}}, %c129_i64
// CHECK: %[[SUM:.*]] = arith.addi %[[START]], %c129_i64
// CHECK: %[[END:.*]] = arith.minui %[[SUM]], %c513_i64
// CHECK: gpu.dynamic_shared_memory
// CHECK-NOT: scf.index_switch
// CHECK: scf.for %{{.*}} = %c0 to %c5 step %c1
// CHECK: %[[OK:.*]] = arith.cmpi ult, %{{.*}}, %[[END]]
// CHECK: arith.select %[[OK]], %{{.*}}, %c0_i64
// CHECK: arith.select %[[OK]], %{{.*}} : vector<8xf32>
// CHECK: arith.select %[[OK]], %{{.*}} : vector<8xf32>
// CHECK: llvm.intr.fma
// CHECK: llvm.store %{{.*}} : f32, !llvm.ptr<3>
// CHECK: gpu.barrier
// CHECK: arith.cmpi ult, %{{.*}}, %c2_i64
// CHECK-COUNT-4: llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr<3> -> f32
// CHECK: arith.cmpi ult, %{{.*}}, %c200_i64
// CHECK: llvm.store %{{.*}} : f32, !llvm.ptr
func.func @simt_groups(%x: memref<?x4104xbf16>, %y: memref<200x4104xbf16>, %out: memref<?x200xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4104xbf16>, memref<200x4104xbf16>) outs(%out : memref<?x200xf32>) {config = #gemm.config<block_m = 1, block_n = 2, block_k = 256, stages = 1, schedule = simt, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = 4>}
  return
}

// -----

// stages = 2: the weight chunks of step s + 1 are loaded before step s
// multiplies, carried across the loop as bf16 (the products widen them).
// The carried loads are inline PTX (LLVM would fold a phi of two loads
// into one load in the step that uses it). K = 4104 in 4 k-groups: 5 steps
// of 1 load per lane and row, so step 0 before the loop, steps 1..4 inside
// it (4 iterations), the last step's products after it; every chunk of
// every step checked against its group's end. x stays a plain load at its
// use.
// CHECK-LABEL: gpu.module @simt_two_steps_kernels
// CHECK-SAME: block = [256, 1, 1]
// CHECK: %[[END:.*]] = arith.minui %{{.*}}, %c513_i64
// CHECK: nvvm.griddepcontrol wait
// CHECK: %[[OK0:.*]] = arith.cmpi ult, %{{.*}}, %[[END]]
// CHECK: arith.select %[[OK0]], %{{.*}}, %c0_i64
// CHECK-COUNT-2: llvm.inline_asm "ld.global.nc.v4.b32 {$0, $1, $2, $3}, [$4];", "=r,=r,=r,=r,l" %{{.*}} : (!llvm.ptr<1>) -> !llvm.struct<(i32, i32, i32, i32)>
// CHECK-NOT: llvm.intr.fma
// CHECK: %[[LOOP:.*]]:4 = scf.for %{{.*}} = %c0 to %c4 step %c1 iter_args(%[[A0:.*]] = %{{.*}}, %[[A1:.*]] = %{{.*}}, %[[Y0:.*]] = %{{.*}}, %[[Y1:.*]] = %{{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xbf16>, vector<8xbf16>)
// The next step's chunks first, then this step's x and products.
// CHECK: arith.addi %{{.*}}, %c1_i64
// CHECK-COUNT-2: llvm.inline_asm "ld.global.nc.v4.b32
// CHECK-NOT: llvm.intr.fma
// CHECK: %[[OK:.*]] = arith.cmpi ult, %{{.*}}, %[[END]]
// CHECK: llvm.load %{{.*}} invariant {alignment = 16 : i64} : !llvm.ptr<1> -> vector<8xbf16>
// CHECK: llvm.fpext %[[Y0]] : vector<8xbf16> to vector<8xf32>
// CHECK: arith.select %[[OK]]
// CHECK: llvm.intr.fma(%{{.*}}, %{{.*}}, %[[A0]])
// CHECK: llvm.fpext %[[Y1]] : vector<8xbf16> to vector<8xf32>
// CHECK: llvm.intr.fma(%{{.*}}, %{{.*}}, %[[A1]])
// CHECK-NOT: llvm.inline_asm
// CHECK: scf.yield
// The last step: its chunks came from the loop; no more weight loads.
// CHECK-NOT: llvm.inline_asm
// CHECK: llvm.fpext %[[LOOP]]#2
// CHECK: llvm.intr.fma(%{{.*}}, %{{.*}}, %[[LOOP]]#0)
// CHECK: llvm.fpext %[[LOOP]]#3
// CHECK: llvm.intr.fma(%{{.*}}, %{{.*}}, %[[LOOP]]#1)
// CHECK-NOT: llvm.inline_asm
// CHECK: gpu.barrier
func.func @simt_two_steps(%x: memref<?x4104xbf16>, %y: memref<200x4104xbf16>, %out: memref<?x200xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4104xbf16>, memref<200x4104xbf16>) outs(%out : memref<?x200xf32>) {config = #gemm.config<block_m = 1, block_n = 4, block_k = 256, stages = 2, schedule = simt, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n, k_groups = 4, warp_rows = 2>}
  return
}
