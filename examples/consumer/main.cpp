//===- main.cpp - Example consumer of the gemmrt C API -------------------===//
//
// Creates a runtime over the bundle directories given on the command line,
// reports the device, and prints the backend choice for the DeepSeek-V4
// shapes. Device memory belongs to the engine (see
// runtime/tools/gemmrt-overhead.cpp for a complete call on a GPU); here only
// the error path of a call is shown. Exits 0 without a GPU.
//
//===----------------------------------------------------------------------===//

#include <gemmrt/gemmrt.h>

#include <cstdio>

int main(int argc, char **argv) {
  std::printf("gemmrt-consumer: libgemmrt %s\n", gemmrt_version());

  gemmrt_runtime *rt = nullptr;
  if (gemmrt_create(&rt, argc > 1 ? argv + 1 : nullptr, argc - 1) !=
      GEMMRT_OK) {
    std::fprintf(stderr, "gemmrt-consumer: gemmrt_create: %s\n",
                 gemmrt_last_error());
    return 1;
  }

  int devices = 0;
  if (gemmrt_device_count(&devices) == GEMMRT_OK)
    std::printf("gemmrt-consumer: %d CUDA device(s)\n", devices);
  else
    std::printf("gemmrt-consumer: no CUDA device (%s); calls would return "
                "%s\n",
                gemmrt_last_error(),
                gemmrt_status_string(GEMMRT_ERROR_NO_DEVICE));

  const long long shapes[][2] = {{256, 4096}, {384, 7168}, {2048, 7168}};
  const long long ms[] = {1, 64, 4096};
  for (const auto &nk : shapes)
    for (long long m : ms) {
      char what[512];
      gemmrt_status s =
          gemmrt_describe_choice(rt, m, nk[0], nk[1], what, sizeof(what));
      std::printf("gemmrt-consumer: [%s] %s\n", gemmrt_status_string(s), what);
    }

  // Bad input is an error code and a message, never a crash.
  gemmrt_status s = gemmrt_linear_bf16_fp32(rt, nullptr, 64, nullptr, 64,
                                            nullptr, 64, 1, 64, 64, nullptr);
  std::printf("gemmrt-consumer: NULL x -> %s: %s\n", gemmrt_status_string(s),
              gemmrt_last_error());

  gemmrt_destroy(rt);
  return s == GEMMRT_ERROR_INVALID_ARGUMENT ? 0 : 1;
}
