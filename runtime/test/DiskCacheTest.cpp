//===- DiskCacheTest.cpp - JIT disk cache: keys, format, corruption ------===//

#include "DiskCache.h"
#include "Env.h"
#include "Sha256.h"
#include "TestUtil.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

using namespace gemmrt::impl;
using namespace gemmrt::test;

namespace {

CacheKey sampleKey() {
  std::string ptx = ".version 8.0\n.target sm_90a\n";
  return CacheKey{Sha256::hashHex(ptx.data(), ptx.size()), "sm_90", 13000};
}

std::vector<uint8_t> samplePayload(size_t n, uint8_t seed) {
  std::vector<uint8_t> p(n);
  for (size_t i = 0; i < n; ++i)
    p[i] = uint8_t(i * 131 + seed);
  return p;
}

std::vector<uint8_t> readBytes(const std::string &path) {
  std::string s = readText(path);
  return std::vector<uint8_t>(s.begin(), s.end());
}

void writeBytes(const std::string &path, const std::vector<uint8_t> &b) {
  writeText(path, std::string(b.begin(), b.end()));
}

size_t countFiles(const std::string &dir) {
  size_t n = 0;
  for (auto &e : std::filesystem::directory_iterator(dir)) {
    (void)e;
    ++n;
  }
  return n;
}

} // namespace

//===--- keys -------------------------------------------------------------===//

TEST(DiskCacheKey, FileNameHasHashChipAndDriver) {
  CacheKey k = sampleKey();
  EXPECT_EQ(k.fileName(), k.ptxSha256 + "-sm_90-drv13000.cubin");
}

TEST(DiskCacheKey, EveryComponentChangesTheName) {
  CacheKey a = sampleKey();
  CacheKey otherPtx = a;
  otherPtx.ptxSha256 = Sha256::hashHex("x", 1);
  CacheKey otherChip = a;
  otherChip.chip = "sm_100";
  CacheKey otherDriver = a;
  otherDriver.driverVersion = 12080;
  EXPECT_NE(a.fileName(), otherPtx.fileName());
  EXPECT_NE(a.fileName(), otherChip.fileName());
  EXPECT_NE(a.fileName(), otherDriver.fileName());
}

TEST(DiskCacheKey, UnsafeComponentsGiveNoName) {
  CacheKey k = sampleKey();
  k.chip = "../sm_90";
  EXPECT_EQ(k.fileName(), "");
  k = sampleKey();
  k.ptxSha256 = "abc";
  EXPECT_EQ(k.fileName(), "");
  k = sampleKey();
  k.driverVersion = 0;
  EXPECT_EQ(k.fileName(), "");
}

TEST(DiskCacheKey, DirectoryResolution) {
  EXPECT_EQ(resolveCacheDir("/c", "/x", "/h"), "/c");
  EXPECT_EQ(resolveCacheDir("", "/x", "/h"), "/x/gemmgen");
  EXPECT_EQ(resolveCacheDir(nullptr, "/x", "/h"), "/x/gemmgen");
  // XDG says a relative XDG_CACHE_HOME is invalid and must be ignored.
  EXPECT_EQ(resolveCacheDir(nullptr, "rel", "/h"), "/h/.cache/gemmgen");
  EXPECT_EQ(resolveCacheDir(nullptr, nullptr, "/h"), "/h/.cache/gemmgen");
  EXPECT_EQ(resolveCacheDir(nullptr, nullptr, nullptr), "");
}

//===--- entry format -----------------------------------------------------===//

TEST(DiskCacheFormat, RoundTrip) {
  auto payload = samplePayload(1000, 1);
  auto entry = encodeCacheEntry(payload.data(), payload.size());
  ASSERT_EQ(entry.size(), kCacheHeaderSize + payload.size());
  EXPECT_EQ(std::string(entry.begin(), entry.begin() + 8), "GEMMRTJC");
  std::vector<uint8_t> out;
  EXPECT_EQ(decodeCacheEntry(entry, out), EntryCheck::Ok);
  EXPECT_EQ(out, payload);
}

TEST(DiskCacheFormat, EmptyPayload) {
  auto entry = encodeCacheEntry(nullptr, 0);
  std::vector<uint8_t> out = {1, 2, 3};
  EXPECT_EQ(decodeCacheEntry(entry, out), EntryCheck::Ok);
  EXPECT_TRUE(out.empty());
}

TEST(DiskCacheFormat, DetectsEveryKindOfDamage) {
  auto payload = samplePayload(4096, 7);
  const auto good = encodeCacheEntry(payload.data(), payload.size());
  std::vector<uint8_t> out;

  auto shortHeader = std::vector<uint8_t>(good.begin(), good.begin() + 40);
  EXPECT_EQ(decodeCacheEntry(shortHeader, out), EntryCheck::Truncated);

  auto truncated = std::vector<uint8_t>(good.begin(), good.end() - 1);
  EXPECT_EQ(decodeCacheEntry(truncated, out), EntryCheck::BadSize);

  auto extended = good;
  extended.push_back(0);
  EXPECT_EQ(decodeCacheEntry(extended, out), EntryCheck::BadSize);

  auto badMagic = good;
  badMagic[0] = 'X';
  EXPECT_EQ(decodeCacheEntry(badMagic, out), EntryCheck::BadMagic);

  auto badVersion = good;
  badVersion[8] = 2;
  EXPECT_EQ(decodeCacheEntry(badVersion, out), EntryCheck::BadVersion);

  // A flipped bit anywhere in the payload, and in the stored checksum.
  for (size_t at : {kCacheHeaderSize, kCacheHeaderSize + 2048, good.size() - 1,
                    size_t(24), size_t(55)}) {
    auto flipped = good;
    flipped[at] ^= 0x10;
    EXPECT_EQ(decodeCacheEntry(flipped, out), EntryCheck::BadChecksum)
        << "byte " << at;
  }
}

//===--- files ------------------------------------------------------------===//

TEST(DiskCacheFiles, WriteThenRead) {
  TempDir dir;
  CacheKey key = sampleKey();
  auto payload = samplePayload(5000, 3);
  ASSERT_TRUE(
      writeCacheEntry(dir.path(), key, payload.data(), payload.size()).ok());
  std::vector<uint8_t> out;
  std::string why;
  EXPECT_EQ(readCacheEntry(dir.path(), key, out, &why), CacheLookup::Hit);
  EXPECT_EQ(out, payload);
  // Only the entry: no temp file left behind.
  EXPECT_EQ(countFiles(cacheEntryDir(dir.path())), 1u);
}

TEST(DiskCacheFiles, CreatesNestedDirectories) {
  TempDir dir;
  std::string nested = dir / "a/b/c";
  CacheKey key = sampleKey();
  auto payload = samplePayload(10, 0);
  ASSERT_TRUE(
      writeCacheEntry(nested, key, payload.data(), payload.size()).ok());
  EXPECT_TRUE(std::filesystem::exists(cacheEntryPath(nested, key)));
}

TEST(DiskCacheFiles, MissingEntryIsAMiss) {
  TempDir dir;
  std::vector<uint8_t> out;
  EXPECT_EQ(readCacheEntry(dir.path(), sampleKey(), out, nullptr),
            CacheLookup::Miss);
}

TEST(DiskCacheFiles, UnwritableDirectoryIsACacheError) {
  TempDir dir;
  writeText(dir / "file", "not a directory");
  auto payload = samplePayload(10, 0);
  Status s = writeCacheEntry(dir / "file", sampleKey(), payload.data(),
                             payload.size());
  EXPECT_EQ(s.code(), GEMMRT_ERROR_CACHE);
  EXPECT_NE(s.message().find("file"), std::string::npos) << s.message();
}

// A damaged file is reported as Corrupt, removed, and never returned.
static void expectCorruptAndRemoved(
    const std::function<void(std::vector<uint8_t> &)> &damage,
    const char *what) {
  TempDir dir;
  CacheKey key = sampleKey();
  auto payload = samplePayload(3000, 9);
  ASSERT_TRUE(
      writeCacheEntry(dir.path(), key, payload.data(), payload.size()).ok());
  std::string path = cacheEntryPath(dir.path(), key);
  auto bytes = readBytes(path);
  damage(bytes);
  writeBytes(path, bytes);

  std::vector<uint8_t> out = {42};
  std::string why;
  EXPECT_EQ(readCacheEntry(dir.path(), key, out, &why), CacheLookup::Corrupt)
      << what;
  EXPECT_TRUE(out.empty()) << what;
  EXPECT_FALSE(std::filesystem::exists(path)) << what << ": not removed";
  EXPECT_NE(why.find(path), std::string::npos) << why;

  // Rebuilt: a new write makes it a hit again.
  ASSERT_TRUE(
      writeCacheEntry(dir.path(), key, payload.data(), payload.size()).ok());
  EXPECT_EQ(readCacheEntry(dir.path(), key, out, &why), CacheLookup::Hit);
  EXPECT_EQ(out, payload);
}

TEST(DiskCacheFiles, TruncatedFile) {
  expectCorruptAndRemoved([](auto &b) { b.resize(b.size() / 2); }, "truncated");
}

TEST(DiskCacheFiles, TruncatedInsideHeader) {
  expectCorruptAndRemoved([](auto &b) { b.resize(10); }, "header cut");
}

TEST(DiskCacheFiles, EmptyFile) {
  expectCorruptAndRemoved([](auto &b) { b.clear(); }, "empty");
}

TEST(DiskCacheFiles, FlippedPayloadByte) {
  expectCorruptAndRemoved([](auto &b) { b[kCacheHeaderSize + 100] ^= 1; },
                          "flipped byte");
}

TEST(DiskCacheFiles, WrongMagic) {
  expectCorruptAndRemoved([](auto &b) { b[3] = '?'; }, "magic");
}

TEST(DiskCacheFiles, WrongSizeField) {
  expectCorruptAndRemoved([](auto &b) { b[16] ^= 4; }, "size field");
}

TEST(DiskCacheFiles, AtomicWriteReplacesWholeFile) {
  TempDir dir;
  std::string path = dir / "f";
  std::string big(100000, 'a'), small = "b";
  ASSERT_TRUE(writeFileAtomic(path, big.data(), big.size()).ok());
  ASSERT_TRUE(writeFileAtomic(path, small.data(), small.size()).ok());
  EXPECT_EQ(readText(path), small);
  EXPECT_EQ(countFiles(dir.path()), 1u);
}

TEST(DiskCacheFiles, ConcurrentWritersLeaveOneValidEntry) {
  TempDir dir;
  CacheKey key = sampleKey();
  const int kThreads = 8, kRounds = 20;
  std::vector<std::vector<uint8_t>> payloads;
  for (int t = 0; t < kThreads; ++t)
    payloads.push_back(samplePayload(20000 + 1000 * t, uint8_t(t)));

  std::atomic<int> failures{0}, badReads{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int r = 0; r < kRounds; ++r) {
        const auto &p = payloads[t];
        if (!writeCacheEntry(dir.path(), key, p.data(), p.size()).ok())
          ++failures;
        // Readers racing the writers see a whole entry or none.
        std::vector<uint8_t> out;
        if (readCacheEntry(dir.path(), key, out, nullptr) ==
            CacheLookup::Corrupt)
          ++badReads;
      }
    });
  for (auto &th : threads)
    th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(badReads.load(), 0);

  std::vector<uint8_t> out;
  ASSERT_EQ(readCacheEntry(dir.path(), key, out, nullptr), CacheLookup::Hit);
  bool matchesOne = false;
  for (const auto &p : payloads)
    matchesOne |= out == p;
  EXPECT_TRUE(matchesOne);
  EXPECT_EQ(countFiles(cacheEntryDir(dir.path())), 1u)
      << "temp files left behind";
}
