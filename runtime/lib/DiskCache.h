//===- DiskCache.h - On-disk cache of JIT-compiled cubins -------*- C++ -*-===//
//
// When a variant has no cubin for the device, the driver JIT-compiles its
// PTX; the result is kept on disk so the next process start skips the JIT.
// Entries are keyed by sha256(PTX) + the device chip + the driver version
// (a new driver may compile differently), written atomically (temp file in
// the same directory, fsync, rename) and checked on read (magic, version,
// size, sha256 of the payload); a bad entry is deleted and rebuilt, never
// loaded. Pure file code: no CUDA, unit-tested on the CPU.
//
//===----------------------------------------------------------------------===//

#ifndef GEMMRT_LIB_DISKCACHE_H
#define GEMMRT_LIB_DISKCACHE_H

#include "Status.h"

#include <cstdint>
#include <string>
#include <vector>

namespace gemmrt::impl {

struct CacheKey {
  std::string ptxSha256; // 64 lower-case hex digits
  std::string chip;      // the device's, e.g. "sm_90"
  int driverVersion = 0; // cuDriverGetVersion, e.g. 13000

  /// "<ptxSha256>-<chip>-drv<driverVersion>.cubin"; empty when a field
  /// could not be part of a file name.
  std::string fileName() const;
};

/// Entry layout (little-endian):
///   0  char[8]  magic "GEMMRTJC"
///   8  u32      format version (kCacheFormatVersion)
///  12  u32      header size (64)
///  16  u64      payload size
///  24  u8[32]   sha256(payload)
///  56  u8[8]    zero
///  64  payload
constexpr uint32_t kCacheFormatVersion = 1;
constexpr size_t kCacheHeaderSize = 64;
extern const char kCacheMagic[8];

std::vector<uint8_t> encodeCacheEntry(const void *payload, size_t size);

enum class EntryCheck {
  Ok,
  Truncated,
  BadMagic,
  BadVersion,
  BadSize,
  BadChecksum
};
const char *entryCheckName(EntryCheck c);

/// Validates `file` and extracts the payload.
EntryCheck decodeCacheEntry(const std::vector<uint8_t> &file,
                            std::vector<uint8_t> &payload);

/// mkdir -p.
Status ensureDirectory(const std::string &dir);

/// Writes `data` to `path` so that readers see the old file, no file, or
/// the complete new one: temp file in the same directory, fsync, rename.
Status writeFileAtomic(const std::string &path, const void *data, size_t size);

/// The directory that holds the entries: <cacheDir>/jit.
std::string cacheEntryDir(const std::string &cacheDir);

/// <cacheDir>/jit/<key.fileName()>.
std::string cacheEntryPath(const std::string &cacheDir, const CacheKey &key);

/// Writes the entry atomically (writeFileAtomic), then removes stale temp
/// files (removeStaleTempFiles with kStaleTempSeconds).
Status writeCacheEntry(const std::string &cacheDir, const CacheKey &key,
                       const void *payload, size_t size);

/// A writer killed between creating its temp file and the rename leaves
/// "<entry>.tmp.<pid>.<thread>.<n>" behind. Readers never look at such
/// files; writeCacheEntry removes the ones older than this (a live writer
/// holds its temp file for the time of one write and fsync).
constexpr int kStaleTempSeconds = 3600;

/// Removes "*.cubin.tmp.*" files in <cacheDir>/jit whose modification time
/// is at least `olderThanSeconds` in the past. Best effort; returns how many
/// were removed.
size_t removeStaleTempFiles(const std::string &cacheDir, int olderThanSeconds);

enum class CacheLookup { Hit, Miss, Corrupt };

/// Hit: `payload` holds the cubin. Corrupt: the file was bad, has been
/// removed, and `why` says what was wrong. Miss: no entry (or unreadable).
CacheLookup readCacheEntry(const std::string &cacheDir, const CacheKey &key,
                           std::vector<uint8_t> &payload, std::string *why);

/// Removes an entry (e.g. the driver refused a cubin that passed the
/// checks). True when a file was removed.
bool removeCacheEntry(const std::string &cacheDir, const CacheKey &key);

} // namespace gemmrt::impl

#endif // GEMMRT_LIB_DISKCACHE_H
