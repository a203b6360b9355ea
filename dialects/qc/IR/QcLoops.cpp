//===- QcLoops.cpp - qc.Loop and qc.Scan: verifiers, shape inference ------===//
//
// qc-shape-inference infers a Loop or Scan in three steps: the body's
// argument types from the operands (inferBodyArguments), the body's ops,
// then the results from what the body yields (inferShapes). A carried value
// or state must keep its type from one iteration to the next: the body is
// inferred once, with the initial types, so a body that would change them is
// refused rather than compiled for the wrong shapes.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "dialects/qc/IR/ShapeUtils.h"

#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace quantc::qc;

namespace {

/// The type of body output `i`: what the body yields, with the dims the
/// model declares (body_output_types) where inference left them `?`. A
/// declared dim that contradicts an inferred one is an error.
FailureOr<RankedTensorType> bodyOutputType(Operation *op, YieldOp yield,
                                           std::optional<ArrayAttr> declared,
                                           unsigned i) {
  auto inferred = dyn_cast<RankedTensorType>(yield.getValues()[i].getType());
  if (!inferred)
    return op->emitOpError() << "body output " << i << " has no known rank";
  auto model = declared ? dyn_cast<RankedTensorType>(
                              cast<TypeAttr>((*declared)[i]).getValue())
                        : RankedTensorType();
  if (!model)
    return inferred;
  if (model.getRank() != inferred.getRank() ||
      model.getElementType() != inferred.getElementType())
    return op->emitOpError() << "body output " << i << " is " << inferred
                             << ", but the model declares " << model;
  SmallVector<int64_t> shape;
  for (auto [have, said] : llvm::zip(inferred.getShape(), model.getShape())) {
    if (!ShapedType::isDynamic(have) && !ShapedType::isDynamic(said) &&
        have != said)
      return op->emitOpError() << "body output " << i << " is " << inferred
                               << ", but the model declares " << model;
    shape.push_back(ShapedType::isDynamic(have) ? said : have);
  }
  return RankedTensorType::get(shape, inferred.getElementType());
}

/// A carried value (Loop) or state (Scan) that starts as `start` and comes
/// out of an iteration as `next` keeps its type when each dim of `start` is
/// `?` or equal to `next`'s; `start` is then its type throughout.
LogicalResult checkCarriedType(Operation *op, StringRef what, unsigned i,
                               RankedTensorType start, RankedTensorType next) {
  bool same = start.getElementType() == next.getElementType() &&
              start.getRank() == next.getRank();
  for (unsigned d = 0; same && d < start.getRank(); ++d)
    same = start.isDynamicDim(d) || start.getDimSize(d) == next.getDimSize(d);
  if (same)
    return success();
  return op->emitOpError() << what << " " << i
                           << " changes type across iterations (" << start
                           << " at the start, " << next
                           << " after an iteration); quantc supports " << what
                           << "s of a fixed shape only";
}

/// A scan output's slices are stacked into a tensor sized before the loop
/// runs, so their shape must be known at compile time.
LogicalResult checkScanSlice(Operation *op, unsigned i,
                             RankedTensorType slice) {
  if (slice.hasStaticShape())
    return success();
  return op->emitOpError() << "scan output " << i << " has run-time dims ("
                           << slice
                           << "); quantc supports scan outputs of a fixed "
                              "shape only";
}

/// A one-element tensor of `elementType`, as Loop's M and cond are.
LogicalResult checkOneElement(Operation *op, StringRef name, Value v,
                              Type elementType) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (type && type.getElementType() == elementType &&
      (!type.hasStaticShape() || type.getNumElements() == 1))
    return success();
  return op->emitOpError() << name << " must be a one-element tensor of "
                           << elementType << ", got " << v.getType();
}

LogicalResult verifyDeclaredTypes(Operation *op,
                                  std::optional<ArrayAttr> declared,
                                  unsigned numBodyOutputs) {
  if (declared && declared->size() != numBodyOutputs)
    return op->emitOpError()
           << "body_output_types has " << declared->size() << " types for "
           << numBodyOutputs << " body outputs";
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// Loop
//===----------------------------------------------------------------------===//

YieldOp LoopOp::getYield() {
  return cast<YieldOp>(getBody().front().getTerminator());
}

LogicalResult LoopOp::verify() {
  Block &body = getBody().front();
  if (body.empty() || !isa<YieldOp>(body.back()))
    return emitOpError() << "body must end in qc.Yield";
  if (body.getNumArguments() != 2 + getNumCarried())
    return emitOpError() << "body takes " << body.getNumArguments()
                         << " inputs; it must take the iteration number, the "
                            "condition and the "
                         << getNumCarried() << " loop-carried values";
  if (getYield().getValues().size() != 1 + getNumResults())
    return emitOpError() << "body gives " << getYield().getValues().size()
                         << " outputs; it must give the condition and one per "
                            "result of the Loop ("
                         << getNumResults() << ")";
  return verifyDeclaredTypes(*this, getBodyOutputTypes(), 1 + getNumResults());
}

LogicalResult LoopOp::inferBodyArguments() {
  Block &body = getBody().front();
  MLIRContext *ctx = getContext();
  body.getArgument(0).setType(
      RankedTensorType::get({}, IntegerType::get(ctx, 64)));
  body.getArgument(1).setType(
      RankedTensorType::get({}, IntegerType::get(ctx, 1)));
  for (auto [i, v] : llvm::enumerate(getVInitial())) {
    if (!isa<RankedTensorType>(v.getType()))
      return emitOpError() << "loop-carried value " << i
                           << " has no known rank";
    body.getArgument(2 + i).setType(v.getType());
  }
  return success();
}

bool LoopOp::onlyTripCountEnds() {
  if (!getCond())
    return true;
  auto isTrue = [](Value v) {
    DenseElementsAttr value;
    return matchPattern(v, m_Constant(&value)) && value.getNumElements() == 1 &&
           value.getElementType().isInteger(1) &&
           *value.getValues<bool>().begin();
  };
  Value next = getYield().getValues()[0];
  return isTrue(getCond()) &&
         (next == getBody().front().getArgument(1) || isTrue(next));
}

std::optional<int64_t> LoopOp::getConstantTripLimit() {
  DenseElementsAttr value;
  if (!getM() || !matchPattern(getM(), m_Constant(&value)) ||
      value.getNumElements() != 1 || !value.getElementType().isInteger(64))
    return std::nullopt;
  return std::max<int64_t>(0,
                           (*value.getValues<APInt>().begin()).getSExtValue());
}

LogicalResult LoopOp::inferShapes() {
  MLIRContext *ctx = getContext();
  if (getM() &&
      failed(checkOneElement(*this, "M", getM(), IntegerType::get(ctx, 64))))
    return failure();
  if (getCond() && failed(checkOneElement(*this, "cond", getCond(),
                                          IntegerType::get(ctx, 1))))
    return failure();
  if (!getM() && !getCond())
    return emitOpError() << "has neither M nor cond, so it never ends";
  YieldOp yield = getYield();
  if (failed(checkOneElement(*this, "the body's condition output",
                             yield.getValues()[0], IntegerType::get(ctx, 1))))
    return failure();
  std::optional<int64_t> trips;
  if (onlyTripCountEnds())
    trips = getConstantTripLimit();
  for (unsigned i = 0; i < getNumResults(); ++i) {
    auto type = bodyOutputType(*this, yield, getBodyOutputTypes(), 1 + i);
    if (failed(type))
      return failure();
    if (i < getNumCarried()) {
      auto start = cast<RankedTensorType>(getVInitial()[i].getType());
      if (failed(
              checkCarriedType(*this, "loop-carried value", i, start, *type)))
        return failure();
      getResult(i).setType(start);
      continue;
    }
    if (failed(checkScanSlice(*this, i - getNumCarried(), *type)))
      return failure();
    SmallVector<int64_t> shape{trips ? *trips : ShapedType::kDynamic};
    llvm::append_range(shape, type->getShape());
    getResult(i).setType(RankedTensorType::get(shape, type->getElementType()));
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Scan
//===----------------------------------------------------------------------===//

YieldOp ScanOp::getYield() {
  return cast<YieldOp>(getBody().front().getTerminator());
}

int64_t ScanOp::getInputAxis(unsigned i, int64_t rank) {
  int64_t axis = getScanInputAxes() ? (*getScanInputAxes())[i] : 0;
  return axis < 0 ? axis + rank : axis;
}

int64_t ScanOp::getOutputAxis(unsigned i, int64_t rank) {
  int64_t axis = getScanOutputAxes() ? (*getScanOutputAxes())[i] : 0;
  return axis < 0 ? axis + rank : axis;
}

bool ScanOp::isInputReversed(unsigned i) {
  return getScanInputDirections() && (*getScanInputDirections())[i] == 1;
}

bool ScanOp::isOutputReversed(unsigned i) {
  return getScanOutputDirections() && (*getScanOutputDirections())[i] == 1;
}

LogicalResult ScanOp::verify() {
  Block &body = getBody().front();
  if (body.empty() || !isa<YieldOp>(body.back()))
    return emitOpError() << "body must end in qc.Yield";
  int64_t numScanInputs = getNumScanInputs();
  if (numScanInputs < 1 || numScanInputs > (int64_t)getInputs().size())
    return emitOpError() << "num_scan_inputs is " << numScanInputs
                         << ", but the Scan has " << getInputs().size()
                         << " inputs";
  if (body.getNumArguments() != getInputs().size())
    return emitOpError() << "body takes " << body.getNumArguments()
                         << " inputs; it must take one per input of the Scan ("
                         << getInputs().size() << ")";
  if (getYield().getValues().size() != getNumResults() ||
      getNumResults() < getNumStates())
    return emitOpError() << "body gives " << getYield().getValues().size()
                         << " outputs; it must give one per result of the "
                            "Scan ("
                         << getNumResults() << "), the " << getNumStates()
                         << " states first";
  auto checkList = [&](std::optional<ArrayRef<int64_t>> list, StringRef name,
                       unsigned size, bool directions) -> LogicalResult {
    if (!list)
      return success();
    if (list->size() != size)
      return emitOpError() << name << " has " << list->size()
                           << " entries, expected " << size;
    if (directions)
      for (int64_t d : *list)
        if (d != 0 && d != 1)
          return emitOpError() << name << " must hold 0 or 1, got " << d;
    return success();
  };
  if (failed(checkList(getScanInputAxes(), "scan_input_axes", numScanInputs,
                       false)) ||
      failed(checkList(getScanInputDirections(), "scan_input_directions",
                       numScanInputs, true)) ||
      failed(checkList(getScanOutputAxes(), "scan_output_axes",
                       getNumScanOutputs(), false)) ||
      failed(checkList(getScanOutputDirections(), "scan_output_directions",
                       getNumScanOutputs(), true)))
    return failure();
  return verifyDeclaredTypes(*this, getBodyOutputTypes(), getNumResults());
}

LogicalResult ScanOp::inferBodyArguments() {
  Block &body = getBody().front();
  for (auto [i, v] : llvm::enumerate(getInputs())) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    int64_t minRank = (getBatched() ? 1 : 0) + (i < getNumStates() ? 0 : 1);
    if (!type || type.getRank() < minRank)
      return emitOpError() << "input " << i << " must have at least rank "
                           << minRank << ", got " << v.getType();
    SmallVector<int64_t> shape(
        type.getShape().drop_front(getBatched() ? 1 : 0));
    if (i >= getNumStates()) {
      unsigned j = i - getNumStates();
      int64_t axis = getInputAxis(j, shape.size());
      if (axis < 0 || axis >= (int64_t)shape.size())
        return emitOpError() << "scan_input_axes[" << j << "] is out of range "
                             << "for scan input " << j << " of type " << type;
      shape.erase(shape.begin() + axis);
    }
    body.getArgument(i).setType(
        RankedTensorType::get(shape, type.getElementType()));
  }
  return success();
}

LogicalResult ScanOp::inferShapes() {
  // Every scan input has the same length along its axis: the trip count.
  int64_t trips = ShapedType::kDynamic;
  int64_t batch = ShapedType::kDynamic;
  for (auto [i, v] : llvm::enumerate(getInputs())) {
    auto type = cast<RankedTensorType>(v.getType());
    if (getBatched()) {
      if (!ShapedType::isDynamic(batch) && !type.isDynamicDim(0) &&
          type.getDimSize(0) != batch)
        return emitOpError() << "inputs have different batch sizes";
      if (!type.isDynamicDim(0))
        batch = type.getDimSize(0);
    }
    if (i < getNumStates())
      continue;
    unsigned j = i - getNumStates();
    int64_t offset = getBatched() ? 1 : 0;
    int64_t length =
        type.getDimSize(offset + getInputAxis(j, type.getRank() - offset));
    if (ShapedType::isDynamic(length))
      continue;
    if (!ShapedType::isDynamic(trips) && trips != length)
      return emitOpError() << "scan inputs have different lengths along their "
                              "scan axes ("
                           << trips << " and " << length << ")";
    trips = length;
  }
  YieldOp yield = getYield();
  Block &body = getBody().front();
  for (unsigned i = 0; i < getNumResults(); ++i) {
    auto type = bodyOutputType(*this, yield, getBodyOutputTypes(), i);
    if (failed(type))
      return failure();
    SmallVector<int64_t> shape;
    if (getBatched())
      shape.push_back(batch);
    if (i < getNumStates()) {
      auto start = cast<RankedTensorType>(body.getArgument(i).getType());
      if (failed(checkCarriedType(*this, "state", i, start, *type)))
        return failure();
      llvm::append_range(shape, start.getShape());
      getResult(i).setType(
          RankedTensorType::get(shape, start.getElementType()));
      continue;
    }
    unsigned k = i - getNumStates();
    if (failed(checkScanSlice(*this, k, *type)))
      return failure();
    int64_t axis = getOutputAxis(k, type->getRank() + 1);
    if (axis < 0 || axis > type->getRank())
      return emitOpError() << "scan_output_axes[" << k
                           << "] is out of range for scan output " << k
                           << " of rank " << type->getRank() + 1;
    SmallVector<int64_t> slice(type->getShape());
    slice.insert(slice.begin() + axis, trips);
    llvm::append_range(shape, slice);
    getResult(i).setType(RankedTensorType::get(shape, type->getElementType()));
  }
  return success();
}
