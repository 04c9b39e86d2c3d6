//===- Sha256.h - Small SHA-256 (FIPS 180-4) implementation -----*- C++ -*-===//
//
// Used to key the on-disk JIT cache by PTX contents, to checksum cache
// entries and to check ptx_sha256 from the manifest. Written here so the
// runtime needs no crypto library.
//
//===----------------------------------------------------------------------===//

#ifndef GEMMRT_LIB_SHA256_H
#define GEMMRT_LIB_SHA256_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace gemmrt::impl {

using Sha256Digest = std::array<uint8_t, 32>;

class Sha256 {
public:
  Sha256();
  void update(const void *data, size_t size);
  Sha256Digest finish();

  static Sha256Digest hash(const void *data, size_t size);
  static std::string hashHex(const void *data, size_t size);

private:
  void compress(const uint8_t *block);

  uint32_t state_[8];
  uint8_t buffer_[64];
  size_t bufferSize_ = 0;
  uint64_t totalBytes_ = 0;
};

/// Lower-case hex of `size` bytes.
std::string toHex(const uint8_t *bytes, size_t size);
inline std::string toHex(const Sha256Digest &d) {
  return toHex(d.data(), d.size());
}

} // namespace gemmrt::impl

#endif // GEMMRT_LIB_SHA256_H
