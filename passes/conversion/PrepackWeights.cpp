//===- PrepackWeights.cpp - qc-prepack-weights ----------------------------===//
//
// The runtime's GEMM packs both operands into panels on every call
// (runtime/src/kernels/Gemm.cpp). A weight is the same on every call, so its
// packing is done here once, at compile time, into the layout of
// runtime/src/kernels/PanelLayout.h, and the library carries the packed
// weight instead of the plain one. The kernels' packed variants read it in
// place.
//
//===----------------------------------------------------------------------===//
#include "compiler/costmodel/CostModel.h"
#include "dialects/qc/IR/ElementValues.h"
#include "passes/conversion/CpuKernelCalls.h"
#include "passes/conversion/Passes.h"
#include "runtime/src/kernels/Int8PanelLayout.h"
#include "runtime/src/kernels/PanelLayout.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/Support/FormatVariadic.h"

#include <type_traits>
#include <vector>

namespace quantc {
#define GEN_PASS_DEF_QCPREPACKWEIGHTS
#include "passes/conversion/Passes.h.inc"
} // namespace quantc

using namespace mlir;
using namespace quantc::cpu_kernels;
namespace panels = qc::kernels::panels;
namespace int8_panels = qc::kernels::int8_panels;

namespace {

/// A constant f32 or i8 global as a kernel call sees it: a view of `shape` whose
/// element (i, j, ...) is the global's flat element offset + i * strides[0] +
/// j * strides[1] + ...
struct ConstantView {
  memref::GlobalOp global;
  SmallVector<int64_t> shape;
  int64_t offset;
  SmallVector<int64_t> strides;

  int64_t at(ArrayRef<int64_t> index) const {
    int64_t flat = offset;
    for (auto [i, stride] : llvm::zip_equal(index, strides))
      flat += i * stride;
    return flat;
  }

  /// A filter [F, C, KH, KW] as the implicit GEMM's A [F, C * KH * KW]
  /// (the kernels' order of the window: channel, kernel row, kernel
  /// column): the flat offset of A's element (r, c).
  int64_t filterAt(int64_t r, int64_t c) const {
    int64_t kh = shape[2], kw = shape[3];
    return at({r, c / (kh * kw), c / kw % kh, c % kw});
  }
};

/// The constant global behind `value`, a kernel call's operand, if it is
/// one seen through views with a static layout (the casts, transposes and
/// rank-reducing subviews qc-linalg-to-cpu-kernels makes). A view whose
/// offset depends on a loop is not one: it is a different matrix per
/// iteration.
std::optional<ConstantView> constantBehind(Value value,
                                           SymbolTableCollection &symbols) {
  // The kernel's own cast to a dynamic layout hides the view's.
  if (auto cast = value.getDefiningOp<memref::CastOp>())
    value = cast.getSource();
  ConstantView view;
  auto viewType = cast<MemRefType>(value.getType());
  view.shape = llvm::to_vector(viewType.getShape());
  if (!viewType.hasStaticShape() ||
      failed(viewType.getStridesAndOffset(view.strides, view.offset)) ||
      ShapedType::isDynamic(view.offset) ||
      llvm::any_of(view.strides, ShapedType::isDynamic))
    return std::nullopt;
  while (Operation *def = value.getDefiningOp()) {
    if (isa<memref::CastOp, memref::TransposeOp, memref::SubViewOp>(def)) {
      value = def->getOperand(0);
      continue;
    }
    memref::GlobalOp global = constantGlobal(value, symbols);
    if (!global)
      return std::nullopt;
    MemRefType type = global.getType();
    if (!(type.getElementType().isF32() || type.getElementType().isInteger(8)) ||
        !type.hasStaticShape() || !type.getLayout().isIdentity())
      return std::nullopt;
    view.global = global;
    return view;
  }
  return std::nullopt;
}

/// The i64 constant behind `v` (a kernel call's flag), if it is one.
std::optional<int64_t> constantInt(Value v) {
  if (auto c = v.getDefiningOp<arith::ConstantIntOp>())
    return c.value();
  return std::nullopt;
}

struct PrepackWeights
    : quantc::impl::QcPrepackWeightsBase<PrepackWeights> {
  using QcPrepackWeightsBase::QcPrepackWeightsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    packedViews.clear();
    costModel = quantc::costmodel::createAnalyticalCostModel(
        quantc::costmodel::Machine::reference());
    decisions = {};
    SymbolTable table(module);
    SymbolTableCollection symbols;
    SmallVector<func::CallOp> calls;
    module.walk([&](func::CallOp call) {
      if (call.getCallee() == kMatmul || call.getCallee() == kConv ||
          call.getCallee() == kConvAdd || call.getCallee() == kMatmulI8 ||
          call.getCallee() == kMatmulI8Epilogue ||
          call.getCallee() == kConvI8 || call.getCallee() == kConvI8Epilogue)
        calls.push_back(call);
    });
    SetVector<Operation *> weights;
    for (func::CallOp call : calls) {
      auto constant = [&](unsigned operand) {
        std::optional<ConstantView> view =
            constantBehind(call.getOperand(operand), symbols);
        if (view)
          weights.insert(view->global);
        return view;
      };
      if (call.getCallee() == kMatmulI8) {
        if (auto b = constant(1))
          packInt8MatmulB(call, *b, 6, kMatmulI8PackedB, table);
      } else if (call.getCallee() == kMatmulI8Epilogue) {
        if (auto b = constant(1))
          packInt8MatmulB(call, *b, 12, kMatmulI8EpiloguePackedB, table);
      } else if (call.getCallee() == kConvI8) {
        if (auto filter = constant(1))
          packInt8ConvFilter(call, *filter, 7, kConvI8Packed, table);
      } else if (call.getCallee() == kConvI8Epilogue) {
        if (auto filter = constant(1))
          packInt8ConvFilter(call, *filter, 12, kConvI8EpiloguePacked, table);
      } else if (call.getCallee() == kConv) {
        if (auto filter = constant(1))
          packConvFilter(call, *filter, kConvPacked, table);
      } else if (call.getCallee() == kConvAdd) {
        if (auto filter = constant(1))
          packConvFilter(call, *filter, kConvAddPacked, table);
      } else if (auto b = constant(1)) {
        packMatmulOperand(call, 1, *b, table);
      } else if (auto a = constant(0)) {
        packMatmulOperand(call, 0, *a, table);
      }
    }
    // The plain weights and kernels nothing calls any more.
    for (Operation *weight : weights)
      if (SymbolTable::symbolKnownUseEmpty(weight, module))
        weight->erase();
    for (StringRef name : {kMatmul, kConv, kConvAdd, kMatmulI8,
                           kMatmulI8Epilogue, kConvI8, kConvI8Epilogue})
      if (auto fn = module.lookupSymbol<func::FuncOp>(name))
        if (SymbolTable::symbolKnownUseEmpty(fn, module))
          fn.erase();
    if (printDecisions && !decisions.all().empty()) {
      const quantc::costmodel::Machine &machine = costModel->machine();
      llvm::errs() << llvm::formatv(
          "convolution layout decisions (analytical cost model, {0}: {1:F0} "
          "GFLOP/s):\n",
          machine.source, machine.peakGflops);
      decisions.print(llvm::errs());
    }
  }

  /// What identifies a packed copy of `view`: its global, the packing
  /// (`suffix`) and the view's layout.
  static std::string viewKey(const ConstantView &view, StringRef suffix) {
    auto joined = [](ArrayRef<int64_t> values) {
      return llvm::join(llvm::map_range(values,
                                        [](int64_t v) { return std::to_string(v); }),
                        ",");
    };
    std::string key;
    llvm::raw_string_ostream(key)
        << memref::GlobalOp(view.global).getSymName() << suffix << " shape " << joined(view.shape)
        << " offset " << view.offset << " strides " << joined(view.strides);
    return key;
  }

  /// The packed copy of `view`: `count` elements of `Element` (float or
  /// int8) filled by `pack` from the view's global's values (as floats or
  /// integers); made on first use, named after the global with `suffix`;
  /// null (and the pass failed) when the values cannot be read.
  template <typename Element, typename Read>
  memref::GlobalOp
  packedGlobal(const ConstantView &view, StringRef suffix, int64_t count,
               function_ref<void(ArrayRef<Read>, Element *)> pack,
               SymbolTable &table) {
    memref::GlobalOp &packed = packedViews[viewKey(view, suffix)];
    if (packed)
      return packed;
    memref::GlobalOp weight = view.global;
    std::optional<std::vector<Read>> values;
    if constexpr (std::is_same_v<Read, float>)
      values = quantc::qc::float32Values(*weight.getInitialValue(), weight.getType());
    else
      values = quantc::qc::integerValues(*weight.getInitialValue(), weight.getType());
    if (!values) {
      weight.emitError("cannot read the values of constant '")
          << weight.getSymName() << "' to pack them";
      signalPassFailure();
      return {};
    }
    std::vector<Element> data(count, Element(0));
    pack(*values, data.data());
    OpBuilder b(weight);
    Type element = std::is_same_v<Element, float> ? Type(b.getF32Type())
                                                  : Type(b.getI8Type());
    packed = memref::GlobalOp::create(
        b, weight.getLoc(), (weight.getSymName() + suffix).str(),
        b.getStringAttr("private"), MemRefType::get({count}, element),
        DenseElementsAttr::getFromRawBuffer(
            RankedTensorType::get({count}, element),
            ArrayRef(reinterpret_cast<const char *>(data.data()),
                     data.size() * sizeof(Element))),
        /*constant=*/true, b.getI64IntegerAttr(64));
    table.insert(packed); // renamed if a packed view of the same global exists
    return packed;
  }

  /// `call`'s operand `operand` replaced by the packed global, and the callee
  /// by `kernel`, with `extraScalars` appended.
  void callPacked(func::CallOp call, unsigned operand, memref::GlobalOp packed,
                  StringRef kernel, ArrayRef<int64_t> extraScalars = {}) {
    OpBuilder b(call);
    Location loc = call.getLoc();
    Value whole = memref::GetGlobalOp::create(b, loc, packed.getType(),
                                              packed.getSymName());
    SmallVector<Value> args(call.getOperands());
    Value plain = args[operand];
    args[operand] = castToAnyStrided(b, loc, whole);
    for (int64_t scalar : extraScalars)
      args.push_back(arith::ConstantIntOp::create(b, loc, scalar, 64));
    // The declaration follows the arguments: memrefs, then i64 scalars.
    SmallVector<int64_t> memrefRanks;
    SmallVector<Type> elementTypes;
    for (Value arg : args)
      if (auto type = dyn_cast<MemRefType>(arg.getType())) {
        memrefRanks.push_back(type.getRank());
        elementTypes.push_back(type.getElementType());
      }
    int numScalars = args.size() - memrefRanks.size();
    auto module = call->getParentOfType<ModuleOp>();
    func::CallOp::create(b, loc,
                         kernelDeclaration(module, kernel, memrefRanks,
                                           numScalars, elementTypes),
                         args);
    call.erase();
    // The views that led to the plain weight, now unused.
    while (Operation *def = plain.getDefiningOp()) {
      if (!def->use_empty())
        break;
      plain = def->getNumOperands() ? def->getOperand(0) : Value();
      def->erase();
      if (!plain)
        break;
    }
  }

  /// Operand 0 (A [M, K]) or 1 (B [K, N]) of C += A * B, a constant matrix.
  void packMatmulOperand(func::CallOp call, unsigned operand,
                         const ConstantView &view, SymbolTable &table) {
    int64_t rows = view.shape[0], cols = view.shape[1];
    bool isA = operand == 0;
    memref::GlobalOp packed = packedGlobal<float, float>(
        view, isA ? "_packed_a" : "_packed_b",
        isA ? panels::packedAFloats(rows, cols)
            : panels::packedBFloats(rows, cols),
        [&](ArrayRef<float> w, float *dst) {
          auto at = [&](int64_t r, int64_t c) { return w[view.at({r, c})]; };
          if (isA)
            panels::packA(rows, cols, at, dst);
          else
            panels::packB(rows, cols, at, dst);
        },
        table);
    if (packed)
      callPacked(call, operand, packed, isA ? kMatmulPackedA : kMatmulPackedB);
  }

  /// How the convolution `call` should have its filter packed: as the
  /// implicit GEMM's A, or as the transposed product's B where the cost
  /// model says the vectors are fuller over filters (which needs the
  /// output's pixel count, y's static shape).
  panels::FilterLayout filterLayoutFor(func::CallOp call, int64_t filters,
                                       int64_t window) {
    Value y = call.getOperand(2);
    if (auto cast = y.getDefiningOp<memref::CastOp>())
      y = cast.getSource();
    auto type = dyn_cast<MemRefType>(y.getType());
    if (!type || type.getRank() != 4 || type.isDynamicDim(2) ||
        type.isDynamicDim(3))
      return panels::kFiltersAsA;
    int64_t pixels = type.getDimSize(2) * type.getDimSize(3);
    quantc::costmodel::Decision decision = costModel->convolutionOverFilters(
        quantc::costmodel::describeOp(call), filters, pixels, window);
    decisions.record(decision);
    return decision.taken ? panels::kFiltersAsB : panels::kFiltersAsA;
  }

  /// The filter [F, C, KH, KW] packed as filterLayoutFor says
  /// (PanelLayout.h), and the call to `packedKernel` that reads it.
  void packConvFilter(func::CallOp call, const ConstantView &view,
                      StringRef packedKernel, SymbolTable &table) {
    ArrayRef<int64_t> shape = view.shape;
    int64_t filters = shape[0], kh = shape[2], kw = shape[3];
    int64_t k = shape[1] * kh * kw;
    panels::FilterLayout layout = filterLayoutFor(call, filters, k);
    memref::GlobalOp packed = packedGlobal<float, float>(
        view, layout == panels::kFiltersAsB ? "_packed_bt" : "_packed_a",
        panels::packedFilterFloats(layout, filters, k),
        [&](ArrayRef<float> w, float *dst) {
          panels::packFilter(
              layout, filters, k,
              [&](int64_t r, int64_t c) { return w[view.filterAt(r, c)]; },
              dst);
        },
        table);
    if (packed)
      callPacked(call, 1, packed, packedKernel, {kh, kw, int64_t(layout)});
  }

  /// B [K, N] of the int8 GEMM, a constant matrix: packed into
  /// Int8PanelLayout.h's layout with its column sums, the top bit flipped
  /// when the call's operand `unsignedOperand` says B is unsigned; the call
  /// becomes `packedKernel`'s.
  void packInt8MatmulB(func::CallOp call, const ConstantView &view,
                       unsigned unsignedOperand, StringRef packedKernel,
                       SymbolTable &table) {
    std::optional<int64_t> isUnsigned =
        constantInt(call.getOperand(unsignedOperand));
    if (!isUnsigned)
      return;
    int64_t k = view.shape[0], n = view.shape[1];
    memref::GlobalOp packed = packedGlobal<int8_t, int64_t>(
        view, *isUnsigned ? "_packed_i8u" : "_packed_i8",
        int8_panels::packedBBytes(k, n),
        [&](ArrayRef<int64_t> bytes, int8_t *dst) {
          int8_panels::packB(
              k, n,
              [&](int64_t r, int64_t c) { return int8_t(bytes[view.at({r, c})]); },
              *isUnsigned != 0, dst);
        },
        table);
    if (packed)
      callPacked(call, 1, packed, packedKernel);
  }

  /// The int8 convolution's filters [F, C, KH, KW], a constant: packed as
  /// the implicit GEMM's A [F, C * KH * KW] (Int8PanelLayout.h) with its row
  /// sums, the top bit flipped when the call's operand `unsignedOperand`
  /// says w is signed; the call becomes `packedKernel`'s.
  void packInt8ConvFilter(func::CallOp call, const ConstantView &view,
                          unsigned unsignedOperand, StringRef packedKernel,
                          SymbolTable &table) {
    std::optional<int64_t> isUnsigned = constantInt(call.getOperand(unsignedOperand));
    if (!isUnsigned)
      return;
    ArrayRef<int64_t> shape = view.shape;
    int64_t filters = shape[0], kh = shape[2], kw = shape[3];
    int64_t k = shape[1] * kh * kw;
    memref::GlobalOp packed = packedGlobal<int8_t, int64_t>(
        view, *isUnsigned ? "_packed_a_i8u" : "_packed_a_i8",
        int8_panels::packedABytes(filters, k),
        [&](ArrayRef<int64_t> bytes, int8_t *dst) {
          int8_panels::packA(
              filters, k,
              [&](int64_t r, int64_t c) {
                return int8_t(bytes[view.filterAt(r, c)]);
              },
              *isUnsigned != 0, dst);
        },
        table);
    if (packed)
      callPacked(call, 1, packed, packedKernel, {kh, kw});
  }

  /// Packed globals by the view they were made from.
  llvm::StringMap<memref::GlobalOp> packedViews;
  // Made per run; shared, not unique, since a pass must be copyable.
  std::shared_ptr<quantc::costmodel::CostModel> costModel;
  quantc::costmodel::DecisionLog decisions;
};

} // namespace
