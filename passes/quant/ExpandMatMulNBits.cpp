//===- ExpandMatMulNBits.cpp - qc-expand-matmul-nbits ---------------------===//
//
// onnxruntime writes its 4-bit weight-only models with the com.microsoft
// MatMulNBits operator. Its weight is re-read here into the layout
// `--quantize=w4` makes (Int4Weights: [K, N] values, [groups, N] scales and
// zero points), so that an imported MatMulNBits model and one quantized by
// quantc are the same IR and run the same code.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/ElementValues.h"
#include "passes/quant/Passes.h"
#include "passes/quant/WeightQuantization.h"

#include "mlir/IR/TypeUtilities.h"
#include "llvm/Support/ScopedPrinter.h"

namespace quantc {
#define GEN_PASS_DEF_QCEXPANDMATMULNBITS
#include "passes/quant/Passes.h.inc"
} // namespace quantc

using namespace mlir;
using namespace quantc;

namespace {

/// The values of a constant operand, or nothing.
template <typename T>
std::optional<std::vector<T>> constantValues(Value v) {
  auto constant = v.getDefiningOp<qc::ConstantOp>();
  if (!constant)
    return std::nullopt;
  auto type = cast<ShapedType>(constant.getType());
  if constexpr (std::is_same_v<T, float>) {
    return qc::float32Values(constant.getValue(), type);
  } else {
    std::optional<std::vector<int64_t>> values =
        qc::integerValues(constant.getValue(), type);
    if (!values)
      return std::nullopt;
    return std::vector<T>(values->begin(), values->end());
  }
}

/// Nibble `i` of `bytes` (the low half first).
uint8_t nibble(ArrayRef<uint8_t> bytes, int64_t i) {
  return (bytes[i / 2] >> (i % 2 ? 4 : 0)) & 15;
}

struct ExpandMatMulNBits
    : quantc::impl::QcExpandMatMulNBitsBase<ExpandMatMulNBits> {
  void runOnOperation() override {
    SmallVector<qc::MatMulNBitsOp> ops;
    getOperation().walk([&](qc::MatMulNBitsOp op) { ops.push_back(op); });
    for (qc::MatMulNBitsOp op : ops)
      if (failed(expand(op)))
        return signalPassFailure();
  }

  LogicalResult expand(qc::MatMulNBitsOp op) {
    auto refuse = [&](const Twine &why) {
      return op.emitError() << "MatMulNBits with " << why
                            << " is not supported (quantc compiles bits = 4, "
                               "constant B, scales and uint8 zero points, no g_idx)";
    };
    int64_t k = op.getK(), n = op.getN(), block = op.getBlockSize();
    if (op.getBits() != 4)
      return refuse("bits = " + Twine(op.getBits()));
    if (op.getGIdx())
      return refuse("g_idx");
    if (block < 2 || block % 2 != 0)
      return refuse("block_size = " + Twine(block));
    int64_t blocks = (k + block - 1) / block, blob = block / 2;
    std::optional<std::vector<uint8_t>> b = constantValues<uint8_t>(op.getB());
    if (!b)
      return refuse("a B that is not a constant uint8 tensor");
    if (int64_t(b->size()) != n * blocks * blob)
      return refuse("a B of " + Twine(b->size()) + " bytes, not N x blocks x " +
                    "block_size / 2 = " + Twine(n * blocks * blob));
    std::optional<std::vector<float>> scales = constantValues<float>(op.getScales());
    if (!scales || int64_t(scales->size()) != n * blocks)
      return refuse("scales that are not N x blocks constant float32 values");
    int64_t zpBytes = (blocks + 1) / 2;
    std::optional<std::vector<uint8_t>> zeroPoints;
    if (Value zp = op.getZeroPoints()) {
      auto element = getElementTypeOrSelf(zp.getType());
      if (!element.isUnsignedInteger(8))
        return refuse("zero points of type " + llvm::to_string(element));
      zeroPoints = constantValues<uint8_t>(zp);
      if (!zeroPoints || int64_t(zeroPoints->size()) != n * zpBytes)
        return refuse("zero points that are not N x (blocks + 1) / 2 constant bytes");
    }

    // B[n, blk, j] holds values k = blk * block + 2j and 2j + 1.
    quant::Int4Weights w;
    w.k = k;
    w.n = n;
    w.groupSize = block;
    w.q.assign(k * n, 0);
    w.scales.assign(blocks * n, 1.0f);
    w.zeroPoints.assign(blocks * n, 8);
    for (int64_t c = 0; c < n; ++c) {
      ArrayRef<uint8_t> row = ArrayRef(*b).slice(c * blocks * blob, blocks * blob);
      for (int64_t r = 0; r < k; ++r)
        w.q[r * n + c] = nibble(row, r);
      for (int64_t g = 0; g < blocks; ++g) {
        w.scales[g * n + c] = (*scales)[c * blocks + g];
        if (zeroPoints)
          w.zeroPoints[g * n + c] =
              nibble(ArrayRef(*zeroPoints).slice(c * zpBytes, zpBytes), g);
      }
    }

    OpBuilder builder(op);
    Location loc = op.getLoc();
    Value weight = quant::dequantizedInt4(builder, loc, w,
                                          quant::onnxNameOr(op, "matmul_nbits"));
    Value y = qc::MatMulOp::create(builder, loc, op.getType(), op.getA(), weight);
    if (Value bias = op.getBias())
      y = qc::AddOp::create(builder, loc, op.getType(), y, bias);
    op.getResult().replaceAllUsesWith(y);
    op.erase();
    return success();
  }
};

} // namespace
