// RUN: gemm-opt %s --pass-pipeline="builtin.module(gpu.module(gemm-extern-shared-memory))" | FileCheck %s

// CHECK-LABEL: gpu.module @kernels
// CHECK: memref.global "public" @__gemm_dynamic_smem : memref<0xi8, #gpu.address_space<workgroup>> {alignment = 16 : i64}
// CHECK-LABEL: gpu.func @k
// CHECK-NOT: gpu.dynamic_shared_memory
// CHECK: %[[G:.*]] = memref.get_global @__gemm_dynamic_smem
// CHECK: %[[V:.*]] = memref.reinterpret_cast %[[G]] to offset: [0], sizes: [%{{.*}}], strides: [1]
// CHECK: memref.view %[[V]]
// CHECK-LABEL: gpu.func @k2
// CHECK: memref.get_global @__gemm_dynamic_smem
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @k(%out: memref<4xf32>) kernel {
      %c0 = arith.constant 0 : index
      %d = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
      %v = memref.view %d[%c0][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<4xf32, #gpu.address_space<workgroup>>
      %x = memref.load %v[%c0] : memref<4xf32, #gpu.address_space<workgroup>>
      memref.store %x, %out[%c0] : memref<4xf32>
      gpu.return
    }
    // A second kernel shares the one declaration.
    gpu.func @k2() kernel {
      %d = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
      gpu.return
    }
  }
}
