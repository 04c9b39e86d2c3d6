//===- DiskCacheFaultTest.cpp - JIT disk cache under process faults ------===//
//
// The disk cache is shared by every process of a machine: writers may be
// killed at any instruction, and several processes may fill one directory
// at once. These tests fork real processes that write through
// writeCacheEntry (the runtime's write path: temp file, fsync, rename),
// SIGKILL them at random points, and check the directory afterwards with a
// reader that has no state of its own (readCacheEntry): every entry present
// is byte-identical to a payload that was written for its key, or is
// detected as corrupt and removed; no partial entry is ever accepted.
//
// Deterministic enough not to flake: a fixed seed drives delays, key order
// and payload sizes; the assertions hold for any kill time, and the only
// "must have happened" assertion (TornWritesAreDetected) is over 30 rounds
// in which the writer spends nearly all its time mid-write. Run time: a few
// seconds, bounded by the round counts and delays below.
//
//===----------------------------------------------------------------------===//

#include "DiskCache.h"
#include "Sha256.h"
#include "TestUtil.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <random>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace gemmrt::impl;
using namespace gemmrt::test;

namespace {

constexpr uint32_t kSeed = 20261127;

CacheKey keyFor(uint32_t index) {
  std::string ptx = "// fault test ptx " + std::to_string(index);
  return CacheKey{Sha256::hashHex(ptx.data(), ptx.size()), "sm_90", 13000};
}

uint64_t splitmix(uint64_t &state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/// The payload written for (key index, generation): "FAULTPAY", the index
/// and the generation (so a reader knows what it must equal), then
/// pseudo-random bytes; between 16 bytes and 16 + maxExtra bytes long.
std::vector<uint8_t> payloadFor(uint32_t index, uint32_t generation,
                                size_t maxExtra) {
  uint64_t state = (uint64_t(index) << 32) ^ generation ^ 0x5eedull;
  size_t size = 16 + size_t(splitmix(state) % (maxExtra + 1));
  std::vector<uint8_t> p(size);
  std::memcpy(p.data(), "FAULTPAY", 8);
  std::memcpy(p.data() + 8, &index, 4);
  std::memcpy(p.data() + 12, &generation, 4);
  for (size_t i = 16; i < size; i += 8) {
    uint64_t r = splitmix(state);
    std::memcpy(p.data() + i, &r, std::min<size_t>(8, size - i));
  }
  return p;
}

struct DirState {
  size_t hits = 0;      // valid entries, byte-identical to a written payload
  size_t corrupt = 0;   // detected as corrupt (and checked to be removed)
  size_t tempFiles = 0; // "*.tmp.*" left by killed writers
  std::vector<std::string> problems;
};

/// A fresh reader's view of <cacheDir>/jit: every file is either an entry
/// for one of `numKeys` keys or a temp file. Entries must read back exactly
/// as payloadFor(their key, the generation they carry) or be reported
/// Corrupt and be gone afterwards.
DirState inspect(const std::string &cacheDir, uint32_t numKeys,
                 size_t maxExtra) {
  DirState st;
  std::string dir = cacheEntryDir(cacheDir);
  if (!std::filesystem::exists(dir))
    return st;
  std::vector<std::string> names;
  for (auto &e : std::filesystem::directory_iterator(dir))
    names.push_back(e.path().filename().string());
  for (const std::string &name : names) {
    if (name.find(".tmp.") != std::string::npos) {
      ++st.tempFiles;
      continue;
    }
    uint32_t index = numKeys;
    for (uint32_t i = 0; i < numKeys; ++i)
      if (keyFor(i).fileName() == name)
        index = i;
    if (index == numKeys) {
      st.problems.push_back("unexpected file " + name);
      continue;
    }
    std::vector<uint8_t> payload;
    std::string why;
    CacheLookup r = readCacheEntry(cacheDir, keyFor(index), payload, &why);
    if (r == CacheLookup::Corrupt) {
      ++st.corrupt;
      if (std::filesystem::exists(dir + "/" + name))
        st.problems.push_back("corrupt entry not removed: " + name);
      if (!payload.empty())
        st.problems.push_back("corrupt entry returned a payload: " + name);
      continue;
    }
    if (r != CacheLookup::Hit) {
      st.problems.push_back("entry " + name + " present but not read: " + why);
      continue;
    }
    uint32_t gotIndex = ~0u, generation = 0;
    if (payload.size() >= 16 && std::memcmp(payload.data(), "FAULTPAY", 8) == 0) {
      std::memcpy(&gotIndex, payload.data() + 8, 4);
      std::memcpy(&generation, payload.data() + 12, 4);
    }
    if (gotIndex != index) {
      st.problems.push_back("entry " + name + " holds another key's payload");
      continue;
    }
    if (payload != payloadFor(index, generation, maxExtra)) {
      st.problems.push_back("entry " + name + " (generation " +
                            std::to_string(generation) +
                            ") accepted but not byte-identical");
      continue;
    }
    ++st.hits;
  }
  return st;
}

std::string describe(const DirState &st) {
  std::string s = std::to_string(st.hits) + " valid, " +
                  std::to_string(st.corrupt) + " corrupt, " +
                  std::to_string(st.tempFiles) + " temp";
  for (const std::string &p : st.problems)
    s += "\n  " + p;
  return s;
}

/// A writer that does not use the runtime's write path: it truncates the
/// entry file in place and writes it in small chunks, pausing between
/// them, so a kill leaves a partial file under the entry's own name (what a
/// crash mid-write would leave without temp file + rename, or a power loss
/// on a file system that loses unsynced data).
void writeTorn(const std::string &cacheDir, const CacheKey &key,
               const std::vector<uint8_t> &payload, int midWriteFd) {
  std::vector<uint8_t> entry = encodeCacheEntry(payload.data(), payload.size());
  std::string path = cacheEntryPath(cacheDir, key);
  if (!ensureDirectory(cacheEntryDir(cacheDir)).ok())
    _exit(6);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    _exit(3);
  for (size_t at = 0; at < entry.size(); at += 4096) {
    size_t n = std::min<size_t>(4096, entry.size() - at);
    if (::write(fd, entry.data() + at, n) != ssize_t(n))
      _exit(4);
    // Tell the parent a write is under way, so its kill lands in one even
    // where building the payload is slow (sanitizer builds).
    if (at == 0 && midWriteFd >= 0 && ::write(midWriteFd, "m", 1) != 1)
      _exit(7);
    ::usleep(50);
  }
  ::close(fd);
}

/// Forks a child that runs `body` (which never returns normally, or calls
/// _exit) and returns its pid.
template <typename Fn> pid_t forkChild(Fn &&body) {
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    body();
    _exit(0);
  }
  return pid;
}

int waitExitCode(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/// Runs `rounds` rounds: fork a child that writes entries for `numKeys` keys
/// in a seeded order forever (generation = round * 100000 + n), SIGKILL it
/// after a seeded delay of up to `maxDelayUs`, then inspect the directory.
/// Returns the accumulated state; fails the test on any problem.
DirState killWritersRepeatedly(const std::string &cacheDir, int rounds,
                               uint32_t numKeys, size_t maxExtra,
                               int maxDelayUs, bool torn) {
  std::mt19937 rng(kSeed + (torn ? 1 : 0));
  DirState total;
  for (int round = 0; round < rounds; ++round) {
    uint32_t childSeed = rng();
    int delayUs = int(rng() % uint32_t(maxDelayUs + 1));
    // Wait for 0, 1 or 2 completed writes before the delay starts, so that
    // entries exist however slow fsync is here, while the kill still lands
    // at a random point of the write in progress.
    int waitWrites = int(rng() % 3);
    int progress[2], mid[2];
    if (::pipe(progress) != 0 || ::pipe(mid) != 0) {
      ADD_FAILURE() << "pipe failed: " << std::strerror(errno);
      return total;
    }
    pid_t pid = forkChild([&] {
      ::close(progress[0]);
      ::close(mid[0]);
      std::mt19937 order(childSeed);
      for (uint32_t n = 0;; ++n) {
        uint32_t index = order() % numKeys;
        auto payload = payloadFor(index, uint32_t(round) * 100000u + n,
                                  maxExtra);
        if (torn)
          writeTorn(cacheDir, keyFor(index), payload, mid[1]);
        else if (!writeCacheEntry(cacheDir, keyFor(index), payload.data(),
                                  payload.size())
                      .ok())
          _exit(2);
        if (n < 2 && ::write(progress[1], "w", 1) != 1)
          _exit(5);
      }
    });
    ::close(progress[1]);
    ::close(mid[1]);
    if (pid < 0) {
      ::close(progress[0]);
      ::close(mid[0]);
      ADD_FAILURE() << "fork failed: " << std::strerror(errno);
      return total;
    }
    for (int w = 0; w < waitWrites; ++w) {
      char c;
      ssize_t r;
      while ((r = ::read(progress[0], &c, 1)) < 0 && errno == EINTR) {
      }
      if (r != 1)
        break; // the child died: its exit code is checked below
    }
    if (torn) {
      // Each write sends one byte after its first chunk: skip those of the
      // writes waited for, then wait for the next write to start, so the
      // delay begins inside it.
      for (int w = 0; w <= waitWrites; ++w) {
        char c;
        ssize_t r;
        while ((r = ::read(mid[0], &c, 1)) < 0 && errno == EINTR) {
        }
        if (r != 1)
          break; // the child died
      }
    }
    ::usleep(useconds_t(delayUs));
    ::kill(pid, SIGKILL);
    int code = waitExitCode(pid);
    // (only now: an early close would SIGPIPE the child)
    ::close(progress[0]);
    ::close(mid[0]);
    EXPECT_EQ(code, 128 + SIGKILL)
        << "round " << round << ": the writer exited by itself (code " << code
        << ")";

    DirState st = inspect(cacheDir, numKeys, maxExtra);
    EXPECT_TRUE(st.problems.empty())
        << "round " << round << " (killed after " << delayUs
        << " us): " << describe(st);
    total.hits += st.hits;
    total.corrupt += st.corrupt;
    total.tempFiles = st.tempFiles;
    for (auto &p : st.problems)
      total.problems.push_back(p);
    if (!st.problems.empty())
      break;
  }
  return total;
}

size_t countTempFiles(const std::string &cacheDir) {
  size_t n = 0;
  std::string dir = cacheEntryDir(cacheDir);
  if (!std::filesystem::exists(dir))
    return 0;
  for (auto &e : std::filesystem::directory_iterator(dir))
    n += e.path().filename().string().find(".tmp.") != std::string::npos;
  return n;
}

} // namespace

//===--- (a) writers killed at random points ------------------------------===//

// The runtime's write path: a kill at any point leaves the old entry, no
// entry, or the whole new one; the only debris is temp files, which readers
// ignore and the next write removes once they are stale.
TEST(DiskCacheFault, KilledWritersNeverLeaveAPartialEntry) {
  TempDir dir;
  const int kRounds = 50;
  const uint32_t kKeys = 12;
  const size_t kMaxExtra = 192 * 1024;
  auto start = std::chrono::steady_clock::now();
  DirState total = killWritersRepeatedly(dir.path(), kRounds, kKeys, kMaxExtra,
                                         /*maxDelayUs=*/20000, /*torn=*/false);
  double seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count();
  EXPECT_TRUE(total.problems.empty());
  // Atomic writes: a kill never makes an entry corrupt.
  EXPECT_EQ(total.corrupt, 0u) << describe(total);
  EXPECT_GT(total.hits, 0u) << "no writer got to finish an entry in "
                            << kRounds << " rounds";
  std::printf("[          ] %d rounds in %.2f s: %zu valid entry reads, %zu "
              "temp files left by killed writers\n",
              kRounds, seconds, total.hits, total.tempFiles);

  // Temp files are harmless: every key reads back valid or is a miss.
  DirState st = inspect(dir.path(), kKeys, kMaxExtra);
  EXPECT_TRUE(st.problems.empty()) << describe(st);

  // ... and the next write removes the stale ones (aged here by hand).
  size_t temps = countTempFiles(dir.path());
  for (auto &e : std::filesystem::directory_iterator(cacheEntryDir(dir.path())))
    if (e.path().filename().string().find(".tmp.") != std::string::npos) {
      struct timespec old[2] = {{::time(nullptr) - 2 * kStaleTempSeconds, 0},
                                {::time(nullptr) - 2 * kStaleTempSeconds, 0}};
      ASSERT_EQ(::utimensat(AT_FDCWD, e.path().c_str(), old, 0), 0);
    }
  auto payload = payloadFor(0, 999999, kMaxExtra);
  ASSERT_TRUE(
      writeCacheEntry(dir.path(), keyFor(0), payload.data(), payload.size())
          .ok());
  EXPECT_EQ(countTempFiles(dir.path()), 0u)
      << temps << " stale temp files were not removed by the next write";
  st = inspect(dir.path(), kKeys, kMaxExtra);
  EXPECT_TRUE(st.problems.empty()) << describe(st);
}

TEST(DiskCacheFault, FreshTempFilesOfLiveWritersAreKept) {
  TempDir dir;
  auto payload = payloadFor(1, 1, 100);
  ASSERT_TRUE(
      writeCacheEntry(dir.path(), keyFor(1), payload.data(), payload.size())
          .ok());
  // A temp file as a writer in progress has it: young, so it stays.
  std::string tmp = cacheEntryPath(dir.path(), keyFor(2)) + ".tmp.1.2.3";
  writeText(tmp, "partial");
  ASSERT_TRUE(
      writeCacheEntry(dir.path(), keyFor(1), payload.data(), payload.size())
          .ok());
  EXPECT_TRUE(std::filesystem::exists(tmp));
  // Aged by hand past the limit: then it goes. (An age limit of 0 against
  // a file written just now was flaky: on Linux 6.18 a fresh file's mtime
  // read a second ahead of time() in 641 of 200000 tries, its timestamps
  // coming from a finer clock than time()'s.)
  auto age = [](const std::string &path) {
    struct timespec old[2] = {{::time(nullptr) - 120, 0},
                              {::time(nullptr) - 120, 0}};
    ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), old, 0), 0);
  };
  age(tmp);
  EXPECT_EQ(removeStaleTempFiles(dir.path(), 60), 1u);
  EXPECT_FALSE(std::filesystem::exists(tmp));
  // Other files in the directory are never touched, however old.
  std::string notes = cacheEntryDir(dir.path()) + "/notes.txt";
  writeText(notes, "x");
  age(notes);
  EXPECT_EQ(removeStaleTempFiles(dir.path(), 60), 0u);
  EXPECT_TRUE(std::filesystem::exists(notes));
}

// A writer that writes in place (no temp file + rename): kills leave
// partial entries under the real name. The reader's checks must catch every
// one of them (Corrupt, removed), never return one as a hit. This is the
// damage the format's size field and checksum exist for (a crash of such a
// writer, or lost unsynced data after a power failure).
TEST(DiskCacheFault, TornWritesAreDetectedAndRemoved) {
  TempDir dir;
  const int kRounds = 30;
  const uint32_t kKeys = 6;
  const size_t kMaxExtra = 128 * 1024;
  // A write of up to 33 chunks takes >= 1.6 ms (50 us between chunks); the
  // delay starts after its first chunk.
  DirState total = killWritersRepeatedly(dir.path(), kRounds, kKeys, kMaxExtra,
                                         /*maxDelayUs=*/1000, /*torn=*/true);
  EXPECT_TRUE(total.problems.empty());
  // Each kill lands in a write that has started, so (almost) every round
  // leaves a torn entry.
  EXPECT_GT(total.corrupt, 0u) << describe(total);
  std::printf("[          ] %d rounds: %zu torn entries detected and removed, "
              "%zu valid entry reads\n",
              kRounds, total.corrupt, total.hits);
  // After the reader's pass only whole entries remain.
  DirState st = inspect(dir.path(), kKeys, kMaxExtra);
  EXPECT_EQ(st.corrupt, 0u) << describe(st);
  EXPECT_TRUE(st.problems.empty()) << describe(st);
}

//===--- (b) two processes filling one directory --------------------------===//

TEST(DiskCacheFault, TwoProcessesFillingOneDirectory) {
  TempDir dir;
  const uint32_t kKeys = 24;
  const size_t kMaxExtra = 48 * 1024;
  const int kPasses = 4;
  // Child c writes every key kPasses times in its own seeded order
  // (generation c * 1000 + pass) and reads a random key after each write;
  // a corrupt read or a failed write is its exit code.
  auto child = [&](uint32_t c) {
    std::mt19937 rng(kSeed + 100 + c);
    for (int pass = 0; pass < kPasses; ++pass) {
      std::vector<uint32_t> order(kKeys);
      for (uint32_t i = 0; i < kKeys; ++i)
        order[i] = i;
      std::shuffle(order.begin(), order.end(), rng);
      for (uint32_t index : order) {
        auto payload = payloadFor(index, c * 1000 + uint32_t(pass), kMaxExtra);
        if (!writeCacheEntry(dir.path(), keyFor(index), payload.data(),
                             payload.size())
                 .ok())
          _exit(10);
        std::vector<uint8_t> out;
        uint32_t probe = rng() % kKeys;
        CacheLookup r = readCacheEntry(dir.path(), keyFor(probe), out, nullptr);
        if (r == CacheLookup::Corrupt)
          _exit(11);
        if (r == CacheLookup::Hit) {
          if (out.size() < 16)
            _exit(12);
          uint32_t gotIndex = ~0u, generation = 0;
          std::memcpy(&gotIndex, out.data() + 8, 4);
          std::memcpy(&generation, out.data() + 12, 4);
          if (gotIndex != probe || out != payloadFor(probe, generation,
                                                     kMaxExtra))
            _exit(12);
        }
      }
    }
  };
  pid_t a = forkChild([&] { child(1); });
  pid_t b = forkChild([&] { child(2); });
  ASSERT_GT(a, 0);
  ASSERT_GT(b, 0);
  EXPECT_EQ(waitExitCode(a), 0) << "10: write failed, 11: corrupt read, "
                                   "12: a hit that was not a written payload";
  EXPECT_EQ(waitExitCode(b), 0);

  DirState st = inspect(dir.path(), kKeys, kMaxExtra);
  EXPECT_TRUE(st.problems.empty()) << describe(st);
  EXPECT_EQ(st.hits, size_t(kKeys)) << describe(st);
  EXPECT_EQ(st.corrupt, 0u);
  EXPECT_EQ(st.tempFiles, 0u) << "writers that finished left temp files";
  // Last writer wins: each entry is one of the two processes' last payloads
  // or an earlier pass; inspect() already checked it is byte-identical to
  // one that was written for that key.
}
