// RUN: gemm-opt %s -split-input-file --gemm-to-kernel="vector-push=1" | FileCheck %s
// RUN: gemm-opt %s -split-input-file --gemm-to-kernel | FileCheck %s --check-prefix=OFF

// vector-push: 64 x 128 at split 4. A thread holds 32 register pairs and
// owns 8 of them per rank: it sends each of the 4 ranks (itself too) its
// owned pairs two at a time (4 x 4 stores of four fp32 into distributed
// shared memory, 16-byte aligned, nothing narrower), and the owner reads
// every rank's section four values at a time (16 loads).
// CHECK-LABEL: gpu.func @gemm_split4
// CHECK-COUNT-16: llvm.store %{{.*}}, %{{.*}} {alignment = 16 : i64} : vector<4xf32>, !llvm.ptr<7>
// CHECK-NOT: !llvm.ptr<7>
// CHECK: nvvm.cluster.arrive
// CHECK: nvvm.cluster.wait
// CHECK-COUNT-16: llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr<3> -> vector<4xf32>
// CHECK-NOT: llvm.load %{{.*}} : !llvm.ptr<3> -> f32
// CHECK: gpu.return
// Without the option: one fp32 per remote store, 2 x 8 per rank.
// OFF-LABEL: gpu.func @gemm_split4
// OFF-NOT: vector<4xf32>
// OFF-COUNT-64: llvm.store %{{.*}}, %{{.*}} {alignment = 4 : i64} : f32, !llvm.ptr<7>
// OFF-NOT: vector<4xf32>
// OFF: gpu.return
func.func @split4(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {config = #gemm.config<block_m = 64, block_n = 128, block_k = 64, stages = 8, schedule = warp_specialized, split_k = 4, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>}
  return
}

// -----

// An odd number of owned pairs: 32 pairs at split 3 give 11 per owner, five
// pairs of pairs and one left. Ranks 0 and 1 own pair 10 (pairs 30 and 31)
// and get it as two values; rank 2's would be pair 32, past the tile, and
// is not sent. Every owner reads five sections of four and one of two per
// rank.
// CHECK-LABEL: gpu.func @gemm_odd
// CHECK-COUNT-5: vector<4xf32>, !llvm.ptr<7>
// CHECK: llvm.store %{{.*}}, %{{.*}} {alignment = 8 : i64} : vector<2xf32>, !llvm.ptr<7>
// CHECK-COUNT-5: vector<4xf32>, !llvm.ptr<7>
// CHECK: llvm.store %{{.*}}, %{{.*}} {alignment = 8 : i64} : vector<2xf32>, !llvm.ptr<7>
// CHECK-COUNT-5: vector<4xf32>, !llvm.ptr<7>
// CHECK-NOT: !llvm.ptr<7>
// CHECK: nvvm.cluster.wait
// CHECK-COUNT-15: llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr<3> -> vector<4xf32>
// CHECK-COUNT-3: llvm.load %{{.*}} {alignment = 8 : i64} : !llvm.ptr<3> -> vector<2xf32>
// CHECK-NOT: llvm.load
// CHECK: gpu.return
func.func @odd(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {config = #gemm.config<block_m = 64, block_n = 128, block_k = 64, stages = 8, schedule = warp_specialized, split_k = 3, reduction = cluster_push, cluster_m = 1, cluster_n = 1, raster = along_n>}
  return
}

// -----

// The pull form (`cluster`) at split 3: each rank parks its partial in its
// ring by owner (the same sections as above, local 16-byte stores: owners
// 0 and 1 get five groups of four and one of two, owner 2 five of four),
// and after the cluster barrier the owner reads its section of every rank
// four values per remote load (15 of four, 3 of two), all before any sum.
// CHECK-LABEL: gpu.func @gemm_pull
// CHECK-NOT: !llvm.ptr<7>
// CHECK: nvvm.barrier id = %c1_i32 number_of_threads = %c128_i32
// CHECK-COUNT-5: llvm.store %{{.*}}, %{{.*}} {alignment = 16 : i64} : vector<4xf32>, !llvm.ptr<3>
// CHECK: llvm.store %{{.*}}, %{{.*}} {alignment = 8 : i64} : vector<2xf32>, !llvm.ptr<3>
// CHECK-COUNT-5: llvm.store %{{.*}}, %{{.*}} {alignment = 16 : i64} : vector<4xf32>, !llvm.ptr<3>
// CHECK: llvm.store %{{.*}}, %{{.*}} {alignment = 8 : i64} : vector<2xf32>, !llvm.ptr<3>
// CHECK-COUNT-5: llvm.store %{{.*}}, %{{.*}} {alignment = 16 : i64} : vector<4xf32>, !llvm.ptr<3>
// CHECK-NOT: llvm.store {{.*}} !llvm.ptr<3>
// CHECK: nvvm.cluster.arrive
// CHECK: nvvm.cluster.wait
// CHECK-COUNT-15: llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr<7> -> vector<4xf32>
// CHECK-COUNT-3: llvm.load %{{.*}} {alignment = 8 : i64} : !llvm.ptr<7> -> vector<2xf32>
// CHECK-NOT: llvm.load
// CHECK: arith.addf
// CHECK: nvvm.cluster.arrive
// CHECK: nvvm.cluster.wait
// CHECK: gpu.return
// Without the option: the partial parked one fp32 at a time, 11 pairs x 2
// values x 3 ranks of 4-byte remote loads.
// OFF-LABEL: gpu.func @gemm_pull
// OFF-NOT: vector<4xf32>
// OFF-COUNT-64: llvm.store %{{.*}}, %{{.*}} {alignment = 4 : i64} : f32, !llvm.ptr<3>
// OFF-COUNT-66: llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr<7> -> f32
// OFF-NOT: vector<4xf32>
// OFF: gpu.return
func.func @pull(%x: memref<?x4096xbf16>, %y: memref<256x4096xbf16>, %out: memref<?x256xf32>) {
  gemm.linear_bf16_fp32 ins(%x, %y : memref<?x4096xbf16>, memref<256x4096xbf16>) outs(%out : memref<?x256xf32>) {config = #gemm.config<block_m = 64, block_n = 128, block_k = 64, stages = 8, schedule = warp_specialized, split_k = 3, reduction = cluster, cluster_m = 1, cluster_n = 1, raster = along_n>}
  return
}
