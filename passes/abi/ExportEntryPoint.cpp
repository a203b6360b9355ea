//===- ExportEntryPoint.cpp - qc-export-entry-point -----------------------===//
#include "passes/abi/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

namespace quantc {
#define GEN_PASS_DEF_QCEXPORTENTRYPOINT
#include "passes/abi/Passes.h.inc"
} // namespace quantc

using namespace mlir;
using namespace quantc;

namespace {

/// Names are percent-encoded so that the signature stays one token per field.
std::string encodeName(StringRef name) {
  std::string out;
  for (unsigned char c : name) {
    if (llvm::isAlnum(c) || StringRef("_.:/-").contains(c))
      out += c;
    else
      out += llvm::formatv("%{0:X-2}", (unsigned)c).str();
  }
  return out;
}

FailureOr<StringRef> dtypeName(Operation *op, Type type) {
  if (type.isF32())
    return StringRef("f32");
  if (type.isF64())
    return StringRef("f64");
  if (type.isF16())
    return StringRef("f16");
  if (type.isInteger(1))
    return StringRef("bool");
  if (type.isSignlessInteger(8))
    return StringRef("i8");
  if (type.isSignlessInteger(16))
    return StringRef("i16");
  if (type.isSignlessInteger(32))
    return StringRef("i32");
  if (type.isSignlessInteger(64))
    return StringRef("i64");
  if (type.isUnsignedInteger(8))
    return StringRef("u8");
  if (type.isUnsignedInteger(16))
    return StringRef("u16");
  if (type.isUnsignedInteger(32))
    return StringRef("u32");
  if (type.isUnsignedInteger(64))
    return StringRef("u64");
  if (type.isBF16())
    return StringRef("bf16");
  if (isa<Float8E4M3FNType>(type))
    return StringRef("f8e4m3fn");
  if (isa<Float8E4M3FNUZType>(type))
    return StringRef("f8e4m3fnuz");
  if (isa<Float8E5M2Type>(type))
    return StringRef("f8e5m2");
  if (isa<Float8E5M2FNUZType>(type))
    return StringRef("f8e5m2fnuz");
  if (isa<Float8E8M0FNUType>(type))
    return StringRef("f8e8m0");
  if (isa<Float4E2M1FNType>(type))
    return StringRef("f4e2m1");
  if (type.isSignlessInteger(4))
    return StringRef("i4");
  if (type.isUnsignedInteger(4))
    return StringRef("u4");
  if (type.isSignlessInteger(2))
    return StringRef("i2");
  if (type.isUnsignedInteger(2))
    return StringRef("u2");
  return op->emitError() << "element type " << type
                         << " is not supported at the model's interface";
}

/// Writes one input or output line. A dim known only at run time is written
/// `?MIN:MAX:NAME` (docs/runtime-abi.md); inputs carry the bounds and names
/// the importer recorded, outputs are unbounded and unnamed.
LogicalResult describe(Operation *op, raw_ostream &os, StringRef kind,
                       StringRef name, Type type, DictionaryAttr attrs) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return op->emitError() << kind << " '" << name << "' has type " << type
                           << "; the interface needs ranked tensors";
  auto dtype = dtypeName(op, tensor.getElementType());
  if (failed(dtype))
    return failure();
  auto dimNames = attrs ? attrs.getAs<ArrayAttr>(kDimNamesAttr) : ArrayAttr();
  auto bounds =
      attrs ? attrs.getAs<DenseI64ArrayAttr>(kDimBoundsAttr) : DenseI64ArrayAttr();
  int64_t rank = tensor.getRank();
  if ((dimNames && (int64_t)dimNames.size() != rank) ||
      (bounds && bounds.size() != 2 * rank))
    return op->emitError() << kind << " '" << name << "' has " << kDimNamesAttr
                           << "/" << kDimBoundsAttr
                           << " that do not match its rank " << rank;
  os << kind << " " << encodeName(name) << " " << *dtype << " " << rank;
  for (auto [i, d] : llvm::enumerate(tensor.getShape())) {
    if (!ShapedType::isDynamic(d)) {
      os << " " << d;
      continue;
    }
    int64_t min = bounds ? bounds[2 * i] : 0;
    int64_t max = bounds ? bounds[2 * i + 1] : -1;
    StringRef dimName =
        dimNames ? cast<StringAttr>(dimNames[i]).getValue() : StringRef();
    os << " ?" << min << ":" << max << ":" << encodeName(dimName);
  }
  os << "\n";
  return success();
}

bool hasStaticResults(func::FuncOp func) {
  return llvm::all_of(func.getResultTypes(), [](Type t) {
    auto ranked = dyn_cast<RankedTensorType>(t);
    return ranked && ranked.hasStaticShape();
  });
}

struct ExportEntryPointPass
    : public quantc::impl::QcExportEntryPointBase<ExportEntryPointPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto func = module.lookupSymbol<func::FuncOp>(kEntryFunctionName);
    if (!func) {
      module.emitError() << "no entry function @" << kEntryFunctionName;
      return signalPassFailure();
    }
    std::string text;
    llvm::raw_string_ostream os(text);
    auto modelName = module->getAttrOfType<StringAttr>(kModelNameAttr);
    // Static outputs are written into the caller's buffers (out-params); if
    // any output's size is only known at run time, the model allocates and
    // returns every output instead, and the runtime hands them over.
    bool outParams = hasStaticResults(func);
    os << "quantc-signature 2\nmodel "
       << encodeName(modelName ? modelName.getValue() : "model") << "\n"
       << "results " << (outParams ? "out-params" : "returned") << "\n";
    auto nameOf = [&](DictionaryAttr attrs, StringRef fallback) {
      auto name = attrs ? attrs.getAs<StringAttr>(kOnnxNameAttr) : StringAttr();
      return name ? name.getValue().str() : fallback.str();
    };
    for (unsigned i = 0; i < func.getNumArguments(); ++i)
      if (failed(describe(func, os, "input",
                          nameOf(func.getArgAttrDict(i), "input" + std::to_string(i)),
                          func.getArgument(i).getType(), func.getArgAttrDict(i))))
        return signalPassFailure();
    for (unsigned i = 0; i < func.getNumResults(); ++i)
      if (failed(describe(func, os, "output",
                          nameOf(func.getResultAttrDict(i), "output" + std::to_string(i)),
                          func.getResultTypes()[i], DictionaryAttr())))
        return signalPassFailure();

    // Erase a previous run's signature before taking the insertion point:
    // it is the body's first op, and a builder made at the block's begin
    // would keep an iterator to it.
    if (auto old = module.lookupSymbol("qc_signature"))
      old->erase();
    OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
    text.push_back('\0');
    auto arrayType = LLVM::LLVMArrayType::get(b.getI8Type(), text.size());
    LLVM::GlobalOp::create(b, module.getLoc(), arrayType, /*isConstant=*/true,
                           LLVM::Linkage::External, "qc_signature",
                           b.getStringAttr(text));

    // The names now live in the signature. The runtime passes caller-owned
    // input buffers: never write them.
    for (unsigned i = 0; i < func.getNumResults(); ++i)
      func.removeResultAttr(i, b.getStringAttr(kOnnxNameAttr));
    for (unsigned i = 0; i < func.getNumArguments(); ++i) {
      func.removeArgAttr(i, b.getStringAttr(kOnnxNameAttr));
      func.removeArgAttr(i, b.getStringAttr(kDimNamesAttr));
      func.removeArgAttr(i, b.getStringAttr(kDimBoundsAttr));
      func.setArgAttr(i, bufferization::BufferizationDialect::kWritableAttrName,
                      b.getBoolAttr(false));
    }
    func->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(), b.getUnitAttr());
    // Private so that bufferization turns results into out-params; the C
    // wrapper keeps external linkage (shared/notes/cpu-path.md). A public
    // entry keeps its results (buffer-results-to-out-params skips it).
    if (outParams)
      func.setPrivate();
  }
};

} // namespace
