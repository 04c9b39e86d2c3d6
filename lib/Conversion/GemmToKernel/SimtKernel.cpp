//===- SimtKernel.cpp - CUDA-core kernel for a few tokens -----------------===//
//
// The `simt` schedule. At M <= 8 a wgmma tile is mostly padding and the
// kernel's time is the weight's bytes, so this kernel keeps every SM's load
// units busy instead: each warp streams its share of `warp_rows` weight
// rows with 16-byte loads, 8 bf16 per lane, and multiplies them with the
// same 8 elements of each of `block_m` tokens, read once per step through L1
// (the CTAs of the grid all read the same few KiB of x). Each lane keeps an
// 8-wide fp32 accumulator per row and token; at the end the 8 words are summed in a
// fixed tree, the 32 lanes in a butterfly of xor shuffles (every lane ends
// with the same bits: each step adds the same two values), and the k-groups
// of a row through shared memory in group order. The order never depends on
// M, so a token's result does not depend on the other tokens of the call.
//
// CTA: 32 * block_n / warp_rows * k_groups threads; warp w owns rows
// (w % W) * warp_rows .. + warp_rows - 1 of the CTA's block_n (W = block_n /
// warp_rows warps per k-group) and k-group w / W. Grid: (ceil(N / block_n),
// ceil(M / block_m)).
// Rows past N are clamped to the last one for loading (every address stays
// inside y) and never stored. The kernel holds one copy of its body per
// count of tokens a CTA can have below M (1..block_m) and branches once to
// the CTA's: a call with fewer tokens than block_m loads and multiplies
// only those. stages = 2 loads a step's weight chunks one step ahead, so a
// warp's next loads are in flight while it multiplies; the products and
// their order are those of stages = 1.
//
//===----------------------------------------------------------------------===//

#include "gemmgen/Conversion/GemmToKernel/GemmToKernel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

using namespace mlir;
using namespace mlir::gemm;

namespace {
/// bf16 elements per 16-byte load.
constexpr int64_t kVec = 8;

class SimtBuilder {
public:
  SimtBuilder(ImplicitLocOpBuilder &b, LinearBf16Fp32Op op)
      : b(b), ctx(b.getContext()), n(op.getN()), k(op.getK()) {
    ConfigAttr config = *op.getConfig();
    blockM = config.getBlockM();
    blockN = config.getBlockN();
    kGroups = config.getKGroups();
    warpRows = config.getWarpRows();
    stages = config.getStages();
    rowWarps = blockN / warpRows;
    loads = config.getBlockK() / (32 * kVec);
    chunks = k / kVec;
    groupChunks = (chunks + kGroups - 1) / kGroups;
    steps = (groupChunks + 32 * loads - 1) / (32 * loads);
    // Every load of every step is inside its group's range: no masks.
    exact = chunks % kGroups == 0 && groupChunks % (32 * loads) == 0;
    f32 = b.getF32Type();
    i64 = b.getI64Type();
    vecBf16 = VectorType::get({kVec}, b.getBF16Type());
    vecF32 = VectorType::get({kVec}, f32);
    globalPtr = LLVM::LLVMPointerType::get(ctx, 1);
  }

  void build(gpu::GPUFuncOp func);

private:
  Value cI64(int64_t v) { return arith::ConstantIntOp::create(b, v, 64); }
  Value cI32(int64_t v) { return arith::ConstantIntOp::create(b, v, 32); }
  Value toI64(Value index) {
    return arith::IndexCastOp::create(b, i64, index);
  }
  Value minI64(Value a, Value c) {
    return arith::MinUIOp::create(b, a, c);
  }

  /// `base` (a global pointer to bf16) at element `elem`.
  Value chunkPtr(Value base, Value elem) {
    return LLVM::GEPOp::create(b, globalPtr, b.getBF16Type(), base,
                               ValueRange{elem});
  }

  /// 16 bytes of `base` at element `elem`.
  Value loadRaw(Value base, Value elem) {
    // Read-only for the kernel's lifetime: ld.global.nc.
    return LLVM::LoadOp::create(b, vecBf16, chunkPtr(base, elem),
                                /*alignment=*/16,
                                /*isVolatile=*/false,
                                /*isNonTemporal=*/false,
                                /*isInvariant=*/true);
  }

  /// loadRaw as inline PTX. LLVM folds a phi of two loads into one load
  /// of a phi of their addresses, which would move a chunk carried across
  /// a step back into the step that uses it; it does not fold asm.
  Value loadRawPinned(Value base, Value elem) {
    Value ptr = chunkPtr(base, elem);
    Type i32 = b.getI32Type();
    auto words = LLVM::LLVMStructType::getLiteral(ctx, {i32, i32, i32, i32});
    Value r = LLVM::InlineAsmOp::create(
                  b, words, ValueRange{ptr},
                  "ld.global.nc.v4.b32 {$0, $1, $2, $3}, [$4];",
                  "=r,=r,=r,=r,l", /*has_side_effects=*/false,
                  /*is_align_stack=*/false,
                  LLVM::tailcallkind::TailCallKind::None,
                  LLVM::AsmDialectAttr(), ArrayAttr())
                  .getResult(0);
    auto vecI32 = VectorType::get({4}, i32);
    Value v = LLVM::PoisonOp::create(b, vecI32);
    for (int64_t e = 0; e < 4; ++e)
      v = LLVM::InsertElementOp::create(
          b, v, LLVM::ExtractValueOp::create(b, r, e), cI32(e));
    return LLVM::BitcastOp::create(b, vecBf16, v);
  }

  /// The same, as f32.
  Value loadChunk(Value base, Value elem) {
    return LLVM::FPExtOp::create(b, vecF32, loadRaw(base, elem));
  }

  /// Element offsets (within a row) of the `loads` chunks of step `step`
  /// for this lane and whether each is inside the group's range (null when
  /// every chunk is: `exact`); with `ys`, also the weight chunks there:
  /// load l of row i at l * warp_rows + i, all issued before any is used,
  /// bf16 (to carry across a step: half the registers) or widened to f32.
  void stepChunks(Value step, SmallVectorImpl<Value> &elems,
                  SmallVectorImpl<Value> &valids,
                  SmallVectorImpl<Value> *ys = nullptr, bool widen = true) {
    Value stepBase = arith::AddIOp::create(
        b, laneStart, arith::MulIOp::create(b, step, cI64(32 * loads)));
    for (int64_t l = 0; l < loads; ++l) {
      Value c = arith::AddIOp::create(b, stepBase, cI64(32 * l));
      Value valid;
      if (!exact) {
        // Past the group's range (or the group has none): read the row's
        // first chunk, always inside the tensor, and drop it below.
        valid =
            arith::CmpIOp::create(b, arith::CmpIPredicate::ult, c, groupEnd);
        c = arith::SelectOp::create(b, valid, c, cI64(0));
      }
      Value elem = arith::MulIOp::create(b, c, cI64(kVec));
      elems.push_back(elem);
      valids.push_back(valid);
      if (!ys)
        continue;
      for (int64_t i = 0; i < warpRows; ++i) {
        Value at = arith::AddIOp::create(b, yRows[i], elem);
        ys->push_back(widen ? loadChunk(yPtr, at) : loadRawPinned(yPtr, at));
      }
    }
  }

  /// acc += the products of one step's weight chunks `ys` (bf16 or f32)
  /// with the tokens' chunks at `elems`.
  void multiply(int64_t tokens, ArrayRef<Value> ys, ArrayRef<Value> elems,
                ArrayRef<Value> valids, SmallVectorImpl<Value> &acc);

  /// The 8 words of `acc` summed in a fixed tree.
  Value horizontalSum(Value acc) {
    SmallVector<Value, kVec> words;
    for (int64_t e = 0; e < kVec; ++e)
      words.push_back(LLVM::ExtractElementOp::create(b, acc, cI32(e)));
    while (words.size() > 1) {
      SmallVector<Value, kVec> next;
      for (size_t i = 0; i + 1 < words.size(); i += 2)
        next.push_back(arith::AddFOp::create(b, words[i], words[i + 1]));
      words = std::move(next);
    }
    return words.front();
  }

  /// The sum over the warp's 32 lanes, in every lane.
  Value warpSum(Value v) {
    for (int64_t offset = 16; offset >= 1; offset /= 2) {
      Value other = gpu::ShuffleOp::create(b, v, cI32(offset), cI32(32),
                                           gpu::ShuffleMode::XOR)
                        .getShuffleResult();
      v = arith::AddFOp::create(b, v, other);
    }
    return v;
  }

  void buildIf(Value cond, function_ref<void()> body) {
    auto ifOp = scf::IfOp::create(b, cond, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    body();
  }

  /// `values[t]` in lane t (t < values.size()), for one masked store per
  /// lane.
  Value pickByLane(ArrayRef<Value> values, Value lane) {
    Value v = values[0];
    for (int64_t j = 1, e = values.size(); j < e; ++j) {
      Value isJ = arith::CmpIOp::create(b, arith::CmpIPredicate::eq, lane,
                                        cI64(j));
      v = arith::SelectOp::create(b, isJ, values[j], v);
    }
    return v;
  }

  /// out[token][col] = v if token < M and col < N. (The token test never
  /// fails in a copy chosen by the CTA's count of tokens below M; it stays
  /// so the kernels are the ones that ran on the GPU.)
  void storeOut(Value token, Value col, Value v) {
    Value ok = arith::AndIOp::create(
        b, arith::CmpIOp::create(b, arith::CmpIPredicate::ult, token, mArg),
        arith::CmpIOp::create(b, arith::CmpIPredicate::ult, col, cI64(n)));
    buildIf(ok, [&] {
      Value off = arith::AddIOp::create(
          b, arith::MulIOp::create(b, token, ldcArg), col);
      Value ptr = LLVM::GEPOp::create(b, LLVM::LLVMPointerType::get(ctx), f32,
                                      outPtr, ValueRange{off});
      LLVM::StoreOp::create(b, v, ptr, /*alignment=*/4);
    });
  }

  ImplicitLocOpBuilder &b;
  MLIRContext *ctx;
  int64_t n, k;
  int64_t blockM, blockN, kGroups, warpRows, rowWarps, loads, stages;
  int64_t chunks, groupChunks, steps;
  bool exact;
  Type f32, i64;
  VectorType vecBf16, vecF32;
  Type globalPtr;
  Value outPtr, mArg, ldcArg;
  // Set by build() for buildTokens().
  Value xPtr, yPtr, tid, lane, group, n0, m0, firstRow;
  Value groupStart, groupEnd, laneStart, partials;
  SmallVector<Value> yRows, xRows;

  /// The main loop, the sums and the stores for a CTA with `tokens` tokens
  /// (1..block_m) below M.
  void buildTokens(int64_t tokens);
};
} // namespace

void SimtBuilder::build(gpu::GPUFuncOp func) {
  Block &entry = func.getBody().front();
  b.setInsertionPointToStart(&entry);
  xPtr = LLVM::AddrSpaceCastOp::create(b, globalPtr, entry.getArgument(0));
  yPtr = LLVM::AddrSpaceCastOp::create(b, globalPtr, entry.getArgument(1));
  outPtr = entry.getArgument(2);
  mArg = arith::ExtUIOp::create(b, i64, entry.getArgument(3));
  Value lda = entry.getArgument(4);
  Value ldb = entry.getArgument(5);
  ldcArg = entry.getArgument(6);

  // Programmatic dependent launch: let the next kernel start its prologue;
  // wait for the previous grid before the first read of x or y.
  NVVM::GriddepcontrolOp::create(b, NVVM::GridDepActionKind::launch_dependents);
  tid = toI64(gpu::ThreadIdOp::create(b, gpu::Dimension::x));
  Value bx = toI64(gpu::BlockIdOp::create(b, gpu::Dimension::x));
  Value by = toI64(gpu::BlockIdOp::create(b, gpu::Dimension::y));
  Value warp = arith::DivUIOp::create(b, tid, cI64(32));
  lane = arith::RemUIOp::create(b, tid, cI64(32));
  Value rowWarp = arith::RemUIOp::create(b, warp, cI64(rowWarps));
  group = arith::DivUIOp::create(b, warp, cI64(rowWarps));
  n0 = arith::MulIOp::create(b, bx, cI64(blockN));
  // This warp's first row within the CTA: it owns warp_rows consecutive.
  firstRow = arith::MulIOp::create(b, rowWarp, cI64(warpRows));
  m0 = arith::MulIOp::create(b, by, cI64(blockM));

  // Element offsets of this warp's weight rows (clamped into y) and of
  // each token's row.
  for (int64_t i = 0; i < warpRows; ++i) {
    Value col = arith::AddIOp::create(
        b, n0, arith::AddIOp::create(b, firstRow, cI64(i)));
    yRows.push_back(
        arith::MulIOp::create(b, minI64(col, cI64(n - 1)), ldb));
  }
  for (int64_t j = 0; j < blockM; ++j) {
    Value token = arith::AddIOp::create(b, m0, cI64(j));
    xRows.push_back(arith::MulIOp::create(b, token, lda));
  }
  groupStart = arith::MulIOp::create(b, group, cI64(groupChunks));
  groupEnd = minI64(arith::AddIOp::create(b, groupStart, cI64(groupChunks)),
                    cI64(chunks));
  laneStart = arith::AddIOp::create(b, groupStart, lane);
  if (kGroups > 1) {
    auto smemType = MemRefType::get(
        {ShapedType::kDynamic}, b.getI8Type(), MemRefLayoutAttrInterface(),
        gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup));
    Value smem = gpu::DynamicSharedMemoryOp::create(b, smemType);
    Value base =
        toI64(memref::ExtractAlignedPointerAsIndexOp::create(b, smem));
    partials =
        LLVM::IntToPtrOp::create(b, LLVM::LLVMPointerType::get(ctx, 3), base);
  }

  NVVM::GriddepcontrolOp::create(b, NVVM::GridDepActionKind::wait);

  // The CTA's tokens below M, min(M - m0, block_m), pick a copy of the
  // kernel specialized for that many: no loads, products or sums for
  // tokens past M (the same branch for the whole CTA). Each token's sums
  // are the same operations in the same order in every copy.
  if (blockM == 1) {
    buildTokens(1);
    return;
  }
  Value tokens = minI64(arith::SubIOp::create(b, mArg, m0), cI64(blockM));
  Value selector = arith::IndexCastOp::create(
      b, b.getIndexType(), arith::SubIOp::create(b, tokens, cI64(1)));
  SmallVector<int64_t> cases;
  for (int64_t t = 1; t < blockM; ++t)
    cases.push_back(t - 1);
  auto sw = scf::IndexSwitchOp::create(b, TypeRange{}, selector, cases,
                                       cases.size());
  OpBuilder::InsertionGuard guard(b);
  for (int64_t t = 1; t <= blockM; ++t) {
    Region &region = t < blockM ? sw.getCaseRegions()[t - 1]
                                : sw.getDefaultRegion();
    b.setInsertionPointToStart(&region.emplaceBlock());
    buildTokens(t);
    scf::YieldOp::create(b);
  }
}

void SimtBuilder::multiply(int64_t tokens, ArrayRef<Value> ys,
                           ArrayRef<Value> elems, ArrayRef<Value> valids,
                           SmallVectorImpl<Value> &acc) {
  Value zeroF32 = LLVM::ZeroOp::create(b, vecF32);
  // Per load, one read of each token's chunk, which serves all the warp's
  // rows (L1 hits: live x registers stay per load, not per step).
  for (int64_t l = 0; l < loads; ++l) {
    SmallVector<Value> xl;
    for (int64_t j = 0; j < tokens; ++j) {
      Value x = loadChunk(xPtr, arith::AddIOp::create(b, xRows[j], elems[l]));
      // A dropped chunk adds 0 * 0, whatever x and y hold there.
      if (!exact)
        x = arith::SelectOp::create(b, valids[l], x, zeroF32);
      xl.push_back(x);
    }
    for (int64_t i = 0; i < warpRows; ++i) {
      Value y = ys[l * warpRows + i];
      if (y.getType() != vecF32)
        y = LLVM::FPExtOp::create(b, vecF32, y);
      if (!exact)
        y = arith::SelectOp::create(b, valids[l], y, zeroF32);
      for (int64_t j = 0; j < tokens; ++j)
        acc[i * tokens + j] =
            LLVM::FMAOp::create(b, xl[j], y, acc[i * tokens + j]);
    }
  }
}

void SimtBuilder::buildTokens(int64_t tokens) {
  // Accumulator (row i, token j) is init[i * tokens + j].
  Value zeroF32 = LLVM::ZeroOp::create(b, vecF32);
  SmallVector<Value> init(warpRows * tokens, zeroF32);
  Value zero = arith::ConstantIndexOp::create(b, 0);
  Value one = arith::ConstantIndexOp::create(b, 1);
  SmallVector<Value> results;
  // With a single step there is nothing to load ahead: stages = 2 builds
  // the stages = 1 loop.
  if (stages == 1 || steps == 1) {
    auto loop = scf::ForOp::create(
        b, zero, arith::ConstantIndexOp::create(b, steps), one, init);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    // All loads of the step before any product, so that warp_rows * loads
    // 16-byte reads per lane are in flight at once.
    SmallVector<Value> elems, valids, ys;
    stepChunks(toI64(loop.getInductionVar()), elems, valids, &ys);
    SmallVector<Value> acc(loop.getRegionIterArgs().begin(),
                           loop.getRegionIterArgs().end());
    multiply(tokens, ys, elems, valids, acc);
    scf::YieldOp::create(b, acc);
    results.assign(loop.getResults().begin(), loop.getResults().end());
  } else {
    // Two steps in flight: the loop carries the next step's weight chunks
    // (bf16, 4 registers each), loaded before this step's products, so a
    // warp's loads overlap its own math and never wait a whole round trip
    // per step. The last step multiplies after the loop.
    SmallVector<Value> elems0, valids0, iter(init);
    stepChunks(cI64(0), elems0, valids0, &iter, /*widen=*/false);
    auto loop = scf::ForOp::create(
        b, zero, arith::ConstantIndexOp::create(b, steps - 1), one, iter);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(loop.getBody());
      Value step = toI64(loop.getInductionVar());
      SmallVector<Value> nextElems, nextValids, nextYs;
      stepChunks(arith::AddIOp::create(b, step, cI64(1)), nextElems,
                 nextValids, &nextYs, /*widen=*/false);
      SmallVector<Value> elems, valids;
      stepChunks(step, elems, valids);
      auto args = loop.getRegionIterArgs();
      int64_t accs = warpRows * tokens;
      SmallVector<Value> acc(args.begin(), args.begin() + accs);
      SmallVector<Value> ys(args.begin() + accs, args.end());
      multiply(tokens, ys, elems, valids, acc);
      llvm::append_range(acc, nextYs);
      scf::YieldOp::create(b, acc);
    }
    int64_t accs = warpRows * tokens;
    SmallVector<Value> acc(loop.getResults().begin(),
                           loop.getResults().begin() + accs);
    SmallVector<Value> ys(loop.getResults().begin() + accs,
                          loop.getResults().end());
    SmallVector<Value> elems, valids;
    stepChunks(cI64(steps - 1), elems, valids);
    multiply(tokens, ys, elems, valids, acc);
    results = std::move(acc);
  }

  // Lane t holds the sum of (row t / tokens, token t % tokens).
  SmallVector<Value> sums;
  for (int64_t a = 0; a < warpRows * tokens; ++a)
    sums.push_back(warpSum(horizontalSum(results[a])));
  Value mine = pickByLane(sums, lane);
  Value laneHasSum = arith::CmpIOp::create(b, arith::CmpIPredicate::ult, lane,
                                           cI64(warpRows * tokens));
  Value laneToken = arith::RemUIOp::create(b, lane, cI64(tokens));
  Value laneRow = arith::AddIOp::create(
      b, firstRow, arith::DivUIOp::create(b, lane, cI64(tokens)));

  if (kGroups == 1) {
    buildIf(laneHasSum, [&] {
      storeOut(arith::AddIOp::create(b, m0, laneToken),
               arith::AddIOp::create(b, n0, laneRow), mine);
    });
    return;
  }

  // k-groups: each warp parks its partial of (token j, CTA row r) at word
  // (j * block_n + r) * k_groups + group; then thread t < tokens * block_n
  // sums token t / block_n of row t % block_n in group order.
  auto sharedPtr = LLVM::LLVMPointerType::get(ctx, 3);
  auto word = [&](Value index) {
    return LLVM::GEPOp::create(b, sharedPtr, f32, partials, ValueRange{index});
  };
  buildIf(laneHasSum, [&] {
    Value index = arith::AddIOp::create(
        b,
        arith::MulIOp::create(
            b,
            arith::AddIOp::create(
                b, arith::MulIOp::create(b, laneToken, cI64(blockN)),
                laneRow),
            cI64(kGroups)),
        group);
    LLVM::StoreOp::create(b, mine, word(index), /*alignment=*/4);
  });
  gpu::BarrierOp::create(b);
  Value owns = arith::CmpIOp::create(b, arith::CmpIPredicate::ult, tid,
                                     cI64(tokens * blockN));
  buildIf(owns, [&] {
    Value j = arith::DivUIOp::create(b, tid, cI64(blockN));
    Value r = arith::RemUIOp::create(b, tid, cI64(blockN));
    Value first = arith::MulIOp::create(b, tid, cI64(kGroups));
    Value sum;
    for (int64_t g = 0; g < kGroups; ++g) {
      Value part = LLVM::LoadOp::create(
          b, f32, word(arith::AddIOp::create(b, first, cI64(g))),
          /*alignment=*/4);
      sum = g ? arith::AddFOp::create(b, sum, part).getResult() : part;
    }
    storeOut(arith::AddIOp::create(b, m0, j), arith::AddIOp::create(b, n0, r),
             sum);
  });
}

FailureOr<gpu::GPUFuncOp>
mlir::gemm::buildSimtKernel(OpBuilder &builder, LinearBf16Fp32Op op,
                            StringRef kernelName, NamedAttrList &info) {
  ConfigAttr config = *op.getConfig();
  assert(op.getK() % kVec == 0 && "the op's verifier asks K % 8 == 0");
  ImplicitLocOpBuilder b(op.getLoc(), builder);
  MLIRContext *ctx = b.getContext();
  Type ptrType = LLVM::LLVMPointerType::get(ctx);
  Type i64 = b.getI64Type();
  auto fnType = b.getFunctionType(
      {ptrType, ptrType, ptrType, b.getI32Type(), i64, i64, i64}, {});
  auto func = gpu::GPUFuncOp::create(b, kernelName, fnType);
  func->setAttr(gpu::GPUDialect::getKernelFuncAttrName(), b.getUnitAttr());
  int32_t threads = config.getBlockThreads();
  func.setKnownBlockSizeAttr(b.getDenseI32ArrayAttr({threads, 1, 1}));

  {
    OpBuilder::InsertionGuard guard(b);
    SimtBuilder(b, op).build(func);
    gpu::ReturnOp::create(b);
  }

  auto param = [&](StringRef kind, StringRef key, StringRef value) {
    NamedAttrList p;
    p.append("kind", b.getStringAttr(kind));
    p.append(key, b.getStringAttr(value));
    return p.getDictionary(ctx);
  };
  NamedAttrList grid;
  grid.append("kind", b.getStringAttr("tiles"));
  grid.append("block_m", b.getI64IntegerAttr(config.getBlockM()));
  grid.append("block_n", b.getI64IntegerAttr(config.getBlockN()));
  grid.append("split_k", b.getI64IntegerAttr(1));
  info.append("grid", grid.getDictionary(ctx));
  info.append("block", b.getI64ArrayAttr({threads, 1, 1}));
  info.append("cluster", b.getI64ArrayAttr({1, 1, 1}));
  info.append("dynamic_smem_bytes",
              b.getI64IntegerAttr(config.getSharedMemoryBytes()));
  info.append("programmatic_launch", b.getBoolAttr(true));
  info.append("params",
              b.getArrayAttr({param("ptr", "tensor", "x"),
                              param("ptr", "tensor", "y"),
                              param("ptr", "tensor", "out"),
                              param("i32", "value", "m"),
                              param("i64", "value", "lda"),
                              param("i64", "value", "ldb"),
                              param("i64", "value", "ldc")}));
  NamedAttrList requires;
  // 16-byte loads of x and y rows: K, lda and ldb multiples of 8 elements
  // (the runtime holds every generated variant to the last two), bases
  // 16-byte aligned; out is written one float at a time.
  requires.append("k_multiple", b.getI64IntegerAttr(kVec));
  requires.append("x_align_bytes", b.getI64IntegerAttr(16));
  requires.append("y_align_bytes", b.getI64IntegerAttr(16));
  requires.append("out_align_bytes", b.getI64IntegerAttr(4));
  requires.append("ldc_multiple", b.getI64IntegerAttr(1));
  info.append("requires", requires.getDictionary(ctx));
  return func;
}
