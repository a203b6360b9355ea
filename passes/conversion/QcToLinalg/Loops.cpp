//===- Loops.cpp - qc.Loop and qc.Scan to scf.for / scf.while -------------===//
//
// The body moves into the scf loop as it is (its ops are lowered by their
// own patterns in the same conversion); the pattern that lowers the Loop or
// Scan also turns the body's qc.Yield into the scf.yield, since only it
// knows where each scan slice goes. Scan outputs are stacked into a tensor
// made before the loop: its exact size when the trip count is known before
// the loop starts (a Scan, a Loop that only M ends), else one that doubles
// when full and is cut to the iterations run afterwards.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "passes/conversion/QcToLinalg/LoweringUtils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;

namespace quantc {
namespace {

/// A Loop with a run-time M that cond may end early sizes its scan outputs
/// for min(M, this) iterations at once, then doubles them as needed: a
/// while loop exported with M = INT64_MAX must not allocate for M.
constexpr int64_t kMaxPresizedIterations = 1024;
/// The first size of the scan outputs of a Loop without M.
constexpr int64_t kInitialScanCapacity = 16;

Value constantIndex(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

/// `v` as `type`, which has the same rank and element type, and static dims
/// that the body's inferred type left `?` only where the model declared
/// them (qc.Loop's body_output_types). Those are checked at run time: a
/// value that breaks the model's word gives NaN (0 for integers), as model
/// code cannot report an error yet, never a read outside the tensor.
Value castOrInvalid(OpBuilder &b, Location loc, Value v,
                    RankedTensorType type) {
  auto from = cast<RankedTensorType>(v.getType());
  if (from == type)
    return v;
  Value ok;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (type.isDynamicDim(d) || !from.isDynamicDim(d))
      continue;
    Value same = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::eq, dimSize(b, loc, v, d),
        constantIndex(b, loc, type.getDimSize(d)));
    ok = ok ? arith::AndIOp::create(b, loc, ok, same).getResult() : same;
  }
  if (!ok)
    return tensor::CastOp::create(b, loc, type, v);
  auto ifOp = scf::IfOp::create(b, loc, type, ok, /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  scf::YieldOp::create(b, loc,
                       ValueRange{tensor::CastOp::create(b, loc, type, v)});
  b.setInsertionPointToStart(ifOp.elseBlock());
  Type et = type.getElementType();
  Value invalid =
      scalarConstant(b, loc, et, isa<FloatType>(et) ? std::nan("") : 0.0);
  Value filled = filledTensor(
      b, loc, type, invalid,
      dynamicSizes(type, [&](int64_t d) { return dimSize(b, loc, v, d); }));
  scf::YieldOp::create(b, loc, filled);
  return ifOp.getResult(0);
}

/// A tensor.empty of `type` whose `?` dims are `size(d)`.
Value emptyOf(OpBuilder &b, Location loc, RankedTensorType type,
              llvm::function_ref<Value(int64_t)> size) {
  return tensor::EmptyOp::create(b, loc, type, dynamicSizes(type, size));
}

/// Writes `slice` (the stacked tensor's type without dim `axis`) into
/// `stack` at `index` along `axis`.
Value insertAt(OpBuilder &b, Location loc, Value slice, Value stack,
               int64_t axis, Value index) {
  auto type = cast<RankedTensorType>(stack.getType());
  SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes, strides(type.getRank(), b.getIndexAttr(1));
  offsets[axis] = index;
  for (int64_t d = 0; d < type.getRank(); ++d)
    sizes.push_back(d == axis ? b.getIndexAttr(1)
                              : getAsOpFoldResult(dimSize(b, loc, stack, d)));
  return tensor::InsertSliceOp::create(b, loc, slice, stack, offsets, sizes,
                                       strides);
}

/// Slice `index` of `tensor` along `axis`, without that dim (`type`).
Value extractAt(OpBuilder &b, Location loc, Value tensor, int64_t axis,
                Value index, RankedTensorType type) {
  auto from = cast<RankedTensorType>(tensor.getType());
  SmallVector<OpFoldResult> offsets(from.getRank(), b.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes, strides(from.getRank(), b.getIndexAttr(1));
  offsets[axis] = index;
  for (int64_t d = 0; d < from.getRank(); ++d)
    sizes.push_back(d == axis ? b.getIndexAttr(1)
                              : getAsOpFoldResult(dimSize(b, loc, tensor, d)));
  return tensor::ExtractSliceOp::create(b, loc, type, tensor, offsets, sizes,
                                        strides);
}

/// A growing stack that is full at `index` gets twice the room.
Value growIfFull(OpBuilder &b, Location loc, Value stack, Value index) {
  auto type = cast<RankedTensorType>(stack.getType());
  Value capacity = dimSize(b, loc, stack, 0);
  Value full =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, index, capacity);
  auto ifOp = scf::IfOp::create(b, loc, type, full, /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  Value doubled = arith::MaxUIOp::create(
      b, loc, arith::MulIOp::create(b, loc, capacity, constantIndex(b, loc, 2)),
      constantIndex(b, loc, 1));
  Value bigger = emptyOf(b, loc, type, [&](int64_t d) {
    return d == 0 ? doubled : dimSize(b, loc, stack, d);
  });
  SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
  SmallVector<OpFoldResult> strides(type.getRank(), b.getIndexAttr(1));
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    sizes.push_back(getAsOpFoldResult(dimSize(b, loc, stack, d)));
  scf::YieldOp::create(b, loc,
                       ValueRange{tensor::InsertSliceOp::create(
                           b, loc, stack, bigger, offsets, sizes, strides)});
  b.setInsertionPointToStart(ifOp.elseBlock());
  scf::YieldOp::create(b, loc, stack);
  return ifOp.getResult(0);
}

/// A scalar as a 0-d tensor, as the body's iteration number and condition.
Value scalarTensor(OpBuilder &b, Location loc, Value scalar) {
  return tensor::FromElementsOp::create(
      b, loc, RankedTensorType::get({}, scalar.getType()), scalar);
}

/// Moves the body (already converted to the lowered types) to the end of
/// `dest`, its arguments replaced by `args`, and returns the body's yielded
/// values as lowered; the qc.Yield is erased, the caller ends `dest`.
FailureOr<SmallVector<Value>> inlineBody(ConversionPatternRewriter &rewriter,
                                         Block *body, Block *dest,
                                         ValueRange args) {
  rewriter.inlineBlockBefore(body, dest, dest->end(), args);
  auto yield = cast<qc::YieldOp>(dest->getTerminator());
  SmallVector<Value> values;
  if (failed(rewriter.getRemappedValues(yield.getValues(), values)))
    return failure();
  rewriter.setInsertionPoint(yield);
  rewriter.eraseOp(yield);
  rewriter.setInsertionPointToEnd(dest);
  return values;
}

struct LoopLowering : OpConversionPattern<qc::LoopOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(qc::LoopOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    SmallVector<Type> types;
    if (failed(getTypeConverter()->convertTypes(op.getResultTypes(), types)))
      return rewriter.notifyMatchFailure(op, "result types not convertible");
    bool forLoop = op.onlyTripCountEnds();
    if (forLoop && !op.getM())
      return op.emitOpError() << "has no M and a condition that stays true, "
                                 "so it never ends";
    FailureOr<Block *> body =
        rewriter.convertRegionTypes(&op.getBody(), *getTypeConverter());
    if (failed(body))
      return rewriter.notifyMatchFailure(op, "body types not convertible");
    // M, at least 0, as an index.
    Value limit;
    if (adaptor.getM()) {
      Value m = extractScalar(rewriter, loc, adaptor.getM());
      m = arith::MaxSIOp::create(
          rewriter, loc, m,
          arith::ConstantOp::create(rewriter, loc,
                                    rewriter.getIntegerAttr(m.getType(), 0)));
      limit =
          arith::IndexCastOp::create(rewriter, loc, rewriter.getIndexType(), m);
    }
    FailureOr<SmallVector<Value>> results =
        forLoop ? lowerToFor(op, adaptor, rewriter, *body, limit, types)
                : lowerToWhile(op, adaptor, rewriter, *body, limit, types);
    if (failed(results))
      return failure();
    rewriter.replaceOp(op, *results);
    return success();
  }

  /// Only M ends the loop: an scf.for of M iterations whose scan outputs
  /// are stacked into tensors of M slices.
  FailureOr<SmallVector<Value>> lowerToFor(qc::LoopOp op, OpAdaptor adaptor,
                                           ConversionPatternRewriter &rewriter,
                                           Block *body, Value limit,
                                           ArrayRef<Type> types) const {
    Location loc = op.getLoc();
    unsigned numCarried = op.getNumCarried();
    SmallVector<Value> inits(adaptor.getVInitial());
    for (Type type : types.drop_front(numCarried))
      inits.push_back(emptyOf(rewriter, loc, cast<RankedTensorType>(type),
                              [&](int64_t) { return limit; }));
    auto forOp =
        scf::ForOp::create(rewriter, loc, constantIndex(rewriter, loc, 0),
                           limit, constantIndex(rewriter, loc, 1), inits);
    Block *loopBody = forOp.getBody();
    if (!loopBody->empty())
      rewriter.eraseOp(&loopBody->back());
    rewriter.setInsertionPointToStart(loopBody);
    Value iv = forOp.getInductionVar();
    Value iterNum = scalarTensor(
        rewriter, loc,
        arith::IndexCastOp::create(rewriter, loc, rewriter.getI64Type(), iv));
    Value condIn = scalarTensor(
        rewriter, loc,
        arith::ConstantOp::create(rewriter, loc, rewriter.getBoolAttr(true)));
    SmallVector<Value> args{iterNum, condIn};
    llvm::append_range(args, forOp.getRegionIterArgs().take_front(numCarried));
    FailureOr<SmallVector<Value>> values =
        inlineBody(rewriter, body, loopBody, args);
    if (failed(values))
      return failure();
    SmallVector<Value> next;
    for (unsigned i = 0; i < numCarried; ++i)
      next.push_back(castOrInvalid(rewriter, loc, (*values)[1 + i],
                                   cast<RankedTensorType>(types[i])));
    for (unsigned k = 0; k < op.getNumScanOutputs(); ++k) {
      Value stack = forOp.getRegionIterArgs()[numCarried + k];
      next.push_back(
          insertAt(rewriter, loc,
                   sliceOf(rewriter, loc, (*values)[1 + numCarried + k], stack),
                   stack, 0, iv));
    }
    scf::YieldOp::create(rewriter, loc, next);
    rewriter.setInsertionPointAfter(forOp);
    return SmallVector<Value>(forOp.getResults());
  }

  /// The body's slice cast to the stack's type without its dim 0.
  static Value sliceOf(OpBuilder &b, Location loc, Value slice, Value stack) {
    auto type = cast<RankedTensorType>(stack.getType());
    return castOrInvalid(b, loc, slice,
                         RankedTensorType::get(type.getShape().drop_front(),
                                               type.getElementType()));
  }

  /// cond may end the loop: an scf.while over (iteration, condition,
  /// carried values, scan stacks), the stacks growing as needed and cut to
  /// the iterations run at the end.
  FailureOr<SmallVector<Value>>
  lowerToWhile(qc::LoopOp op, OpAdaptor adaptor,
               ConversionPatternRewriter &rewriter, Block *body, Value limit,
               ArrayRef<Type> types) const {
    Location loc = op.getLoc();
    unsigned numCarried = op.getNumCarried();
    Value capacity =
        limit ? arith::MinUIOp::create(
                    rewriter, loc, limit,
                    constantIndex(rewriter, loc, kMaxPresizedIterations))
                    .getResult()
              : constantIndex(rewriter, loc, kInitialScanCapacity);
    Value cond = adaptor.getCond()
                     ? extractScalar(rewriter, loc, adaptor.getCond())
                     : arith::ConstantOp::create(rewriter, loc,
                                                 rewriter.getBoolAttr(true))
                           .getResult();
    SmallVector<Value> inits{constantIndex(rewriter, loc, 0), cond};
    llvm::append_range(inits, adaptor.getVInitial());
    for (Type type : types.drop_front(numCarried)) {
      auto slice = cast<RankedTensorType>(type).getShape().drop_front();
      SmallVector<int64_t> shape{ShapedType::kDynamic};
      llvm::append_range(shape, slice);
      inits.push_back(
          emptyOf(rewriter, loc,
                  RankedTensorType::get(shape, getElementTypeOrSelf(type)),
                  [&](int64_t) { return capacity; }));
    }
    SmallVector<Type> loopTypes(ValueRange(inits).getTypes());
    SmallVector<Location> locs(inits.size(), loc);
    auto whileOp = scf::WhileOp::create(rewriter, loc, loopTypes, inits);

    Block *before =
        rewriter.createBlock(&whileOp.getBefore(), {}, loopTypes, locs);
    Value go = before->getArgument(1);
    if (limit)
      go = arith::AndIOp::create(
          rewriter, loc, go,
          arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::slt,
                                before->getArgument(0), limit));
    scf::ConditionOp::create(rewriter, loc, go, before->getArguments());

    Block *after =
        rewriter.createBlock(&whileOp.getAfter(), {}, loopTypes, locs);
    Value i = after->getArgument(0);
    SmallVector<Value> args{
        scalarTensor(rewriter, loc,
                     arith::IndexCastOp::create(rewriter, loc,
                                                rewriter.getI64Type(), i)),
        scalarTensor(rewriter, loc, after->getArgument(1))};
    llvm::append_range(args, after->getArguments().slice(2, numCarried));
    FailureOr<SmallVector<Value>> values =
        inlineBody(rewriter, body, after, args);
    if (failed(values))
      return failure();
    SmallVector<Value> next{
        arith::AddIOp::create(rewriter, loc, i,
                              constantIndex(rewriter, loc, 1)),
        extractScalar(rewriter, loc, (*values)[0])};
    for (unsigned c = 0; c < numCarried; ++c)
      next.push_back(castOrInvalid(rewriter, loc, (*values)[1 + c],
                                   cast<RankedTensorType>(types[c])));
    for (unsigned k = 0; k < op.getNumScanOutputs(); ++k) {
      Value stack =
          growIfFull(rewriter, loc, after->getArgument(2 + numCarried + k), i);
      next.push_back(
          insertAt(rewriter, loc,
                   sliceOf(rewriter, loc, (*values)[1 + numCarried + k], stack),
                   stack, 0, i));
    }
    scf::YieldOp::create(rewriter, loc, next);

    rewriter.setInsertionPointAfter(whileOp);
    SmallVector<Value> results(whileOp.getResults().slice(2, numCarried));
    Value count = whileOp.getResult(0);
    for (unsigned k = 0; k < op.getNumScanOutputs(); ++k) {
      Value stack = whileOp.getResult(2 + numCarried + k);
      auto type = cast<RankedTensorType>(stack.getType());
      SmallVector<OpFoldResult> offsets(type.getRank(),
                                        rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> strides(type.getRank(),
                                        rewriter.getIndexAttr(1));
      SmallVector<OpFoldResult> sizes{count};
      for (int64_t d = 1; d < type.getRank(); ++d)
        sizes.push_back(rewriter.getIndexAttr(type.getDimSize(d)));
      Value used = tensor::ExtractSliceOp::create(rewriter, loc, stack, offsets,
                                                  sizes, strides);
      if (used.getType() != types[numCarried + k])
        used =
            tensor::CastOp::create(rewriter, loc, types[numCarried + k], used);
      results.push_back(used);
    }
    return results;
  }
};

struct ScanLowering : OpConversionPattern<qc::ScanOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(qc::ScanOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    SmallVector<Type> types;
    if (failed(getTypeConverter()->convertTypes(op.getResultTypes(), types)))
      return rewriter.notifyMatchFailure(op, "result types not convertible");
    FailureOr<Block *> body =
        rewriter.convertRegionTypes(&op.getBody(), *getTypeConverter());
    if (failed(body))
      return rewriter.notifyMatchFailure(op, "body types not convertible");
    SmallVector<Value> inputs(adaptor.getInputs());
    if (!op.getBatched()) {
      FailureOr<SmallVector<Value>> results =
          lowerScan(op, rewriter, *body, inputs, types);
      if (failed(results))
        return failure();
      rewriter.replaceOp(op, *results);
      return success();
    }
    // Opset 8: one scan per batch element, each written at its place.
    SmallVector<Type> perBatch;
    for (Type type : types) {
      auto ranked = cast<RankedTensorType>(type);
      perBatch.push_back(RankedTensorType::get(ranked.getShape().drop_front(),
                                               ranked.getElementType()));
    }
    SmallVector<Value> inits;
    for (auto [i, type] : llvm::enumerate(types))
      inits.push_back(
          emptyOf(rewriter, loc, cast<RankedTensorType>(type), [&](int64_t d) {
            return d == 0 ? dimSize(rewriter, loc, inputs[0], 0)
                          : scanDimSize(op, rewriter, inputs, i, d - 1);
          }));
    auto forOp =
        scf::ForOp::create(rewriter, loc, constantIndex(rewriter, loc, 0),
                           dimSize(rewriter, loc, inputs[0], 0),
                           constantIndex(rewriter, loc, 1), inits);
    Block *loopBody = forOp.getBody();
    if (!loopBody->empty())
      rewriter.eraseOp(&loopBody->back());
    rewriter.setInsertionPointToStart(loopBody);
    Value batch = forOp.getInductionVar();
    SmallVector<Value> sliced;
    for (Value input : inputs) {
      auto type = cast<RankedTensorType>(input.getType());
      sliced.push_back(
          extractAt(rewriter, loc, input, 0, batch,
                    RankedTensorType::get(type.getShape().drop_front(),
                                          type.getElementType())));
    }
    FailureOr<SmallVector<Value>> results =
        lowerScan(op, rewriter, *body, sliced, perBatch);
    if (failed(results))
      return failure();
    SmallVector<Value> next;
    for (auto [result, stack] : llvm::zip(*results, forOp.getRegionIterArgs()))
      next.push_back(insertAt(rewriter, loc, result, stack, 0, batch));
    scf::YieldOp::create(rewriter, loc, next);
    rewriter.replaceOp(op, forOp.getResults());
    return success();
  }

  /// Dim `d` of result `i` of one (per-batch) scan: a scan output's
  /// stacking axis is the trip count, every other dim is static (a state's
  /// dims are its initial value's).
  static Value scanDimSize(qc::ScanOp op, OpBuilder &b, ValueRange inputs,
                           unsigned i, int64_t d) {
    Location loc = op.getLoc();
    int64_t offset = op.getBatched() ? 1 : 0;
    unsigned numStates = op.getNumStates();
    if (i < numStates)
      return dimSize(b, loc, inputs[i], d + offset);
    auto first = cast<RankedTensorType>(inputs[numStates].getType());
    return dimSize(b, loc, inputs[numStates],
                   offset + op.getInputAxis(0, first.getRank() - offset));
  }

  /// One scan over `inputs` (without the batch dim), giving `types`.
  FailureOr<SmallVector<Value>> lowerScan(qc::ScanOp op,
                                          ConversionPatternRewriter &rewriter,
                                          Block *body, ValueRange inputs,
                                          ArrayRef<Type> types) const {
    Location loc = op.getLoc();
    unsigned numStates = op.getNumStates();
    auto first = cast<RankedTensorType>(inputs[numStates].getType());
    Value trips = dimSize(rewriter, loc, inputs[numStates],
                          op.getInputAxis(0, first.getRank()));
    SmallVector<Value> inits(inputs.take_front(numStates));
    for (Type type : types.drop_front(numStates))
      inits.push_back(emptyOf(rewriter, loc, cast<RankedTensorType>(type),
                              [&](int64_t) { return trips; }));
    auto forOp =
        scf::ForOp::create(rewriter, loc, constantIndex(rewriter, loc, 0),
                           trips, constantIndex(rewriter, loc, 1), inits);
    Block *loopBody = forOp.getBody();
    if (!loopBody->empty())
      rewriter.eraseOp(&loopBody->back());
    rewriter.setInsertionPointToStart(loopBody);
    Value t = forOp.getInductionVar();
    Value last = arith::SubIOp::create(rewriter, loc, trips,
                                       constantIndex(rewriter, loc, 1));
    Value reversed = arith::SubIOp::create(rewriter, loc, last, t);
    SmallVector<Value> args(forOp.getRegionIterArgs().take_front(numStates));
    for (unsigned j = 0; j < op.getNumScanInputs(); ++j) {
      Value input = inputs[numStates + j];
      auto type = cast<RankedTensorType>(input.getType());
      int64_t axis = op.getInputAxis(j, type.getRank());
      args.push_back(extractAt(
          rewriter, loc, input, axis, op.isInputReversed(j) ? reversed : t,
          cast<RankedTensorType>(body->getArgument(numStates + j).getType())));
    }
    FailureOr<SmallVector<Value>> values =
        inlineBody(rewriter, body, loopBody, args);
    if (failed(values))
      return failure();
    SmallVector<Value> next;
    for (unsigned i = 0; i < numStates; ++i)
      next.push_back(castOrInvalid(rewriter, loc, (*values)[i],
                                   cast<RankedTensorType>(types[i])));
    for (unsigned k = 0; k < op.getNumScanOutputs(); ++k) {
      Value stack = forOp.getRegionIterArgs()[numStates + k];
      auto type = cast<RankedTensorType>(stack.getType());
      int64_t axis = op.getOutputAxis(k, type.getRank());
      SmallVector<int64_t> shape(type.getShape());
      shape.erase(shape.begin() + axis);
      Value slice =
          castOrInvalid(rewriter, loc, (*values)[numStates + k],
                        RankedTensorType::get(shape, type.getElementType()));
      next.push_back(insertAt(rewriter, loc, slice, stack, axis,
                              op.isOutputReversed(k) ? reversed : t));
    }
    scf::YieldOp::create(rewriter, loc, next);
    rewriter.setInsertionPointAfter(forOp);
    return SmallVector<Value>(forOp.getResults());
  }
};

} // namespace

void populateLoopPatterns(RewritePatternSet &patterns,
                          const TypeConverter &converter) {
  patterns.add<LoopLowering, ScanLowering>(converter, patterns.getContext());
}

} // namespace quantc
