//===- QuantizeDynamic.cpp - qc-quantize-dynamic --------------------------===//
//
// `--quantize=int8-dynamic`: constant weights become int8 here, at compile
// time; the activations they multiply are quantized when the model runs
// (DynamicQuantizeRows), so no calibration data is needed. The graph it
// makes is the one onnxruntime's quantize_dynamic writes, and it lowers
// through the same ops: MatMulInteger reaches the int8 GEMM kernel
// (passes/conversion/Int8KernelCalls.cpp).
//
// Where onnxruntime's default has one scale per tensor, weights are
// symmetric per output column (a column of small weights keeps its
// precision whatever the largest weight of the matrix) and activations are
// quantized per row (a token of small values beside one of large values):
// on MiniLM the cosine to float goes from 0.967 to 0.999 for about 2% more
// time, the scales being one multiply that follows anyway.
//
// With `activation-products`, attention's MatMuls of two activations are
// quantized at run time too (A per row, B per column); off by default, as
// in onnxruntime, because on MiniLM-L6 they were slower than in float.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/ElementValues.h"
#include "passes/quant/Passes.h"
#include "passes/quant/WeightQuantization.h"

#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FormatVariadic.h"

namespace quantc {
#define GEN_PASS_DEF_QCQUANTIZEDYNAMIC
#include "passes/quant/Passes.h.inc"
} // namespace quantc

using namespace mlir;
using namespace quantc;

namespace {


RankedTensorType withElementType(Type type, Type element) {
  return cast<RankedTensorType>(type).clone(element);
}

struct QuantizeDynamic
    : quantc::impl::QcQuantizeDynamicBase<QuantizeDynamic> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<Operation *> candidates;
    getOperation().walk([&](Operation *op) {
      if (isa<qc::MatMulOp, qc::GemmOp, qc::GatherOp>(op))
        candidates.push_back(op);
    });
    for (Operation *op : candidates) {
      std::string node = quant::onnxNameOr(op, op->getName().getStringRef());
      std::string why;
      bool quantized =
          llvm::TypeSwitch<Operation *, bool>(op)
              .Case([&](qc::MatMulOp mm) {
                if (activationProducts &&
                    !mm.getB().getDefiningOp<qc::ConstantOp>() &&
                    isBatchedProduct(mm))
                  return quantizeActivationProduct(mm, why);
                return quantizeMatMul(mm, mm.getA(), mm.getB(), Value(),
                                      /*transB=*/false, 1.0f, 1.0f, why);
              })
              .Case([&](qc::GemmOp gemm) {
                if (gemm.getTransA()) {
                  why = "transA = 1 is not supported by the int8 path";
                  return false;
                }
                return quantizeMatMul(gemm, gemm.getA(), gemm.getB(),
                                      gemm.getC(), gemm.getTransB() != 0,
                                      gemm.getAlpha().convertToFloat(),
                                      gemm.getBeta().convertToFloat(), why);
              })
              .Case([&](qc::GatherOp gather) {
                return quantizeGather(gather, why);
              })
              .Default([](Operation *) { return false; });
      if (!why.empty() || quantized)
        decisions.push_back(llvm::formatv("  {0} '{1}': {2}", op->getName(),
                                          node, quantized ? "int8" : "float32 (" + why + ")")
                                .str());
      if (quantized)
        op->erase();
    }
    // The float weights nothing reads any more.
    for (qc::ConstantOp weight : replacedWeights)
      if (weight->use_empty())
        weight->erase();
    if (printDecisions) {
      llvm::errs() << "int8-dynamic quantization decisions:\n";
      for (const std::string &line : decisions)
        llvm::errs() << line << "\n";
    }
  }

  /// The constant 2-D float32 matrix behind `v`, with its values; else null
  /// and `why` says what it is instead.
  qc::ConstantOp constantMatrix(Value v, std::vector<float> &values,
                                std::string &why) {
    auto constant = v.getDefiningOp<qc::ConstantOp>();
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (!constant) {
      why = "its weight operand is computed, not a constant";
      return {};
    }
    if (!type || type.getRank() != 2 || !type.getElementType().isF32()) {
      why = "its weight is not a 2-D float32 matrix";
      return {};
    }
    std::optional<std::vector<float>> read =
        qc::float32Values(constant.getValue(), constant.getType());
    if (!read) {
      why = "the weight's values cannot be read";
      return {};
    }
    values = std::move(*read);
    return constant;
  }

  /// `op` (MatMul or Gemm: alpha * A x op(W) + beta * C) rewritten as the
  /// file comment says; false (nothing changed) with `why` when it stays in
  /// float.
  bool quantizeMatMul(Operation *op, Value a, Value w, Value c, bool transB,
                      float alpha, float beta, std::string &why) {
    auto aType = dyn_cast<RankedTensorType>(a.getType());
    if (!aType || !aType.getElementType().isF32() || aType.getRank() < 2) {
      why = "its input is not a float32 tensor of rank 2 or more";
      return false;
    }
    auto weight = w.getDefiningOp<qc::ConstantOp>();
    const QuantizedWeight *q = quantizedWeight(w, transB, why);
    if (!q)
      return false;
    int64_t n = q->scales.size();

    OpBuilder b(op);
    Location loc = op->getLoc();
    MLIRContext *ctx = op->getContext();
    auto f32 = Float32Type::get(ctx);
    auto i32 = IntegerType::get(ctx, 32);
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());

    std::vector<float> columnScales = q->scales;
    for (float &s : columnScales)
      s *= alpha;
    qc::ConstantOp scales = quant::createConstant(
        b, weight.getLoc(), RankedTensorType::get({n}, f32),
        quant::asBytes(columnScales),
        quant::onnxNameOr(weight, "weight") + "_scale");
    qc::DynamicQuantizeRowsOp dynamic = quantizeRows(b, loc, a);
    Value acc = qc::MatMulIntegerOp::create(
        b, loc, withElementType(resultType, i32), dynamic.getY(), q->values,
        dynamic.getYZeroPoint(), Value());
    Value asFloat = qc::CastOp::create(b, loc, resultType, acc, quant::kOnnxFloat);
    Value y = qc::MulOp::create(b, loc, resultType, asFloat, dynamic.getYScale());
    y = qc::MulOp::create(b, loc, resultType, y, scales);
    if (c) {
      if (beta != 1.0f) {
        Value betaValue = quant::createConstant(
            b, loc, RankedTensorType::get({}, f32),
            quant::asBytes(ArrayRef(beta)),
            "beta");
        c = qc::MulOp::create(b, loc, c.getType(), c, betaValue);
      }
      y = qc::AddOp::create(b, loc, resultType, y, c);
    }
    op->getResult(0).replaceAllUsesWith(y);
    replacedWeights.insert(weight);
    return true;
  }

  /// A MatMul of two float32 tensors of the same rank, 3 or more, with the
  /// same leading (batch) dims: an attention's Q x K^T or P x V.
  static bool isBatchedProduct(qc::MatMulOp mm) {
    auto aType = dyn_cast<RankedTensorType>(mm.getA().getType());
    auto bType = dyn_cast<RankedTensorType>(mm.getB().getType());
    return aType && bType && aType.getElementType().isF32() &&
           bType.getElementType().isF32() && aType.getRank() >= 3 &&
           aType.getRank() == bType.getRank() &&
           aType.getShape().drop_back(2) == bType.getShape().drop_back(2) &&
           aType.hasStaticShape() && bType.hasStaticShape();
  }

  /// A x B of two activations (isBatchedProduct), both quantized when the
  /// model runs: A per row as for a weight's MatMul, B per column (the
  /// rows of B^T, a key's token or a value's channel). A division or
  /// multiplication of the product by a constant (attention's 1 / sqrt(d))
  /// moves onto A before it is quantized, so that the scaled product is
  /// what the GEMM's epilogue writes.
  bool quantizeActivationProduct(qc::MatMulOp mm, std::string &why) {
    Operation *scaling = scalarScaling(mm);
    // At the scaling's place, where its constant is defined.
    OpBuilder b(scaling ? scaling : mm.getOperation());
    Location loc = mm.getLoc();
    MLIRContext *ctx = mm.getContext();
    auto i32 = IntegerType::get(ctx, 32);
    auto resultType = cast<RankedTensorType>(mm.getType());
    Value a = mm.getA(), product = mm.getResult();
    if (scaling) {
      auto aType = cast<RankedTensorType>(a.getType());
      Value factor = scaling->getOperand(1);
      a = isa<qc::DivOp>(scaling)
              ? qc::DivOp::create(b, loc, aType, a, factor).getResult()
              : qc::MulOp::create(b, loc, aType, a, factor).getResult();
      product = scaling->getResult(0);
    }
    qc::DynamicQuantizeRowsOp rowsA = quantizeRows(b, loc, a);
    // B's columns are B^T's rows; the scale and zero point [.., N, 1] of
    // B^T become B's [.., 1, N] (a transpose of a unit dim: a view).
    qc::DynamicQuantizeRowsOp rowsBT =
        quantizeRows(b, loc, swapLastTwo(b, loc, mm.getB()));
    Value acc = qc::MatMulIntegerOp::create(
        b, loc, withElementType(resultType, i32), rowsA.getY(),
        swapLastTwo(b, loc, rowsBT.getY()), rowsA.getYZeroPoint(),
        swapLastTwo(b, loc, rowsBT.getYZeroPoint()));
    Value y = qc::CastOp::create(b, loc, resultType, acc, quant::kOnnxFloat);
    y = qc::MulOp::create(b, loc, resultType, y, rowsA.getYScale());
    y = qc::MulOp::create(b, loc, resultType, y,
                          swapLastTwo(b, loc, rowsBT.getYScale()));
    product.replaceAllUsesWith(y);
    if (scaling)
      scaling->erase();
    return true;
  }

  /// The Div or Mul of `mm`'s product by a one-value float32 constant, when
  /// it is the product's only use.
  static Operation *scalarScaling(qc::MatMulOp mm) {
    if (!mm->hasOneUse())
      return nullptr;
    Operation *user = *mm->getUsers().begin();
    if (!isa<qc::DivOp, qc::MulOp>(user) ||
        user->getOperand(0) != mm.getResult() ||
        user->getResult(0).getType() != mm.getType())
      return nullptr;
    auto constant = user->getOperand(1).getDefiningOp<qc::ConstantOp>();
    auto type =
        constant ? dyn_cast<RankedTensorType>(constant.getType()) : nullptr;
    return type && type.getNumElements() == 1 && type.getElementType().isF32()
               ? user
               : nullptr;
  }

  /// `v` with its last two dims swapped (a Transpose).
  static Value swapLastTwo(OpBuilder &b, Location loc, Value v) {
    auto type = cast<RankedTensorType>(v.getType());
    int64_t rank = type.getRank();
    SmallVector<int64_t> perm = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    std::swap(perm[rank - 1], perm[rank - 2]);
    SmallVector<int64_t> shape(type.getShape());
    std::swap(shape[rank - 1], shape[rank - 2]);
    return qc::TransposeOp::create(b, loc, type.clone(shape), v,
                                   b.getDenseI64ArrayAttr(perm));
  }

  /// x's rows quantized each with its own range when the model runs:
  /// [.., K] -> uint8, with a scale and zero point of shape [.., 1].
  static qc::DynamicQuantizeRowsOp quantizeRows(OpBuilder &b, Location loc,
                                                Value x) {
    auto type = cast<RankedTensorType>(x.getType());
    SmallVector<int64_t> perRow(type.getShape());
    perRow.back() = 1;
    auto u8 = IntegerType::get(b.getContext(), 8, IntegerType::Unsigned);
    return qc::DynamicQuantizeRowsOp::create(
        b, loc,
        TypeRange{withElementType(type, u8),
                  RankedTensorType::get(perRow, b.getF32Type()),
                  RankedTensorType::get(perRow, u8)},
        x);
  }

  /// W (a constant [K, N], or [N, K] when `transB`) as int8 per column of
  /// op(W), made once per weight however many ops read it; null with `why`
  /// when W is not such a constant.
  struct QuantizedWeight {
    Value values; // [K, N] int8
    std::vector<float> scales;
  };
  const QuantizedWeight *quantizedWeight(Value w, bool transB,
                                         std::string &why) {
    auto key = std::make_pair(w, int(transB));
    if (auto it = quantizedWeights.find(key); it != quantizedWeights.end())
      return &it->second;
    std::vector<float> values;
    qc::ConstantOp weight = constantMatrix(w, values, why);
    if (!weight)
      return nullptr;
    ArrayRef<int64_t> shape = weight.getType().getShape();
    int64_t k = transB ? shape[1] : shape[0], n = transB ? shape[0] : shape[1];
    quant::SymmetricInt8 q = quant::quantizeSymmetricInt8(
        k, n,
        [&](int64_t r, int64_t col) {
          return transB ? values[col * k + r] : values[r * n + col];
        },
        /*perRow=*/false);
    OpBuilder b(weight);
    b.setInsertionPointAfter(weight);
    qc::ConstantOp qWeight = quant::createConstant(
        b, weight.getLoc(), RankedTensorType::get({k, n}, IntegerType::get(w.getContext(), 8)),
        quant::asBytes(q.values),
        quant::onnxNameOr(weight, "weight") + "_int8");
    return &(quantizedWeights[key] = {qWeight, std::move(q.scales)});
  }

  /// Gather on axis 0 of a constant [V, D] float32 table: the table as int8
  /// per row, the gathered rows scaled by their own scales.
  bool quantizeGather(qc::GatherOp gather, std::string &why) {
    auto dataType = dyn_cast<RankedTensorType>(gather.getData().getType());
    // Gathers of shapes and indices are not candidates, and not reported.
    if (!dataType || !dataType.getElementType().isF32() ||
        !gather.getData().getDefiningOp<qc::ConstantOp>())
      return false;
    if (gather.getAxis() != 0) {
      why = "it gathers along axis " + std::to_string(gather.getAxis()) +
            ", not rows";
      return false;
    }
    std::vector<float> values;
    qc::ConstantOp table = constantMatrix(gather.getData(), values, why);
    if (!table)
      return false;
    int64_t rows = dataType.getDimSize(0), cols = dataType.getDimSize(1);
    quant::SymmetricInt8 q = quant::quantizeSymmetricInt8(
        rows, cols, [&](int64_t r, int64_t c) { return values[r * cols + c]; },
        /*perRow=*/true);

    OpBuilder b(gather);
    Location loc = gather.getLoc();
    MLIRContext *ctx = gather.getContext();
    auto f32 = Float32Type::get(ctx);
    auto i8 = IntegerType::get(ctx, 8);
    std::string tableName = quant::onnxNameOr(table, "table");
    qc::ConstantOp qTable = quant::createConstant(
        b, table.getLoc(), RankedTensorType::get({rows, cols}, i8),
        quant::asBytes(q.values),
        tableName + "_int8");
    qc::ConstantOp scales = quant::createConstant(
        b, table.getLoc(), RankedTensorType::get({rows, 1}, f32),
        quant::asBytes(q.scales),
        tableName + "_scale");
    auto resultType = cast<RankedTensorType>(gather.getType());
    SmallVector<int64_t> scaleShape(resultType.getShape());
    scaleShape.back() = 1;
    Value rowsQ = qc::GatherOp::create(b, loc, withElementType(resultType, i8),
                                       qTable, gather.getIndices(), 0);
    Value rowScales = qc::GatherOp::create(
        b, loc, RankedTensorType::get(scaleShape, f32), scales,
        gather.getIndices(), 0);
    Value asFloat = qc::CastOp::create(b, loc, resultType, rowsQ, quant::kOnnxFloat);
    Value y = qc::MulOp::create(b, loc, resultType, asFloat, rowScales);
    gather.getResult().replaceAllUsesWith(y);
    replacedWeights.insert(table);
    return true;
  }

  DenseMap<std::pair<Value, int>, QuantizedWeight> quantizedWeights;
  SetVector<qc::ConstantOp> replacedWeights;
  std::vector<std::string> decisions;
};

} // namespace
