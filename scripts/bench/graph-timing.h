// graphPerCallUs: how the standalone probes in this folder time kernels,
// the way gemm-bench times GEMMs: `calls` launches captured in one CUDA
// graph, replayed `warmups` times, then 15 timed replays; the median
// replay's time per call, in microseconds.
#ifndef GEMMGEN_SCRIPTS_BENCH_GRAPH_TIMING_H
#define GEMMGEN_SCRIPTS_BENCH_GRAPH_TIMING_H

#include "cuda-check.h"

#include <cuda_runtime.h>

#include <algorithm>
#include <vector>

// `launch(i)` enqueues call i on `stream` (it is captured, not run).
template <typename Launch>
float graphPerCallUs(cudaStream_t stream, int calls, int warmups,
                     const Launch &launch) {
  cudaGraph_t graph;
  CHECK(cudaStreamBeginCapture(stream, cudaStreamCaptureModeGlobal));
  for (int i = 0; i < calls; ++i)
    launch(i);
  CHECK(cudaStreamEndCapture(stream, &graph));
  cudaGraphExec_t exec;
  CHECK(cudaGraphInstantiate(&exec, graph, 0));
  cudaEvent_t start, stop;
  CHECK(cudaEventCreate(&start));
  CHECK(cudaEventCreate(&stop));
  for (int w = 0; w < warmups; ++w)
    CHECK(cudaGraphLaunch(exec, stream));
  std::vector<float> us;
  for (int r = 0; r < 15; ++r) {
    CHECK(cudaEventRecord(start, stream));
    CHECK(cudaGraphLaunch(exec, stream));
    CHECK(cudaEventRecord(stop, stream));
    CHECK(cudaEventSynchronize(stop));
    float ms = 0;
    CHECK(cudaEventElapsedTime(&ms, start, stop));
    us.push_back(ms * 1000.0f / calls);
  }
  CHECK(cudaGetLastError());
  CHECK(cudaEventDestroy(start));
  CHECK(cudaEventDestroy(stop));
  CHECK(cudaGraphExecDestroy(exec));
  CHECK(cudaGraphDestroy(graph));
  std::sort(us.begin(), us.end());
  return us[us.size() / 2];
}

#endif // GEMMGEN_SCRIPTS_BENCH_GRAPH_TIMING_H
