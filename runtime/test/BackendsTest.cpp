//===- BackendsTest.cpp - GPU-free pieces of the backends ----------------===//
//
// Grid rule, parameter buffer, descriptor cache, the cuBLASLt transpose
// mapping and the embedded reference image, checked without a GPU.
//
//===----------------------------------------------------------------------===//

#include "Backends.h"
#include "CublasLtBackend.h"
#include "TensorMapCache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <thread>
#include <vector>

using namespace gemmrt::impl;

namespace {

Variant tilesVariant(int64_t bm, int64_t bn, int64_t splitK = 1,
                     unsigned clusterX = 1, unsigned clusterY = 1) {
  Variant v;
  v.name = "v";
  v.grid.blockM = bm;
  v.grid.blockN = bn;
  v.grid.splitK = splitK;
  v.cluster[0] = clusterX;
  v.cluster[1] = clusterY;
  return v;
}

/// Fake encoder: writes the key's fields into the map so tests can see
/// which descriptor went where.
ParamSpec tmaParam(TensorRef tensor, uint32_t inner, uint32_t outer) {
  ParamSpec p;
  p.kind = ParamKind::TmaDesc;
  p.tensor = tensor;
  p.box[0] = inner;
  p.box[1] = outer;
  return p;
}

Status fakeEncode(const TensorMapKey &key, CUtensorMap *out) {
  std::memset(out, 0, sizeof(*out));
  uint64_t fields[6] = {key.address, key.rows, key.cols,
                        key.ld,      key.box0, key.box1};
  std::memcpy(out, fields, sizeof(fields));
  return Status::success();
}

GemmArgs callArgs() {
  GemmArgs a;
  a.x = 0x100000;
  a.y = 0x200000;
  a.out = 0x300000;
  a.m = 7;
  a.n = 200;
  a.k = 4104;
  a.lda = 4112;
  a.ldb = 4104;
  a.ldc = 202;
  return a;
}

} // namespace

//===--- grid -------------------------------------------------------------===//

TEST(Grid, TilesRule) {
  unsigned g[3];
  gridFor(tilesVariant(64, 128), 1, 384, g);
  EXPECT_EQ(g[0], 3u);
  EXPECT_EQ(g[1], 1u);
  EXPECT_EQ(g[2], 1u);
  gridFor(tilesVariant(64, 128), 129, 200, g); // tails round up
  EXPECT_EQ(g[0], 2u);
  EXPECT_EQ(g[1], 3u);
  gridFor(tilesVariant(128, 256, 4), 4096, 4096, g);
  EXPECT_EQ(g[0], 16u);
  EXPECT_EQ(g[1], 32u);
  EXPECT_EQ(g[2], 4u);
}

TEST(Grid, RoundedUpToWholeClusters) {
  unsigned g[3];
  gridFor(tilesVariant(64, 128, 1, 2, 1), 1, 384, g); // 3 tiles along N
  EXPECT_EQ(g[0], 4u);
  EXPECT_EQ(g[1], 1u);
  gridFor(tilesVariant(64, 128, 1, 1, 2), 65, 256, g); // 2 tiles along M
  EXPECT_EQ(g[1], 2u);
  gridFor(tilesVariant(64, 128, 1, 1, 2), 1, 256, g); // 1 tile along M
  EXPECT_EQ(g[1], 2u);
}

TEST(Grid, SplitInsideMulticastCluster) {
  // Cluster (1, 2, 3): a multicast group of 2 along M per split rank; the
  // grid's z is the split, M's 3 tiles round up to 2 groups.
  unsigned g[3];
  Variant v = tilesVariant(64, 128, 3, 1, 2);
  v.cluster[2] = 3;
  gridFor(v, 129, 384, g);
  EXPECT_EQ(g[0], 3u);
  EXPECT_EQ(g[1], 4u);
  EXPECT_EQ(g[2], 3u);
}

TEST(Grid, PersistentRule) {
  unsigned g[3];
  Variant v = tilesVariant(128, 256);
  v.grid.kind = GridKind::Persistent;
  // 16384 x 2048: 128 x 8 = 1024 tiles, more than 132 SMs: one CTA per SM.
  gridFor(v, 16384, 2048, g, 132);
  EXPECT_EQ(g[0], 132u);
  EXPECT_EQ(g[1], 1u);
  EXPECT_EQ(g[2], 1u);
  // Fewer tiles than SMs (3 x 2 = 6): one CTA per tile.
  gridFor(v, 300, 384, g, 132);
  EXPECT_EQ(g[0], 6u);
  // Unknown SM count: every tile gets its CTA, still a valid launch.
  gridFor(v, 16384, 2048, g, 0);
  EXPECT_EQ(g[0], 1024u);
}

TEST(Grid, PersistentClusters) {
  unsigned g[3];
  // Clusters of 2 along N: (cluster_n * clusters, 1, 1), 66 clusters on
  // 132 SMs; 9 tiles along N make 5 cluster tiles per M row.
  Variant v = tilesVariant(128, 256, 1, 2, 1);
  v.grid.kind = GridKind::Persistent;
  gridFor(v, 16384, 2304, g, 132);
  EXPECT_EQ(g[0], 132u);
  EXPECT_EQ(g[1], 1u);
  gridFor(v, 128, 2304, g, 132); // 5 cluster tiles
  EXPECT_EQ(g[0], 10u);
  // Clusters of 2 along M: grid y is the cluster's 2; 3 M tiles make 2
  // cluster tiles per N tile.
  Variant w = tilesVariant(128, 256, 1, 1, 2);
  w.grid.kind = GridKind::Persistent;
  gridFor(w, 300, 512, g, 132);
  EXPECT_EQ(g[0], 4u);
  EXPECT_EQ(g[1], 2u);
  EXPECT_EQ(g[2], 1u);
}

//===--- parameter buffer -------------------------------------------------===//

TEST(Params, BufferFollowsManifestOrder) {
  Variant v = tilesVariant(64, 128);
  v.params.resize(5);
  v.params[0] = tmaParam(TensorRef::X, 64, 64);
  v.params[1] = tmaParam(TensorRef::Y, 64, 128);
  v.params[2].kind = ParamKind::Ptr;
  v.params[2].tensor = TensorRef::Out;
  v.params[3].kind = ParamKind::I32;
  v.params[3].value = ScalarRef::M;
  v.params[4].kind = ParamKind::I64;
  v.params[4].value = ScalarRef::Ldc;
  v.paramBytes = layoutParams(v.params);

  TensorMapCache cache(fakeEncode);
  alignas(128) unsigned char buf[kMaxParamBytes];
  void *args[kMaxParams];
  GemmArgs a = callArgs();
  ASSERT_TRUE(buildParams(v, a, cache, buf, args).ok());

  for (size_t i = 0; i < 5; ++i)
    EXPECT_EQ(args[i], buf + v.params[i].offset);
  uint64_t x[6], y[6];
  std::memcpy(x, buf + 0, sizeof(x));
  std::memcpy(y, buf + 128, sizeof(y));
  // x: {address, rows = M, cols = K, ld = lda, box}
  EXPECT_EQ(x[0], a.x);
  EXPECT_EQ(x[1], 7u);
  EXPECT_EQ(x[2], 4104u);
  EXPECT_EQ(x[3], 4112u);
  EXPECT_EQ(x[4], 64u);
  EXPECT_EQ(x[5], 64u);
  // y: rows = N, ld = ldb
  EXPECT_EQ(y[0], a.y);
  EXPECT_EQ(y[1], 200u);
  EXPECT_EQ(y[3], 4104u);
  EXPECT_EQ(y[5], 128u);
  uint64_t out;
  int32_t m;
  int64_t ldc;
  std::memcpy(&out, buf + 256, 8);
  std::memcpy(&m, buf + 264, 4);
  std::memcpy(&ldc, buf + 272, 8);
  EXPECT_EQ(out, a.out);
  EXPECT_EQ(m, 7);
  EXPECT_EQ(ldc, 202);
}

// A TMA-store epilogue: out [M, N] fp32 as a descriptor with ld = ldc and
// 4-byte elements, cached apart from a bf16 map of the same numbers.
TEST(Params, OutDescriptorIsFp32MN) {
  Variant v = tilesVariant(128, 256);
  v.params = {tmaParam(TensorRef::Out, 32, 64)};
  v.paramBytes = layoutParams(v.params);
  std::vector<TensorMapKey> seen;
  TensorMapCache cache([&](const TensorMapKey &k, CUtensorMap *m) {
    seen.push_back(k);
    return fakeEncode(k, m);
  });
  alignas(128) unsigned char buf[kMaxParamBytes];
  void *args[kMaxParams];
  GemmArgs a = callArgs();
  ASSERT_TRUE(buildParams(v, a, cache, buf, args).ok());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].address, a.out);
  EXPECT_EQ(seen[0].rows, uint64_t(a.m));
  EXPECT_EQ(seen[0].cols, uint64_t(a.n));
  EXPECT_EQ(seen[0].ld, uint64_t(a.ldc));
  EXPECT_EQ(seen[0].elementBytes, 4u);
  EXPECT_EQ(seen[0].box0, 32u);
  EXPECT_EQ(seen[0].box1, 64u);
  TensorMapKey bf16 = seen[0];
  bf16.elementBytes = 2;
  EXPECT_FALSE(bf16 == seen[0]);
}

// A kernel without TMA (schedule simt) takes x and y as plain pointers and
// their row strides as i64 scalars; no descriptor is encoded.
TEST(Params, PointerOperandsAndStrides) {
  Variant v = tilesVariant(4, 8);
  const TensorRef tensors[] = {TensorRef::X, TensorRef::Y, TensorRef::Out};
  const ScalarRef scalars[] = {ScalarRef::Lda, ScalarRef::Ldb, ScalarRef::Ldc};
  v.params.resize(7);
  for (int i = 0; i < 3; ++i) {
    v.params[i].kind = ParamKind::Ptr;
    v.params[i].tensor = tensors[i];
    v.params[4 + i].kind = ParamKind::I64;
    v.params[4 + i].value = scalars[i];
  }
  v.params[3].kind = ParamKind::I32;
  v.params[3].value = ScalarRef::M;
  v.paramBytes = layoutParams(v.params);
  EXPECT_EQ(v.paramBytes, 56u);

  int encodes = 0;
  TensorMapCache cache([&](const TensorMapKey &, CUtensorMap *) {
    ++encodes;
    return Status::success();
  });
  alignas(128) unsigned char buf[kMaxParamBytes];
  void *args[kMaxParams];
  GemmArgs a = callArgs();
  ASSERT_TRUE(buildParams(v, a, cache, buf, args).ok());
  EXPECT_EQ(encodes, 0);
  uint64_t ptrs[3];
  int64_t lds[3];
  int32_t m;
  for (int i = 0; i < 3; ++i) {
    std::memcpy(&ptrs[i], args[i], 8);
    std::memcpy(&lds[i], args[4 + i], 8);
  }
  std::memcpy(&m, args[3], 4);
  EXPECT_EQ(ptrs[0], a.x);
  EXPECT_EQ(ptrs[1], a.y);
  EXPECT_EQ(ptrs[2], a.out);
  EXPECT_EQ(m, 7);
  EXPECT_EQ(lds[0], 4112);
  EXPECT_EQ(lds[1], 4104);
  EXPECT_EQ(lds[2], 202);
}

TEST(Params, I32OverflowIsAnError) {
  Variant v = tilesVariant(64, 128);
  v.params.resize(1);
  v.params[0].kind = ParamKind::I32;
  v.params[0].value = ScalarRef::Lda;
  v.paramBytes = layoutParams(v.params);
  TensorMapCache cache(fakeEncode);
  alignas(128) unsigned char buf[kMaxParamBytes];
  void *args[kMaxParams];
  GemmArgs a = callArgs();
  a.lda = int64_t(1) << 33;
  Status s = buildParams(v, a, cache, buf, args);
  EXPECT_EQ(s.code(), GEMMRT_ERROR_UNSUPPORTED_SHAPE);
  EXPECT_NE(s.message().find("cannot hold 8589934592"), std::string::npos)
      << s.message();
}

TEST(Params, EncoderErrorsPropagateWithContext) {
  Variant v = tilesVariant(64, 128);
  v.name = "n256_k4096_m1_64";
  v.params.resize(1);
  v.params[0].kind = ParamKind::TmaDesc;
  v.params[0].tensor = TensorRef::Y;
  v.paramBytes = layoutParams(v.params);
  TensorMapCache cache([](const TensorMapKey &, CUtensorMap *) {
    return Status(GEMMRT_ERROR_CUDA, "cuTensorMapEncodeTiled failed: boom");
  });
  alignas(128) unsigned char buf[kMaxParamBytes];
  void *args[kMaxParams];
  Status s = buildParams(v, callArgs(), cache, buf, args);
  EXPECT_EQ(s.code(), GEMMRT_ERROR_CUDA);
  EXPECT_NE(s.message().find("variant n256_k4096_m1_64: tma_desc y: "),
            std::string::npos)
      << s.message();
}

//===--- descriptor cache -------------------------------------------------===//

TEST(TensorMapCacheTest, RepeatedKeysSkipEncoding) {
  std::atomic<int> encodes{0};
  TensorMapCache cache([&](const TensorMapKey &k, CUtensorMap *m) {
    ++encodes;
    return fakeEncode(k, m);
  });
  TensorMapKey weight{0x200000, 256, 4096, 4096, 64, 128};
  CUtensorMap a, b;
  ASSERT_TRUE(cache.get(weight, &a).ok());
  ASSERT_TRUE(cache.get(weight, &b).ok());
  EXPECT_EQ(encodes.load(), 1);
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(std::memcmp(&a, &b, sizeof(a)), 0);
  // Any field change is a different descriptor.
  for (int f = 0; f < 6; ++f) {
    TensorMapKey k = weight;
    switch (f) {
    case 0:
      k.address += 16;
      break;
    case 1:
      k.rows += 1;
      break;
    case 2:
      k.cols += 8;
      break;
    case 3:
      k.ld += 8;
      break;
    case 4:
      k.box0 = 32;
      break;
    case 5:
      k.box1 = 64;
      break;
    }
    ASSERT_TRUE(cache.get(k, &b).ok());
    EXPECT_NE(std::memcmp(&a, &b, sizeof(a)), 0) << "field " << f;
  }
  EXPECT_EQ(encodes.load(), 7);
}

TEST(TensorMapCacheTest, TwoKeysOfOneSetStayCached) {
  // Find an x descriptor that lands in the same set as the weight's.
  TensorMapKey y{0x200000, 256, 4096, 4096, 64, 128};
  TensorMapKey x{0x100000, 7, 4096, 4096, 64, 64};
  while (TensorMapCache::setOf(x) != TensorMapCache::setOf(y))
    x.address += 16;
  int encodes = 0;
  TensorMapCache cache([&](const TensorMapKey &k, CUtensorMap *m) {
    ++encodes;
    return fakeEncode(k, m);
  });
  CUtensorMap m;
  for (int call = 0; call < 10; ++call) {
    ASSERT_TRUE(cache.get(x, &m).ok());
    ASSERT_TRUE(cache.get(y, &m).ok());
  }
  EXPECT_EQ(encodes, 2);
  // A third key of the set evicts the least recently used (x), not y.
  TensorMapKey z = x;
  do
    z.address += 16;
  while (TensorMapCache::setOf(z) != TensorMapCache::setOf(y));
  ASSERT_TRUE(cache.get(z, &m).ok());
  ASSERT_TRUE(cache.get(y, &m).ok());
  EXPECT_EQ(encodes, 3);
  ASSERT_TRUE(cache.get(x, &m).ok());
  EXPECT_EQ(encodes, 4);
}

TEST(TensorMapCacheTest, FailuresAreNotCached) {
  int calls = 0;
  TensorMapCache cache([&](const TensorMapKey &k, CUtensorMap *m) {
    return ++calls == 1 ? Status(GEMMRT_ERROR_CUDA, "first fails")
                        : fakeEncode(k, m);
  });
  TensorMapKey key{0x1000, 1, 8, 8, 8, 1};
  CUtensorMap m;
  EXPECT_FALSE(cache.get(key, &m).ok());
  EXPECT_TRUE(cache.get(key, &m).ok());
  EXPECT_TRUE(cache.get(key, &m).ok());
  EXPECT_EQ(calls, 2);
}

TEST(TensorMapCacheTest, ConcurrentReadersAlwaysGetTheirOwnDescriptor) {
  TensorMapCache cache(fakeEncode);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20000; ++i) {
        // Many keys, so threads collide on slots and stripes.
        TensorMapKey k{0x100000ull + 16ull * uint64_t((i * 7 + t) % 3000),
                       uint64_t(1 + i % 5),
                       4096,
                       4096,
                       64,
                       64};
        CUtensorMap m;
        if (!cache.get(k, &m).ok()) {
          ++wrong;
          continue;
        }
        uint64_t fields[2];
        std::memcpy(fields, &m, sizeof(fields));
        if (fields[0] != k.address || fields[1] != k.rows)
          ++wrong;
      }
    });
  for (auto &th : threads)
    th.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_GT(cache.hits(), 0u);
}

//===--- cuBLASLt mapping -------------------------------------------------===//

TEST(CublasLtMapping, RowMajorThroughColumnMajorTranspose) {
  GemmArgs a = callArgs(); // M=7 N=200 K=4104 lda=4112 ldb=4104 ldc=202
  CublasLtProblem p = cublasLtProblemFor(a);
  // A = y: stored [K, N] column-major with ld = ldb, transposed.
  EXPECT_EQ(p.opA, CUBLAS_OP_T);
  EXPECT_EQ(p.aRows, 4104u);
  EXPECT_EQ(p.aCols, 200u);
  EXPECT_EQ(p.lda, 4104);
  // B = x: stored [K, M] column-major with ld = lda, not transposed.
  EXPECT_EQ(p.opB, CUBLAS_OP_N);
  EXPECT_EQ(p.bRows, 4104u);
  EXPECT_EQ(p.bCols, 7u);
  EXPECT_EQ(p.ldb, 4112);
  // C = out^T: [N, M] column-major with ld = ldc.
  EXPECT_EQ(p.cRows, 200u);
  EXPECT_EQ(p.cCols, 7u);
  EXPECT_EQ(p.ldc, 202);
  EXPECT_TRUE(p.aIsY);
}

// The mapping above, executed on the host with column-major indexing, gives
// the row-major answer (a CPU model of what cuBLASLt computes).
TEST(CublasLtMapping, HostModelMatchesRowMajorDefinition) {
  GemmArgs a;
  a.m = 3;
  a.n = 5;
  a.k = 4;
  a.lda = 6;
  a.ldb = 4;
  a.ldc = 7;
  std::vector<float> x(a.m * a.lda), y(a.n * a.ldb), out(a.m * a.ldc, -1.f);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = float(int(i % 7) - 3);
  for (size_t i = 0; i < y.size(); ++i)
    y[i] = float(int(i % 5) - 2);
  CublasLtProblem p = cublasLtProblemFor(a);
  // C[i, j] (col-major, ld ldc) = sum_l opA(A)[i, l] * B[l, j]
  //   with A[l, i] at y[i * lda_A + l] and B[l, j] at x[j * ldb_B + l].
  for (uint64_t j = 0; j < p.cCols; ++j)
    for (uint64_t i = 0; i < p.cRows; ++i) {
      float acc = 0;
      for (uint64_t l = 0; l < p.aRows; ++l)
        acc += y[i * p.lda + l] * x[j * p.ldb + l];
      out[j * p.ldc + i] = acc;
    }
  for (int64_t m = 0; m < a.m; ++m)
    for (int64_t n = 0; n < a.n; ++n) {
      float expect = 0;
      for (int64_t k = 0; k < a.k; ++k)
        expect += x[m * a.lda + k] * y[n * a.ldb + k];
      EXPECT_EQ(out[m * a.ldc + n], expect) << m << "," << n;
    }
}

TEST(CublasLtMapping, PointerAlignment) {
  EXPECT_EQ(pointerAlignment(0x1000), 256u);
  EXPECT_EQ(pointerAlignment(0x1002), 2u);
  EXPECT_EQ(pointerAlignment(0x1010), 16u);
  EXPECT_EQ(pointerAlignment(0x1001), 1u);
}

//===--- reference kernel image -------------------------------------------===//

TEST(ReferenceImage, IsAnEmbeddedFatbin) {
  size_t size = 0;
  const unsigned char *image = referenceImage(&size);
  ASSERT_GT(size, 64u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(image) % 8, 0u);
  // Fatbin magic 0xBA55ED50, little-endian.
  EXPECT_EQ(image[0], 0x50);
  EXPECT_EQ(image[1], 0xED);
  EXPECT_EQ(image[2], 0x55);
  EXPECT_EQ(image[3], 0xBA);
}
