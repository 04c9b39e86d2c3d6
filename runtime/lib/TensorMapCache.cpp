//===- TensorMapCache.cpp - Cache of encoded TMA descriptors -------------===//

#include "TensorMapCache.h"
#include "CudaDriver.h"

#include <cstring>

namespace gemmrt::impl {

Status encodeTensorMap(const CudaDriver &driver, const TensorMapKey &key,
                       CUtensorMap *out) {
  if (key.elementBytes != 2 && key.elementBytes != 4)
    return makeError(GEMMRT_ERROR_INTERNAL,
                     "tensor map of %u-byte elements (expected 2 or 4)",
                     key.elementBytes);
  bool fp32 = key.elementBytes == 4;
  cuuint64_t dims[2] = {key.cols, key.rows};
  cuuint64_t strides[1] = {key.ld * key.elementBytes};
  cuuint32_t box[2] = {key.box0, key.box1};
  cuuint32_t elementStrides[2] = {1, 1};
  CUresult r = driver.cuTensorMapEncodeTiled(
      out,
      fp32 ? CU_TENSOR_MAP_DATA_TYPE_FLOAT32 : CU_TENSOR_MAP_DATA_TYPE_BFLOAT16,
      2, reinterpret_cast<void *>(key.address), dims, strides, box,
      elementStrides, CU_TENSOR_MAP_INTERLEAVE_NONE, CU_TENSOR_MAP_SWIZZLE_128B,
      CU_TENSOR_MAP_L2_PROMOTION_L2_256B, CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE);
  if (r != CUDA_SUCCESS)
    return makeError(GEMMRT_ERROR_CUDA,
                     "cuTensorMapEncodeTiled(%s, address %#llx, dims {%llu, "
                     "%llu}, stride %llu bytes, box {%u, %u}) failed: %s",
                     fp32 ? "fp32" : "bf16", (unsigned long long)key.address,
                     (unsigned long long)key.cols, (unsigned long long)key.rows,
                     (unsigned long long)(key.ld * key.elementBytes), key.box0,
                     key.box1, driver.errorText(r).c_str());
  return Status::success();
}

TensorMapCache::TensorMapCache(EncodeFn encode)
    : encode_(std::move(encode)), slots_(new Slot[kSets * kWays]),
      leastRecent_(new uint8_t[kSets]()) {}

size_t TensorMapCache::setOf(const TensorMapKey &key) {
  // 64-bit mix (splitmix64 finalizer) of all fields.
  uint64_t h = key.address ^ (key.rows * 0x9e3779b97f4a7c15ull) ^
               (key.cols << 17) ^ (key.ld << 33) ^ (uint64_t(key.box0) << 48) ^
               (uint64_t(key.box1) << 56) ^ (uint64_t(key.elementBytes) << 8);
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return size_t(h % kSets);
}

Status TensorMapCache::get(const TensorMapKey &key, CUtensorMap *out) {
  size_t set = setOf(key);
  Slot *ways = &slots_[set * kWays];
  std::mutex &lock = stripes_[set % kStripes];
  {
    std::lock_guard<std::mutex> guard(lock);
    for (size_t w = 0; w < kWays; ++w) {
      if (ways[w].valid && ways[w].key == key) {
        std::memcpy(out, &ways[w].map, sizeof(CUtensorMap));
        leastRecent_[set] = uint8_t(1 - w);
        hits_.fetch_add(1, std::memory_order_relaxed);
        return Status::success();
      }
    }
  }
  // Encode outside the lock: it is a pure host computation.
  misses_.fetch_add(1, std::memory_order_relaxed);
  if (Status s = encode_(key, out); !s.ok())
    return s;
  std::lock_guard<std::mutex> guard(lock);
  size_t victim = leastRecent_[set];
  for (size_t w = 0; w < kWays; ++w) {
    if (ways[w].valid && ways[w].key == key) {
      victim = w; // another thread inserted it meanwhile
      break;
    }
    if (!ways[w].valid) {
      victim = w;
      break;
    }
  }
  std::memcpy(&ways[victim].map, out, sizeof(CUtensorMap));
  ways[victim].key = key;
  ways[victim].valid = true;
  leastRecent_[set] = uint8_t(1 - victim);
  return Status::success();
}

} // namespace gemmrt::impl
