//===- Backends.cpp - Loading and launching kernels ----------------------===//

#include "Backends.h"
#include "DiskCache.h"
#include "Sha256.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <vector>

namespace gemmrt::impl {

#include "ReferenceKernelImage.inc" // kReferenceImage[], kReferenceImageSize

const unsigned char *referenceImage(size_t *size) {
  if (size)
    *size = kReferenceImageSize;
  return kReferenceImage;
}

//===----------------------------------------------------------------------===//
// Loading bundle variants
//===----------------------------------------------------------------------===//

static const char *paramKindName(ParamKind k) {
  switch (k) {
  case ParamKind::TmaDesc:
    return "tma_desc";
  case ParamKind::Ptr:
    return "ptr";
  case ParamKind::I32:
    return "i32";
  case ParamKind::I64:
    return "i64";
  }
  return "?";
}

/// PTX -> cubin with the driver's JIT (cuLink*), so the result can be kept
/// in the disk cache; cuModuleLoadDataEx on the PTX would give no cubin.
static Status jitCompile(const CudaDriver &drv, const std::string &ptx,
                         const Variant &v, std::vector<uint8_t> &cubin,
                         std::string *info) {
  static thread_local char errorLog[16384];
  static thread_local char infoLog[4096];
  errorLog[0] = infoLog[0] = '\0';
  CUjit_option options[] = {
      CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES,
      CU_JIT_INFO_LOG_BUFFER,  CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES,
      CU_JIT_LOG_VERBOSE};
  void *values[] = {errorLog, reinterpret_cast<void *>(sizeof(errorLog)),
                    infoLog, reinterpret_cast<void *>(sizeof(infoLog)),
                    reinterpret_cast<void *>(uintptr_t(info ? 1 : 0))};
  CUlinkState link = nullptr;
  CUresult r = drv.cuLinkCreate(5, options, values, &link);
  if (r != CUDA_SUCCESS)
    return makeError(GEMMRT_ERROR_CUDA, "variant %s: cuLinkCreate failed: %s",
                     v.name.c_str(), drv.errorText(r).c_str());
  // PTX is text: pass it with its terminating NUL.
  r = drv.cuLinkAddData(link, CU_JIT_INPUT_PTX, const_cast<char *>(ptx.c_str()),
                        ptx.size() + 1, v.name.c_str(), 0, nullptr, nullptr);
  void *image = nullptr;
  size_t imageSize = 0;
  if (r == CUDA_SUCCESS)
    r = drv.cuLinkComplete(link, &image, &imageSize);
  if (r != CUDA_SUCCESS) {
    Status s = makeError(
        GEMMRT_ERROR_CUDA, "variant %s: JIT compilation of '%s' failed: %s%s%s",
        v.name.c_str(), v.ptxPath.c_str(), drv.errorText(r).c_str(),
        errorLog[0] ? ": " : "", errorLog);
    drv.cuLinkDestroy(link);
    return s;
  }
  if (info)
    *info = infoLog;
  const uint8_t *bytes = static_cast<const uint8_t *>(image);
  cubin.assign(bytes, bytes + imageSize);
  drv.cuLinkDestroy(link);
  return Status::success();
}

/// The kernel must be what the manifest says it is: anything else would
/// launch with a wrong parameter buffer or geometry.
static Status checkKernel(const CudaDriver &drv, const DeviceState &dev,
                          const Variant &v, CUfunction fn) {
  const char *name = v.name.c_str();
  int maxThreads = 0, staticSmem = 0;
  if (Status s = drv.check(
          drv.cuFuncGetAttribute(&maxThreads,
                                 CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK, fn),
          "cuFuncGetAttribute(MAX_THREADS_PER_BLOCK)");
      !s.ok())
    return s;
  unsigned threads = v.block[0] * v.block[1] * v.block[2];
  if (unsigned(maxThreads) < threads)
    return makeError(GEMMRT_ERROR_BUNDLE,
                     "variant %s: kernel %s allows at most %d threads per "
                     "block but manifest.json says block [%u, %u, %u]",
                     name, v.kernel.c_str(), maxThreads, v.block[0], v.block[1],
                     v.block[2]);
  if (Status s =
          drv.check(drv.cuFuncGetAttribute(
                        &staticSmem, CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES, fn),
                    "cuFuncGetAttribute(SHARED_SIZE_BYTES)");
      !s.ok())
    return s;
  if (v.dynamicSmemBytes + staticSmem > dev.maxDynamicSmemOptin)
    return makeError(GEMMRT_ERROR_UNSUPPORTED_DEVICE,
                     "variant %s needs %lld bytes of dynamic + %d of static "
                     "shared memory; device %s allows %d per block",
                     name, (long long)v.dynamicSmemBytes, staticSmem,
                     dev.name.c_str(), dev.maxDynamicSmemOptin);
  if (Status s =
          drv.check(drv.cuFuncSetAttribute(
                        fn, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                        int(v.dynamicSmemBytes)),
                    "cuFuncSetAttribute(MAX_DYNAMIC_SHARED_SIZE_BYTES)");
      !s.ok())
    return s.prefix("variant " + v.name + ": ");
  if (v.cluster[0] * v.cluster[1] * v.cluster[2] > 8)
    if (Status s = drv.check(
            drv.cuFuncSetAttribute(
                fn, CU_FUNC_ATTRIBUTE_NON_PORTABLE_CLUSTER_SIZE_ALLOWED, 1),
            "cuFuncSetAttribute(NON_PORTABLE_CLUSTER_SIZE_ALLOWED)");
        !s.ok())
      return s.prefix("variant " + v.name + ": ");

  // Parameter count and sizes (drivers >= 12.4 can tell). Offsets are the
  // driver's business: kernelParams passes one pointer per parameter, so a
  // kernel whose descriptors are aligned to 128 (CUDA 13's CUtensorMap)
  // instead of 64 works the same.
  if (drv.cuFuncGetParamInfo) {
    for (size_t i = 0; i < v.params.size(); ++i) {
      const ParamSpec &p = v.params[i];
      size_t offset = 0, size = 0;
      CUresult r = drv.cuFuncGetParamInfo(fn, i, &offset, &size);
      if (r != CUDA_SUCCESS)
        return makeError(GEMMRT_ERROR_BUNDLE,
                         "variant %s: kernel %s has fewer parameters than "
                         "the %zu that manifest.json lists (no parameter "
                         "%zu)",
                         name, v.kernel.c_str(), v.params.size(), i);
      if (size != p.size)
        return makeError(GEMMRT_ERROR_BUNDLE,
                         "variant %s: kernel %s parameter %zu is %zu bytes "
                         "(at offset %zu), but manifest.json says '%s', "
                         "which is %u bytes",
                         name, v.kernel.c_str(), i, size, offset,
                         paramKindName(p.kind), p.size);
    }
    size_t offset = 0, size = 0;
    if (drv.cuFuncGetParamInfo(fn, v.params.size(), &offset, &size) ==
        CUDA_SUCCESS)
      return makeError(GEMMRT_ERROR_BUNDLE,
                       "variant %s: kernel %s has more parameters than the "
                       "%zu that manifest.json lists",
                       name, v.kernel.c_str(), v.params.size());
  }
  return Status::success();
}

static const char *loadPathName(LoadPath p) {
  switch (p) {
  case LoadPath::Cubin:
    return "cubin";
  case LoadPath::DiskCache:
    return "disk cache";
  case LoadPath::Jit:
    return "PTX JIT";
  }
  return "?";
}

Status loadVariantKernel(const CudaDriver &drv, const DeviceState &dev,
                         const Variant &v, const std::string &cacheDir,
                         Logger &log, KernelSlot &slot, LoadPath *pathOut) {
  auto start = std::chrono::steady_clock::now();
  const char *name = v.name.c_str();
  CUmodule module = nullptr;
  LoadPath path = LoadPath::Jit;
  std::string why;

  // 1. The cubin, when it was assembled for exactly this device.
  if (!v.cubinPath.empty() &&
      cubinRunsOn(v.chipInfo, dev.caps.ccMajor, dev.caps.ccMinor)) {
    std::string image;
    if (!readFile(v.cubinPath, image, &why))
      return makeError(GEMMRT_ERROR_BUNDLE, "variant %s: cannot read '%s': %s",
                       name, v.cubinPath.c_str(), why.c_str());
    CUresult r = drv.cuModuleLoadData(&module, image.data());
    if (r == CUDA_SUCCESS)
      path = LoadPath::Cubin;
    else {
      module = nullptr;
      log.line(formatString("variant %s: cuModuleLoadData('%s') failed: %s; "
                            "JIT-compiling the PTX instead",
                            name, v.cubinPath.c_str(),
                            drv.errorText(r).c_str()));
    }
  }

  // 2. The PTX: from the disk cache, else JIT-compiled (and cached).
  if (!module) {
    std::string ptx;
    if (!readFile(v.ptxPath, ptx, &why))
      return makeError(GEMMRT_ERROR_BUNDLE, "variant %s: cannot read '%s': %s",
                       name, v.ptxPath.c_str(), why.c_str());
    std::string sha = Sha256::hashHex(ptx.data(), ptx.size());
    if (sha != v.ptxSha256)
      return makeError(GEMMRT_ERROR_BUNDLE,
                       "variant %s: '%s' has sha256 %s but manifest.json says "
                       "ptx_sha256 %s (was the bundle modified after "
                       "gemm-compile?)",
                       name, v.ptxPath.c_str(), sha.c_str(),
                       v.ptxSha256.c_str());
    CacheKey key{sha, dev.chip, drv.driverVersion};
    if (!cacheDir.empty()) {
      std::vector<uint8_t> cached;
      CacheLookup found = readCacheEntry(cacheDir, key, cached, &why);
      if (found == CacheLookup::Hit) {
        CUresult r = drv.cuModuleLoadData(&module, cached.data());
        if (r == CUDA_SUCCESS) {
          path = LoadPath::DiskCache;
        } else {
          module = nullptr;
          removeCacheEntry(cacheDir, key);
          log.line(formatString("variant %s: the driver refused the cached "
                                "cubin '%s' (%s); removed, rebuilding",
                                name, cacheEntryPath(cacheDir, key).c_str(),
                                drv.errorText(r).c_str()));
        }
      } else if (found == CacheLookup::Corrupt) {
        log.line(formatString("variant %s: corrupt disk cache entry %s; "
                              "rebuilding",
                              name, why.c_str()));
      }
    }
    if (!module) {
      std::vector<uint8_t> cubin;
      std::string info;
      if (Status s = jitCompile(drv, ptx, v, cubin,
                                log.enabled() ? &info : nullptr);
          !s.ok())
        return s;
      if (!info.empty())
        log.line("variant " + v.name + ": JIT: " + info);
      if (Status s = drv.check(drv.cuModuleLoadData(&module, cubin.data()),
                               "cuModuleLoadData(JIT output)");
          !s.ok())
        return s.prefix("variant " + v.name + ": ");
      path = LoadPath::Jit;
      if (!cacheDir.empty()) {
        Status w = writeCacheEntry(cacheDir, key, cubin.data(), cubin.size());
        if (!w.ok())
          log.line("variant " + v.name +
                   ": disk cache not written: " + w.message());
      }
    }
  }

  CUfunction fn = nullptr;
  CUresult r = drv.cuModuleGetFunction(&fn, module, v.kernel.c_str());
  if (r != CUDA_SUCCESS) {
    drv.cuModuleUnload(module);
    return makeError(GEMMRT_ERROR_BUNDLE,
                     "variant %s: kernel symbol '%s' not found in '%s': %s",
                     name, v.kernel.c_str(),
                     path == LoadPath::Cubin ? v.cubinPath.c_str()
                                             : v.ptxPath.c_str(),
                     drv.errorText(r).c_str());
  }
  if (Status s = checkKernel(drv, dev, v, fn); !s.ok()) {
    drv.cuModuleUnload(module);
    return s;
  }
  slot.module = module;
  slot.function = fn;
  if (pathOut)
    *pathOut = path;
  double ms = std::chrono::duration<double, std::milli>(
                  std::chrono::steady_clock::now() - start)
                  .count();
  log.line(formatString("loaded variant %s (kernel %s) on %s from %s in %.1f "
                        "ms",
                        name, v.kernel.c_str(), dev.chip.c_str(),
                        loadPathName(path), ms));
  return Status::success();
}

//===----------------------------------------------------------------------===//
// Launching bundle variants
//===----------------------------------------------------------------------===//

static unsigned roundUp(uint64_t x, unsigned multiple) {
  return unsigned((x + multiple - 1) / multiple * multiple);
}

void gridFor(const Variant &v, int64_t m, int64_t n, unsigned grid[3],
             int smCount) {
  uint64_t gx = uint64_t((n + v.grid.blockN - 1) / v.grid.blockN);
  uint64_t gy = uint64_t((m + v.grid.blockM - 1) / v.grid.blockM);
  if (v.grid.kind == GridKind::Persistent) {
    // The kernel derives the same cluster tiles from M and N and walks
    // them with a stride of gridDim.x / cluster x.
    uint64_t cx = v.cluster[0], cy = v.cluster[1];
    uint64_t tiles = ((gx + cx - 1) / cx) * ((gy + cy - 1) / cy);
    uint64_t resident =
        smCount > 0 ? std::max<uint64_t>(1, smCount / (cx * cy)) : tiles;
    grid[0] = unsigned(cx * std::min(tiles, resident));
    grid[1] = unsigned(cy);
    grid[2] = 1;
    return;
  }
  uint64_t gz = uint64_t(v.grid.splitK);
  // A cluster launch needs whole clusters; the extra blocks are entirely
  // out of range and write nothing (the kernel masks its tails anyway).
  grid[0] = roundUp(gx, v.cluster[0]);
  grid[1] = roundUp(gy, v.cluster[1]);
  grid[2] = roundUp(gz, v.cluster[2]);
}

static int64_t scalarValue(ScalarRef ref, const GemmArgs &a) {
  switch (ref) {
  case ScalarRef::M:
    return a.m;
  case ScalarRef::N:
    return a.n;
  case ScalarRef::K:
    return a.k;
  case ScalarRef::Lda:
    return a.lda;
  case ScalarRef::Ldb:
    return a.ldb;
  case ScalarRef::Ldc:
    return a.ldc;
  }
  return 0;
}

Status buildParams(const Variant &v, const GemmArgs &a,
                   TensorMapCache &tensorMaps, unsigned char *buffer,
                   void **args) {
  for (size_t i = 0; i < v.params.size(); ++i) {
    const ParamSpec &p = v.params[i];
    unsigned char *dst = buffer + p.offset;
    args[i] = dst;
    switch (p.kind) {
    case ParamKind::TmaDesc: {
      // x [M, K] and y [N, K] bf16; out [M, N] fp32 (a TMA-store epilogue).
      TensorMapKey key;
      switch (p.tensor) {
      case TensorRef::X:
        key = {a.x, uint64_t(a.m), uint64_t(a.k), uint64_t(a.lda)};
        break;
      case TensorRef::Y:
        key = {a.y, uint64_t(a.n), uint64_t(a.k), uint64_t(a.ldb)};
        break;
      case TensorRef::Out:
        key = {a.out, uint64_t(a.m), uint64_t(a.n), uint64_t(a.ldc)};
        key.elementBytes = 4;
        break;
      }
      key.box0 = p.box[0];
      key.box1 = p.box[1];
      if (Status s = tensorMaps.get(key, reinterpret_cast<CUtensorMap *>(dst));
          !s.ok())
        return s.prefix(
            formatString("variant %s: tma_desc %s: ", v.name.c_str(),
                         p.tensor == TensorRef::X   ? "x"
                         : p.tensor == TensorRef::Y ? "y"
                                                    : "out"));
      break;
    }
    case ParamKind::Ptr: {
      uint64_t ptr = p.tensor == TensorRef::X   ? a.x
                     : p.tensor == TensorRef::Y ? a.y
                                                : a.out;
      std::memcpy(dst, &ptr, sizeof(ptr));
      break;
    }
    case ParamKind::I32: {
      int64_t value = scalarValue(p.value, a);
      if (value > std::numeric_limits<int32_t>::max())
        return makeError(GEMMRT_ERROR_UNSUPPORTED_SHAPE,
                         "variant %s: parameter %zu (i32) cannot hold %lld",
                         v.name.c_str(), i, (long long)value);
      int32_t v32 = int32_t(value);
      std::memcpy(dst, &v32, sizeof(v32));
      break;
    }
    case ParamKind::I64: {
      int64_t value = scalarValue(p.value, a);
      std::memcpy(dst, &value, sizeof(value));
      break;
    }
    }
  }
  return Status::success();
}

Status launchGenerated(const CudaDriver &drv, DeviceState &dev,
                       const Variant &v, CUfunction fn, const GemmArgs &a,
                       CUstream stream, bool programmaticLaunch) {
  // 128: CUDA 13's CUtensorMap alignment (the descriptors are built in place).
  alignas(128) unsigned char buffer[kMaxParamBytes];
  void *args[kMaxParams];
  if (Status s = buildParams(v, a, dev.tensorMaps, buffer, args); !s.ok())
    return s;
  unsigned grid[3];
  gridFor(v, a.m, a.n, grid, dev.smCount);

  CUlaunchConfig config;
  std::memset(&config, 0, sizeof(config));
  config.gridDimX = grid[0];
  config.gridDimY = grid[1];
  config.gridDimZ = grid[2];
  config.blockDimX = v.block[0];
  config.blockDimY = v.block[1];
  config.blockDimZ = v.block[2];
  config.sharedMemBytes = unsigned(v.dynamicSmemBytes);
  config.hStream = stream;
  CUlaunchAttribute attrs[2];
  std::memset(attrs, 0, sizeof(attrs));
  unsigned numAttrs = 0;
  if (v.cluster[0] * v.cluster[1] * v.cluster[2] > 1) {
    CUlaunchAttribute &attr = attrs[numAttrs++];
    attr.id = CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION;
    attr.value.clusterDim.x = v.cluster[0];
    attr.value.clusterDim.y = v.cluster[1];
    attr.value.clusterDim.z = v.cluster[2];
  }
  if (programmaticLaunch && v.programmaticLaunch) {
    CUlaunchAttribute &attr = attrs[numAttrs++];
    attr.id = CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_STREAM_SERIALIZATION;
    attr.value.programmaticStreamSerializationAllowed = 1;
  }
  config.attrs = numAttrs ? attrs : nullptr;
  config.numAttrs = numAttrs;
  CUresult r = drv.cuLaunchKernelEx(&config, fn, args, nullptr);
  if (r != CUDA_SUCCESS)
    return makeError(GEMMRT_ERROR_CUDA,
                     "cuLaunchKernelEx(variant %s, grid [%u, %u, %u], block "
                     "[%u, %u, %u], cluster [%u, %u, %u], %lld bytes dynamic "
                     "shared memory) failed: %s",
                     v.name.c_str(), grid[0], grid[1], grid[2], v.block[0],
                     v.block[1], v.block[2], v.cluster[0], v.cluster[1],
                     v.cluster[2], (long long)v.dynamicSmemBytes,
                     drv.errorText(r).c_str());
  return Status::success();
}

//===----------------------------------------------------------------------===//
// Reference backend
//===----------------------------------------------------------------------===//

static const char kReferenceKernelName[] = "gemmrt_reference_bf16_fp32";

Status loadReferenceKernel(const CudaDriver &drv, KernelSlot &slot) {
  CUmodule module = nullptr;
  if (Status s = drv.check(drv.cuModuleLoadData(&module, kReferenceImage),
                           "cuModuleLoadData(reference kernel fatbin)");
      !s.ok())
    return s;
  CUfunction fn = nullptr;
  if (Status s =
          drv.check(drv.cuModuleGetFunction(&fn, module, kReferenceKernelName),
                    "cuModuleGetFunction(gemmrt_reference_bf16_fp32)");
      !s.ok()) {
    drv.cuModuleUnload(module);
    return s;
  }
  slot.module = module;
  slot.function = fn;
  return Status::success();
}

Status launchReference(const CudaDriver &drv, CUfunction fn, const GemmArgs &a,
                       CUstream stream) {
  const void *x = reinterpret_cast<const void *>(a.x);
  const void *y = reinterpret_cast<const void *>(a.y);
  void *out = reinterpret_cast<void *>(a.out);
  long long lda = a.lda, ldb = a.ldb, ldc = a.ldc, m = a.m, n = a.n, k = a.k;
  void *args[] = {&x, &lda, &y, &ldb, &out, &ldc, &m, &n, &k};
  const unsigned threads = 256;
  uint64_t blocks = (uint64_t(m) * uint64_t(n) + threads - 1) / threads;
  // Grid-stride loop: any M * N fits in a bounded grid.
  if (blocks > (1u << 20))
    blocks = 1u << 20;

  CUlaunchConfig config;
  std::memset(&config, 0, sizeof(config));
  config.gridDimX = unsigned(blocks);
  config.gridDimY = config.gridDimZ = 1;
  config.blockDimX = threads;
  config.blockDimY = config.blockDimZ = 1;
  config.hStream = stream;
  CUresult r = drv.cuLaunchKernelEx(&config, fn, args, nullptr);
  if (r != CUDA_SUCCESS)
    return makeError(GEMMRT_ERROR_CUDA,
                     "cuLaunchKernelEx(reference kernel, M=%lld N=%lld "
                     "K=%lld) failed: %s",
                     m, n, k, drv.errorText(r).c_str());
  return Status::success();
}

} // namespace gemmrt::impl
