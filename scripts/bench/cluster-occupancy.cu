// How many clusters of each size the GPU keeps resident at once, for CTAs
// that take a whole SM's shared memory (the warp-specialized kernels) and
// for smaller ones. gemm-select-config's model needs these numbers: a grid
// with more clusters than fit runs in several waves.
//   nvcc -arch=sm_90a -o cluster-occupancy cluster-occupancy.cu && ./cluster-occupancy
#include <cstdio>
#include <cuda_runtime.h>

__global__ void probe(float *out) {
  extern __shared__ float smem[];
  if (out)
    out[blockIdx.x] = smem[threadIdx.x];
}

int main() {
  cudaFuncSetAttribute(probe, cudaFuncAttributeMaxDynamicSharedMemorySize,
                       227 * 1024);
  cudaFuncSetAttribute(probe, cudaFuncAttributeNonPortableClusterSizeAllowed,
                       1);
  cudaDeviceProp prop;
  cudaGetDeviceProperties(&prop, 0);
  printf("device %s, %d SMs\n", prop.name, prop.multiProcessorCount);
  printf("threads,smem_kib,cluster,max_active_clusters,ctas\n");
  for (int threads : {256, 384}) {
    for (int smemKiB : {100, 200, 227}) {
      for (int cluster : {1, 2, 3, 4, 5, 6, 7, 8, 16}) {
        cudaLaunchConfig_t cfg = {};
        cfg.gridDim = dim3(cluster * 64, 1, 1);
        cfg.blockDim = dim3(threads, 1, 1);
        cfg.dynamicSmemBytes = smemKiB * 1024;
        cudaLaunchAttribute attr;
        attr.id = cudaLaunchAttributeClusterDimension;
        attr.val.clusterDim.x = cluster;
        attr.val.clusterDim.y = 1;
        attr.val.clusterDim.z = 1;
        cfg.attrs = &attr;
        cfg.numAttrs = 1;
        int n = -1;
        cudaError_t e = cudaOccupancyMaxActiveClusters(&n, probe, &cfg);
        if (e != cudaSuccess) {
          printf("%d,%d,%d,error: %s\n", threads, smemKiB, cluster,
                 cudaGetErrorString(e));
          cudaGetLastError();
          continue;
        }
        printf("%d,%d,%d,%d,%d\n", threads, smemKiB, cluster, n, n * cluster);
      }
    }
  }
  return 0;
}
