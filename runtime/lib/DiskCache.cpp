//===- DiskCache.cpp - On-disk cache of JIT-compiled cubins --------------===//

#include "DiskCache.h"
#include "Sha256.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <functional>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace gemmrt::impl {

const char kCacheMagic[8] = {'G', 'E', 'M', 'M', 'R', 'T', 'J', 'C'};

static bool isFileNameSafe(const std::string &s) {
  if (s.empty())
    return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9') || c == '_'))
      return false;
  return true;
}

std::string CacheKey::fileName() const {
  if (ptxSha256.size() != 64 || !isFileNameSafe(ptxSha256) ||
      !isFileNameSafe(chip) || driverVersion <= 0)
    return std::string();
  return ptxSha256 + "-" + chip + "-drv" + std::to_string(driverVersion) +
         ".cubin";
}

static void putU32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    p[i] = uint8_t(v >> (8 * i));
}
static void putU64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    p[i] = uint8_t(v >> (8 * i));
}
static uint32_t getU32(const uint8_t *p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v |= uint32_t(p[i]) << (8 * i);
  return v;
}
static uint64_t getU64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i)
    v |= uint64_t(p[i]) << (8 * i);
  return v;
}

std::vector<uint8_t> encodeCacheEntry(const void *payload, size_t size) {
  std::vector<uint8_t> out(kCacheHeaderSize + size, 0);
  std::memcpy(out.data(), kCacheMagic, 8);
  putU32(out.data() + 8, kCacheFormatVersion);
  putU32(out.data() + 12, uint32_t(kCacheHeaderSize));
  putU64(out.data() + 16, uint64_t(size));
  Sha256Digest digest = Sha256::hash(payload, size);
  std::memcpy(out.data() + 24, digest.data(), digest.size());
  if (size)
    std::memcpy(out.data() + kCacheHeaderSize, payload, size);
  return out;
}

const char *entryCheckName(EntryCheck c) {
  switch (c) {
  case EntryCheck::Ok:
    return "ok";
  case EntryCheck::Truncated:
    return "shorter than the header";
  case EntryCheck::BadMagic:
    return "bad magic";
  case EntryCheck::BadVersion:
    return "unknown format version";
  case EntryCheck::BadSize:
    return "file size does not match the payload size in the header";
  case EntryCheck::BadChecksum:
    return "payload sha256 mismatch";
  }
  return "?";
}

EntryCheck decodeCacheEntry(const std::vector<uint8_t> &file,
                            std::vector<uint8_t> &payload) {
  if (file.size() < kCacheHeaderSize)
    return EntryCheck::Truncated;
  if (std::memcmp(file.data(), kCacheMagic, 8) != 0)
    return EntryCheck::BadMagic;
  if (getU32(file.data() + 8) != kCacheFormatVersion ||
      getU32(file.data() + 12) != kCacheHeaderSize)
    return EntryCheck::BadVersion;
  uint64_t size = getU64(file.data() + 16);
  if (size != file.size() - kCacheHeaderSize)
    return EntryCheck::BadSize;
  Sha256Digest digest =
      Sha256::hash(file.data() + kCacheHeaderSize, size_t(size));
  if (std::memcmp(digest.data(), file.data() + 24, digest.size()) != 0)
    return EntryCheck::BadChecksum;
  payload.assign(file.begin() + kCacheHeaderSize, file.end());
  return EntryCheck::Ok;
}

Status ensureDirectory(const std::string &dir) {
  if (dir.empty())
    return makeError(GEMMRT_ERROR_CACHE, "cache directory path is empty");
  std::string partial;
  size_t pos = 0;
  while (pos != std::string::npos) {
    pos = dir.find('/', pos + 1);
    partial = dir.substr(0, pos);
    if (partial.empty() || partial == "/")
      continue;
    if (::mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST)
      return makeError(GEMMRT_ERROR_CACHE, "cannot create directory '%s': %s",
                       partial.c_str(), std::strerror(errno));
  }
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return makeError(GEMMRT_ERROR_CACHE, "'%s' is not a directory",
                     dir.c_str());
  return Status::success();
}

static std::string dirName(const std::string &path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos)
    return ".";
  if (slash == 0)
    return "/";
  return path.substr(0, slash);
}

Status writeFileAtomic(const std::string &path, const void *data, size_t size) {
  // Unique per process, thread and call, so concurrent writers of the same
  // entry never share a temp file; the last rename wins with a whole file.
  static std::atomic<uint64_t> counter{0};
  std::string tmp =
      formatString("%s.tmp.%ld.%zx.%llu", path.c_str(), (long)::getpid(),
                   std::hash<std::thread::id>()(std::this_thread::get_id()),
                   (unsigned long long)counter.fetch_add(1));
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    return makeError(GEMMRT_ERROR_CACHE, "cannot create '%s': %s", tmp.c_str(),
                     std::strerror(errno));
  auto fail = [&](const char *what) {
    int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return makeError(GEMMRT_ERROR_CACHE, "%s '%s': %s", what, tmp.c_str(),
                     std::strerror(err));
  };
  const uint8_t *p = static_cast<const uint8_t *>(data);
  size_t left = size;
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return fail("cannot write");
    }
    p += n;
    left -= size_t(n);
  }
  if (::fsync(fd) != 0)
    return fail("cannot fsync");
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return makeError(GEMMRT_ERROR_CACHE, "cannot close '%s': %s", tmp.c_str(),
                     std::strerror(err));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return makeError(GEMMRT_ERROR_CACHE, "cannot rename '%s' to '%s': %s",
                     tmp.c_str(), path.c_str(), std::strerror(err));
  }
  // Make the rename itself durable; best effort.
  int dfd = ::open(dirName(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    (void)::fsync(dfd);
    ::close(dfd);
  }
  return Status::success();
}

std::string cacheEntryDir(const std::string &cacheDir) {
  return cacheDir + "/jit";
}

std::string cacheEntryPath(const std::string &cacheDir, const CacheKey &key) {
  std::string name = key.fileName();
  if (name.empty())
    return std::string();
  return cacheEntryDir(cacheDir) + "/" + name;
}

Status writeCacheEntry(const std::string &cacheDir, const CacheKey &key,
                       const void *payload, size_t size) {
  std::string path = cacheEntryPath(cacheDir, key);
  if (path.empty())
    return makeError(GEMMRT_ERROR_CACHE,
                     "invalid cache key (sha256 '%s', chip '%s', driver %d)",
                     key.ptxSha256.c_str(), key.chip.c_str(),
                     key.driverVersion);
  if (Status s = ensureDirectory(cacheEntryDir(cacheDir)); !s.ok())
    return s;
  std::vector<uint8_t> entry = encodeCacheEntry(payload, size);
  if (Status s = writeFileAtomic(path, entry.data(), entry.size()); !s.ok())
    return s;
  // Writes are rare (one per JIT compilation), so a scan here is cheap.
  removeStaleTempFiles(cacheDir, kStaleTempSeconds);
  return Status::success();
}

size_t removeStaleTempFiles(const std::string &cacheDir,
                            int olderThanSeconds) {
  std::string dir = cacheEntryDir(cacheDir);
  DIR *d = ::opendir(dir.c_str());
  if (!d)
    return 0;
  const time_t now = ::time(nullptr);
  size_t removed = 0;
  while (struct dirent *e = ::readdir(d)) {
    // Only our own temp files: "<64 hex>-<chip>-drv<n>.cubin.tmp.<...>".
    const char *tmp = std::strstr(e->d_name, ".cubin.tmp.");
    if (!tmp || tmp == e->d_name)
      continue;
    std::string path = dir + "/" + e->d_name;
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
      continue;
    if (now - st.st_mtime < time_t(olderThanSeconds))
      continue;
    if (::unlink(path.c_str()) == 0)
      ++removed;
  }
  ::closedir(d);
  return removed;
}

static bool readWholeFile(const std::string &path, std::vector<uint8_t> &out,
                          int &err) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    err = errno;
    return false;
  }
  out.clear();
  uint8_t buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR)
        continue;
      err = errno;
      ::close(fd);
      return false;
    }
    if (n == 0)
      break;
    out.insert(out.end(), buf, buf + n);
  }
  ::close(fd);
  return true;
}

CacheLookup readCacheEntry(const std::string &cacheDir, const CacheKey &key,
                           std::vector<uint8_t> &payload, std::string *why) {
  std::string path = cacheEntryPath(cacheDir, key);
  if (path.empty()) {
    if (why)
      *why = "invalid cache key";
    return CacheLookup::Miss;
  }
  std::vector<uint8_t> file;
  int err = 0;
  if (!readWholeFile(path, file, err)) {
    if (why)
      *why = std::strerror(err);
    return CacheLookup::Miss;
  }
  EntryCheck check = decodeCacheEntry(file, payload);
  if (check == EntryCheck::Ok)
    return CacheLookup::Hit;
  if (why)
    *why =
        formatString("'%s': %s (removed)", path.c_str(), entryCheckName(check));
  ::unlink(path.c_str());
  payload.clear();
  return CacheLookup::Corrupt;
}

bool removeCacheEntry(const std::string &cacheDir, const CacheKey &key) {
  std::string path = cacheEntryPath(cacheDir, key);
  return !path.empty() && ::unlink(path.c_str()) == 0;
}

} // namespace gemmrt::impl
