//===- TensorMapCache.h - Cache of encoded TMA descriptors ------*- C++ -*-===//
//
// Generated kernels take their x and y operands (and, with a TMA-store
// epilogue, out) as CUtensorMaps by value.
// Encoding one (cuTensorMapEncodeTiled) costs a host call per operand; the
// weight y is the same tensor on every call of a layer, so a small
// fixed-size table keyed by (address, rows, K, ld, box) skips it. The table
// is 2-way set-associative (LRU within a set) with striped locks: bounded
// memory, no allocation after construction, and a miss simply re-encodes
// (activations change address and M every step, so they would only churn an
// unbounded map). Two ways keep a call's x and y both cached even when they
// land in the same set.
//
//===----------------------------------------------------------------------===//

#ifndef GEMMRT_LIB_TENSORMAPCACHE_H
#define GEMMRT_LIB_TENSORMAPCACHE_H

#include "Status.h"

#include <cuda.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

namespace gemmrt::impl {

struct CudaDriver;

/// A row-major matrix [rows, cols] of `elementBytes`-byte elements (2: bf16,
/// x and y; 4: fp32, out) with row stride `ld` elements, read or written
/// through boxes of {box0 (along cols), box1 (along rows)}.
struct TensorMapKey {
  uint64_t address = 0;
  uint64_t rows = 0;
  uint64_t cols = 0;
  uint64_t ld = 0;
  uint32_t box0 = 0;
  uint32_t box1 = 0;
  uint32_t elementBytes = 2;

  bool operator==(const TensorMapKey &o) const {
    return address == o.address && rows == o.rows && cols == o.cols &&
           ld == o.ld && box0 == o.box0 && box1 == o.box1 &&
           elementBytes == o.elementBytes;
  }
};

/// Encodes `key` as docs/bundle.md says: bf16 (elementBytes 2) or fp32
/// (4), rank 2, dims {cols, rows}, stride {ld * elementBytes} bytes, box
/// {box0, box1}, element strides {1, 1}, INTERLEAVE_NONE, SWIZZLE_128B,
/// L2_PROMOTION_L2_256B, FLOAT_OOB_FILL_NONE.
Status encodeTensorMap(const CudaDriver &driver, const TensorMapKey &key,
                       CUtensorMap *out);

class TensorMapCache {
public:
  using EncodeFn = std::function<Status(const TensorMapKey &, CUtensorMap *)>;

  static constexpr size_t kSets = 512;
  static constexpr size_t kWays = 2;
  static constexpr size_t kStripes = 64;

  explicit TensorMapCache(EncodeFn encode);

  /// Copies the descriptor for `key` into *out, encoding it on a miss.
  Status get(const TensorMapKey &key, CUtensorMap *out);

  uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  uint64_t misses() const { return misses_.load(std::memory_order_relaxed); }

  static size_t setOf(const TensorMapKey &key);

private:
  struct alignas(128) Slot {
    CUtensorMap map;
    TensorMapKey key;
    bool valid = false;
  };

  EncodeFn encode_;
  std::unique_ptr<Slot[]> slots_;          // kSets * kWays
  std::unique_ptr<uint8_t[]> leastRecent_; // per set: the way to evict
  std::mutex stripes_[kStripes];
  std::atomic<uint64_t> hits_{0}, misses_{0};
};

} // namespace gemmrt::impl

#endif // GEMMRT_LIB_TENSORMAPCACHE_H
