// RUN: gemm-opt %s -split-input-file --gemm-to-kernel | FileCheck %s

// Two consumer warpgroups (block_m = 128): 384 threads, setmaxnreg, and
// wgmma m64n256k16 four times per 64-wide K chunk.
// CHECK: module attributes {gpu.container_module}
// CHECK-LABEL: func.func @big
// CHECK-NEXT: return
// CHECK: gpu.module @big_kernels attributes {gemm.kernel_info = {
// CHECK-SAME: block = [384, 1, 1]
// CHECK-SAME: dynamic_smem_bytes = 197632
// CHECK-SAME: grid = {block_m = 128 : i64, block_n = 256 : i64, kind = "tiles", split_k = 1 : i64}
// CHECK-SAME: kernel = "gemm_big"
// The grid has at most 65535 M tiles: an open M range stops at 65535 * 128.
// CHECK-SAME: m_max = 8388480 : i64, m_min = 1 : i64
// CHECK-SAME: params = [{box = [64, 128], kind = "tma_desc", tensor = "x"}, {box = [64, 256], kind = "tma_desc", tensor = "y"}, {kind = "ptr", tensor = "out"}, {kind = "i32", value = "m"}, {kind = "i64", value = "ldc"}]
// CHECK-SAME: programmatic_launch = true
// CHECK: gpu.func @gemm_big(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i32, %{{.*}}: i64) kernel
// CHECK-SAME: gemm.tma_desc_args = array<i32: 0, 1>
// CHECK-SAME: known_block_size = array<i32: 384, 1, 1>
// Programmatic dependent launch: dependents may start at once; this grid
// waits for the previous one after its prologue, before any global access.
// CHECK: nvvm.griddepcontrol launch_dependents
// CHECK-NOT: nvgpu.tma.async.load
// CHECK: gpu.dynamic_shared_memory
// CHECK: nvgpu.mbarrier.create
// CHECK: nvgpu.mbarrier.init
// CHECK: nvgpu.tma.prefetch.descriptor
// CHECK: gpu.barrier
// CHECK-NEXT: nvvm.griddepcontrol wait
// Producer: wait for a free slot, expect the bytes, two TMA loads.
// CHECK: nvvm.setmaxregister decrease 40
// CHECK: scf.for
// CHECK: nvgpu.mbarrier.try_wait.parity
// CHECK: nvgpu.mbarrier.arrive.expect_tx
// CHECK: nvgpu.tma.async.load
// CHECK: nvgpu.tma.async.load
// Consumers. The first k-step is emitted before the loop and starts from
// scale-d = 0 on an undefined accumulator (no zero-initialized registers
// before the first wgmma, no peeling left to LLVM); the loop covers the
// rest and releases the previous slot.
// CHECK: nvvm.setmaxregister increase 232
// CHECK: llvm.mlir.undef
// CHECK-NOT: scf.for
// CHECK: nvgpu.mbarrier.try_wait.parity
// CHECK: nvvm.wgmma.fence.aligned
// CHECK: nvvm.wgmma.mma_async {{.*}} <m = 64, n = 256, k = 16>, D[<f32>, <zero>]
// CHECK-COUNT-3: nvvm.wgmma.mma_async {{.*}} <m = 64, n = 256, k = 16>, D[<f32>, <one>]
// CHECK: nvvm.wgmma.commit.group.sync.aligned
// CHECK: nvvm.wgmma.wait.group.sync.aligned 1
// CHECK-NOT: nvgpu.mbarrier.arrive
// CHECK: scf.for %{{.*}} = %c1{{.*}} iter_args
// CHECK: nvgpu.mbarrier.try_wait.parity
// CHECK: nvvm.wgmma.fence.aligned
// CHECK-COUNT-4: nvvm.wgmma.mma_async {{.*}} <m = 64, n = 256, k = 16>, D[<f32>, <one>]
// CHECK: nvvm.wgmma.commit.group.sync.aligned
// CHECK: nvvm.wgmma.wait.group.sync.aligned 1
// CHECK: nvgpu.mbarrier.arrive
// CHECK: nvvm.wgmma.wait.group.sync.aligned 0
// Masked fp32 epilogue: 8-byte stores of two columns.
// CHECK: scf.if
// CHECK: llvm.store {{.*}} {alignment = 8 : i64} : vector<2xf32>, !llvm.ptr
// CHECK: gpu.return
func.func @big(%x: memref<?x4096xbf16>, %y: memref<4096x4096xbf16>, %out: memref<?x4096xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<4096x4096xbf16>) outs(%out : memref<?x4096xf32>) {config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>}
  return
}

// -----

// One consumer warpgroup: 256 threads and no register reallocation;
// block_k = 128 is two 64-wide TMA boxes per operand and stage; an odd N
// stores one float at a time.
// CHECK-LABEL: gpu.module @small_kernels
// CHECK-SAME: block = [256, 1, 1]
// CHECK-SAME: requires = {k_multiple = 8 : i64, ldc_multiple = 1 : i64, out_align_bytes = 4 : i64
// CHECK: gpu.func @gemm_small
// CHECK-SAME: known_block_size = array<i32: 256, 1, 1>
// CHECK-NOT: nvvm.setmaxregister
// CHECK: nvgpu.mbarrier.arrive.expect_tx
// CHECK-COUNT-4: nvgpu.tma.async.load
// CHECK: nvvm.wgmma.fence.aligned
// CHECK-COUNT-8: nvvm.wgmma.mma_async {{.*}} <m = 64, n = 24, k = 16>
// CHECK: llvm.store {{.*}} {alignment = 4 : i64} : f32, !llvm.ptr
func.func @small(%x: memref<?x264xbf16>, %y: memref<21x264xbf16>, %out: memref<?x21xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x264xbf16>, memref<21x264xbf16>) outs(%out : memref<?x21xf32>) {config = #gemm.config<block_m = 64, block_n = 24, block_k = 128, stages = 2, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 1, cluster_n = 1, raster = along_n>}
  return
}

// -----

// Split-K over a cluster of 4 CTAs (grid z): each takes a quarter of the K
// tiles, parks its partial tile in shared memory, and the cluster sums the
// partials through distributed shared memory in rank order. Each rank owns
// 2 of the 8 register pairs and loads all 16 of their partials before the
// first sum and the first (masked) store. Warps whose 16 rows all lie at
// or past M (most of them at decode M) skip both the parking and the sums;
// every thread takes the cluster barriers.
// CHECK-LABEL: gpu.module @split_kernels
// CHECK-SAME: cluster = [1, 1, 4]
// CHECK-SAME: dynamic_smem_bytes = 99328
// CHECK-SAME: grid = {block_m = 64 : i64, block_n = 32 : i64, kind = "tiles", split_k = 4 : i64}
// CHECK: gpu.func @gemm_split
// CHECK: gpu.block_id  z
// CHECK: arith.minui
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[COUNT:.*]] step
// CHECK: nvvm.wgmma.wait.group.sync.aligned 0
// CHECK: nvvm.barrier id = %{{.*}} number_of_threads = %{{.*}}
// CHECK: arith.divui %{{.*}}, %c32
// CHECK: %[[LIVE:.*]] = arith.cmpi ult, %{{.*}}, %{{.*}} : index
// CHECK: scf.if %[[LIVE]] {
// CHECK-COUNT-16: llvm.store {{.*}} : f32, !llvm.ptr<3>
// CHECK: }
// CHECK-NEXT: nvvm.cluster.arrive {aligned}
// CHECK: nvvm.cluster.wait {aligned}
// CHECK: scf.if %[[LIVE]] {
// CHECK-NOT: scf.if
// CHECK-COUNT-16: nvvm.mapa %{{.*}}, %{{.*}} : !llvm.ptr<3> -> !llvm.ptr<7>
// CHECK-NOT: nvvm.mapa
// CHECK: arith.addf
// CHECK: scf.if
// CHECK: llvm.store {{.*}} {alignment = 8 : i64} : vector<2xf32>, !llvm.ptr
// CHECK: nvvm.cluster.arrive {aligned}
// CHECK: nvvm.cluster.wait {aligned}
// CHECK: gpu.return
func.func @split(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {config = #gemm.config<block_m = 64, block_n = 32, block_k = 64, stages = 8, schedule = warp_specialized, split_k = 4, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>}
  return
}

// -----

// A split that divides neither K's steps nor the fragment's pairs: 64
// k-steps over 3 ranks (rank 0 takes 22, ranks 1 and 2 take 21, starting
// at 22 and 43), a cluster of 3, and 8 pairs of values per thread dealt
// as ceil(8 / 3) = 3 per owner, the last owner's third pair (pair 8)
// masked off; each owned pair is read from all 3 ranks.
// CHECK-LABEL: gpu.module @split3_kernels
// CHECK-SAME: cluster = [1, 1, 3]
// CHECK-SAME: grid = {block_m = 64 : i64, block_n = 32 : i64, kind = "tiles", split_k = 3 : i64}
// CHECK: %[[Z:.*]] = gpu.block_id  z
// CHECK: %[[EXTRA:.*]] = arith.minui %[[Z]], %c1
// CHECK: %[[BASE:.*]] = arith.muli %[[Z]], %c21
// CHECK: arith.addi %[[BASE]], %[[EXTRA]]
// CHECK: %[[FIRST:.*]] = arith.cmpi ult, %[[Z]], %c1
// CHECK: arith.select %[[FIRST]], %c22, %c21
// CHECK: nvvm.cluster.wait {aligned}
// CHECK: %[[PAIR:.*]] = arith.addi %[[Z]], %c0
// CHECK: arith.cmpi ult, %[[PAIR]], %c8
// CHECK-COUNT-18: nvvm.mapa %{{.*}}, %c{{[0-2]}}_i32
// CHECK-NOT: nvvm.mapa
// CHECK: gpu.return
func.func @split3(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {config = #gemm.config<block_m = 64, block_n = 32, block_k = 64, stages = 8, schedule = warp_specialized, split_k = 3, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>}
  return
}

// -----

// The same split with `cluster_push`: a relaxed cluster arrival after
// set-up, whose phase each rank waits on before its first remote store;
// each thread then stores its 16 values (8 pairs, 2 per owner rank) into
// the owners' push buffers, which start where the ring ends (8 stages of
// (64 + 32) x 64 bf16 = 98304 bytes); one barrier; then each owner adds
// its 2 pairs' 4 ranks in rank order from its own buffer and stores them.
// The buffer (8192 bytes) comes on top of the ring.
// CHECK-LABEL: gpu.module @push_kernels
// CHECK-SAME: cluster = [1, 1, 4]
// CHECK-SAME: dynamic_smem_bytes = 107520
// CHECK: gpu.func @gemm_push
// CHECK: nvvm.cluster.arrive.relaxed {aligned}
// CHECK: nvvm.wgmma.wait.group.sync.aligned 0
// CHECK-NOT: nvvm.barrier id
// CHECK: %[[RING:.*]] = arith.constant 98304 : i64
// CHECK: llvm.getelementptr %{{.*}}[%[[RING]]] : (!llvm.ptr<3>, i64) -> !llvm.ptr<3>, i8
// CHECK: %[[LIVE:.*]] = arith.cmpi ult, %{{.*}}, %{{.*}} : index
// CHECK-NEXT: nvvm.cluster.wait {aligned}
// CHECK-NEXT: scf.if %[[LIVE]] {
// CHECK-COUNT-16: llvm.store %{{.*}}, %{{.*}} {alignment = 4 : i64} : f32, !llvm.ptr<7>
// CHECK: }
// CHECK-NEXT: nvvm.cluster.arrive {aligned}
// CHECK-NEXT: nvvm.cluster.wait {aligned}
// CHECK-NEXT: scf.if %[[LIVE]] {
// CHECK-NOT: nvvm.mapa
// CHECK-COUNT-4: llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr<3> -> f32
// CHECK: arith.addf
// CHECK: llvm.store {{.*}} {alignment = 8 : i64} : vector<2xf32>, !llvm.ptr
// CHECK-NOT: nvvm.cluster
// CHECK: gpu.return
func.func @push(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {config = #gemm.config<block_m = 64, block_n = 32, block_k = 64, stages = 8, schedule = warp_specialized, split_k = 4, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>}
  return
}

// -----

// Split-K inside a multicast cluster: (cluster_n, cluster_m, split_k) =
// (1, 2, 2) CTAs, one multicast group of 2 along M per split rank. A CTA's
// place in its group is its cluster rank mod 2 and the group starts at the
// rank less that; the y multicast mask (0b11), the remote slot releases
// and the pushes to the owners (rank 0 or 2 of the split plus the place in
// the group) are all offset by the group. The reduction's cluster barrier
// is the last: the producer leaves early and must not arrive on its phase.
// CHECK-LABEL: gpu.module @multicast_split_kernels
// CHECK-SAME: cluster = [1, 2, 2]
// CHECK-SAME: {box = [64, 64], kind = "tma_desc", tensor = "y"}
// CHECK: gpu.func @gemm_multicast_split
// CHECK: nvgpu.mbarrier.init %{{.*}}, %c2
// CHECK: %[[CR:.*]] = nvvm.read.ptx.sreg.cluster.ctarank
// CHECK: %[[R:.*]] = arith.index_cast %[[CR]] : i32 to index
// CHECK: %[[GR:.*]] = arith.remui %[[R]], %c2 : index
// CHECK: %[[GB:.*]] = arith.subi %[[R]], %[[GR]] : index
// CHECK: %[[CX:.*]] = arith.remui %[[GR]], %c1
// CHECK: %[[CY:.*]] = arith.divui %[[GR]], %c1
// CHECK: nvvm.cluster.arrive {aligned}
// CHECK: nvvm.cluster.wait {aligned}
// CHECK: nvvm.cluster.arrive.relaxed {aligned}
// CHECK: %[[SHIFT:.*]] = arith.addi %[[CX]], %[[GB]] : index
// CHECK: %[[SHIFT16:.*]] = arith.index_cast %[[SHIFT]] : index to i16
// CHECK: %[[MASK:.*]] = arith.shli %c3_i16, %[[SHIFT16]] : i16
// CHECK: nvgpu.tma.async.load %{{.*}} to %{{.*}} :
// CHECK: nvgpu.tma.async.load %{{.*}} to %{{.*}} multicast_mask = %[[MASK]] :
// CHECK: %[[IN_COLUMN:.*]] = arith.addi %[[CX]], %{{.*}} : index
// CHECK: %[[RELEASE:.*]] = arith.addi %[[IN_COLUMN]], %[[GB]] : index
// CHECK: %[[RELEASE32:.*]] = arith.index_cast %[[RELEASE]] : index to i32
// CHECK: nvvm.mapa %{{.*}}, %[[RELEASE32]]
// CHECK: nvvm.mbarrier.arrive %{{.*}} : !llvm.ptr<7>
// CHECK: nvvm.cluster.wait {aligned}
// CHECK: %[[OWNER0:.*]] = arith.addi %c0{{.*}}, %[[GR]] : index
// CHECK: %[[OWNER0_32:.*]] = arith.index_cast %[[OWNER0]] : index to i32
// CHECK-COUNT-32: nvvm.mapa %{{.*}}, %[[OWNER0_32]]
// CHECK: %[[OWNER1:.*]] = arith.addi %c2{{.*}}, %[[GR]] : index
// CHECK: %[[OWNER1_32:.*]] = arith.index_cast %[[OWNER1]] : index to i32
// CHECK-COUNT-32: nvvm.mapa %{{.*}}, %[[OWNER1_32]]
// CHECK-NOT: nvvm.mapa
// CHECK: nvvm.cluster.arrive {aligned}
// CHECK-NEXT: nvvm.cluster.wait {aligned}
// CHECK-NOT: nvvm.cluster
// CHECK: gpu.return
func.func @multicast_split(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {config = #gemm.config<block_m = 64, block_n = 128, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 2, reduction = cluster_push, cluster_m = 2, cluster_n = 1, raster = along_n>}
  return
}

// -----

// A cluster of two CTAs along M sharing the y tile: each loads 128 of its
// 256 rows (the descriptor's box) and multicasts them to both; the empty
// barriers count the consumers of both CTAs, which release every CTA's slot
// through distributed shared memory (release at CTA scope, as the
// consumers only read the slot); the cluster syncs after the barrier
// set-up and before exit.
// CHECK-LABEL: gpu.module @multicast_kernels
// CHECK-SAME: cluster = [1, 2, 1]
// The grid's M tiles are rounded up to whole clusters: 65534 of them.
// CHECK-SAME: m_max = 8388352 : i64
// CHECK-SAME: {box = [64, 128], kind = "tma_desc", tensor = "y"}
// CHECK: gpu.func @gemm_multicast
// CHECK: nvgpu.mbarrier.init %{{.*}}, %c4
// CHECK: nvvm.fence.mbarrier.init
// CHECK: nvvm.read.ptx.sreg.cluster.ctarank
// CHECK: nvvm.cluster.arrive {aligned}
// CHECK: nvvm.cluster.wait {aligned}
// CHECK: scf.for
// CHECK: nvgpu.tma.async.load %{{.*}} to %{{.*}} :
// CHECK: nvgpu.tma.async.load %{{.*}} to %{{.*}} multicast_mask = %{{.*}} :
// CHECK: scf.for
// CHECK: nvvm.mapa
// CHECK: nvvm.mbarrier.arrive %{{.*}} : !llvm.ptr<7>
// CHECK: nvvm.cluster.arrive
// CHECK-NEXT: nvvm.cluster.wait
// CHECK-NEXT: gpu.return
func.func @multicast(%x: memref<?x4096xbf16>, %y: memref<4096x4096xbf16>, %out: memref<?x4096xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<4096x4096xbf16>) outs(%out : memref<?x4096xf32>) {config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 2, cluster_n = 1, raster = along_n>}
  return
}

// -----

// A 2 x 2 cluster: the two CTAs of a cluster column (same N tile) share y,
// the two of a row (same M tile) share x. Each loads half of each tile and
// multicasts it to its column (y) or row (x), so both loads carry a mask;
// three CTAs write each ring (column and row), so the empty barriers count
// 2 consumers x 3 and three threads of each warpgroup release remotely.
// CHECK-LABEL: gpu.module @multicast2d_kernels
// CHECK-SAME: cluster = [2, 2, 1]
// CHECK-SAME: params = [{box = [64, 64], kind = "tma_desc", tensor = "x"}, {box = [64, 128], kind = "tma_desc", tensor = "y"}
// CHECK: gpu.func @gemm_multicast2d
// CHECK: nvgpu.mbarrier.init %{{.*}}, %c6
// CHECK: nvvm.fence.mbarrier.init
// CHECK: nvvm.read.ptx.sreg.cluster.ctarank
// CHECK: nvvm.cluster.arrive {aligned}
// CHECK: nvvm.cluster.wait {aligned}
// CHECK: scf.for
// CHECK: nvgpu.tma.async.load %{{.*}} to %{{.*}} multicast_mask = %{{.*}} :
// CHECK: nvgpu.tma.async.load %{{.*}} to %{{.*}} multicast_mask = %{{.*}} :
// CHECK: scf.for
// CHECK: arith.cmpi ult, %{{.*}}, %c3
// CHECK: nvvm.mapa
// CHECK: nvvm.mbarrier.arrive %{{.*}} : !llvm.ptr<7>
// CHECK: nvvm.cluster.arrive
// CHECK-NEXT: nvvm.cluster.wait
// CHECK-NEXT: gpu.return
func.func @multicast2d(%x: memref<?x4096xbf16>, %y: memref<4096x4096xbf16>, %out: memref<?x4096xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<4096x4096xbf16>) outs(%out : memref<?x4096xf32>) {config = #gemm.config<block_m = 128, block_n = 256, block_k = 64, stages = 4, schedule = warp_specialized, split_k = 1, reduction = none, cluster_m = 2, cluster_n = 2, raster = along_n>}
  return
}
