//===- OnnxImporter.cpp - ONNX ModelProto -> qc dialect -------------------===//
//
// The importer is generic over ops: an ONNX node `Foo` becomes `qc.Foo` when
// the qc dialect has that op, with its inputs as operands in order and its
// attributes converted by kind (INT -> i64, FLOAT -> f32, INTS -> array<i64>,
// ...). The op's ODS declaration is then the single place that says what is
// supported, and the verifier checks the attributes. Only the few places
// where ONNX changed an operator's form between opsets are normalized here.
// If, Loop and Scan are the operators with subgraphs (GRAPH attributes):
// each subgraph is imported into a region of the op (importIf, importLoop,
// importScan), its inputs as the region's block arguments.
//
//===----------------------------------------------------------------------===//
#include "compiler/import/OnnxImporter.h"
#include "compiler/import/OnnxTensors.h"

#include "dialects/qc/IR/QcOps.h"
#include "passes/abi/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"
#include "onnx/defs/parser.h"

using namespace mlir;

namespace quantc {
namespace {

class GraphImporter {
public:
  GraphImporter(MLIRContext *ctx, std::shared_ptr<const onnx::ModelProto> model,
                StringRef sourceName, const ImportOptions &options)
      : ctx(ctx), b(ctx), model(std::move(model)), sourceName(sourceName),
        options(options) {}

  OwningOpRef<ModuleOp> run();

private:
  Location nodeLoc(const onnx::NodeProto &node, int index);
  LogicalResult importInputs(func::FuncOp &func, ModuleOp module);
  LogicalResult importInitializers();
  LogicalResult checkSupported();
  void checkNodesSupported(const onnx::GraphProto &graph, StringRef where,
                           std::vector<std::string> &problems);
  LogicalResult importNode(const onnx::NodeProto &node, int index);
  LogicalResult importIf(const onnx::NodeProto &node, Location loc,
                         StringRef desc);
  LogicalResult importLoop(const onnx::NodeProto &node, Location loc,
                           StringRef desc);
  LogicalResult importScan(const onnx::NodeProto &node, Location loc,
                           StringRef desc);
  LogicalResult importSubgraph(const onnx::GraphProto &graph, Region &region,
                               TypeRange argTypes, Location loc,
                               StringRef desc);
  FailureOr<Value> lookupInput(const onnx::NodeProto &node, int index,
                               Location loc, StringRef desc);
  FailureOr<ArrayAttr> declaredOutputTypes(const onnx::GraphProto &graph,
                                           Location loc, StringRef desc);
  void setOutputs(const onnx::NodeProto &node, Operation *op);
  LogicalResult addOperands(const onnx::NodeProto &node,
                            RegisteredOperationName opName, Location loc,
                            StringRef desc, OperationState &state);
  FailureOr<Attribute> convertAttribute(const onnx::AttributeProto &attr,
                                        Location loc, StringRef nodeDesc);
  LogicalResult normalizeConstant(const onnx::NodeProto &node, Location loc,
                                  NamedAttrList &attrs);
  LogicalResult normalizeClip(const onnx::NodeProto &node, Location loc,
                              OperationState &state, NamedAttrList &attrs);

  MLIRContext *ctx;
  OpBuilder b;
  std::shared_ptr<const onnx::ModelProto> model;
  std::string sourceName;
  const ImportOptions &options;
  int64_t opset = 0;
  llvm::StringMap<Value> values;
};

std::string describeNode(const onnx::NodeProto &node, int index) {
  std::string name = node.name().empty() ? "#" + std::to_string(index)
                                         : "'" + node.name() + "'";
  return "node " + name + " (" + node.op_type() + ")";
}

Location GraphImporter::nodeLoc(const onnx::NodeProto &node, int index) {
  std::string name = node.name().empty()
                         ? node.op_type() + "_" + std::to_string(index)
                         : node.name();
  return NameLoc::get(b.getStringAttr(name),
                      FileLineColLoc::get(ctx, sourceName, 0, 0));
}

/// Every node of `graph` and of its subgraphs (If's branches, Loop's and
/// Scan's bodies), checked before anything is built; `where` says which
/// subgraph, for the message.
void GraphImporter::checkNodesSupported(const onnx::GraphProto &graph,
                                        StringRef where,
                                        std::vector<std::string> &problems) {
  for (auto [index, node] : llvm::enumerate(graph.node())) {
    std::string desc = describeNode(node, index) + where.str();
    // The default domain, or onnxruntime's com.microsoft for the ops quantc
    // has of it (Qc_MicrosoftDomain).
    bool microsoft = node.domain() == "com.microsoft";
    if (!node.domain().empty() && node.domain() != "ai.onnx" && !microsoft) {
      problems.push_back(desc + " in domain '" + node.domain() + "'");
      continue;
    }
    if (opset == 0) {
      problems.push_back(desc + ": the model imports no version of the "
                                "default ONNX operator set");
      continue;
    }
    std::optional<RegisteredOperationName> op =
        RegisteredOperationName::lookup("qc." + node.op_type(), ctx);
    if (!op || op->hasTrait<qc::OpTrait::NotOnnx>() ||
        op->hasTrait<qc::OpTrait::MicrosoftDomain>() != microsoft) {
      problems.push_back(desc + (microsoft ? " in domain 'com.microsoft'"
                                           : ", opset " + std::to_string(opset)));
      continue;
    }
    for (const auto &attr : node.attribute())
      if (attr.type() == onnx::AttributeProto::GRAPH)
        checkNodesSupported(attr.g(),
                            " in " + attr.name() + " of " +
                                describeNode(node, index) + where.str(),
                            problems);
  }
}

/// Every node of the model is checked before anything is built, so that one
/// message lists all the nodes quantc cannot compile.
LogicalResult GraphImporter::checkSupported() {
  std::vector<std::string> problems;
  checkNodesSupported(model->graph(), "", problems);
  if (problems.empty())
    return success();
  auto diag = emitError(FileLineColLoc::get(ctx, sourceName, 0, 0))
              << problems.size() << " node(s) use operators that quantc does "
                 "not support yet:";
  for (const std::string &p : problems)
    diag << "\n  " << p;
  return failure();
}

LogicalResult GraphImporter::importInputs(func::FuncOp &func, ModuleOp module) {
  const onnx::GraphProto &graph = model->graph();
  llvm::StringSet<> initializers;
  for (const auto &init : graph.initializer())
    initializers.insert(init.name());

  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  Location modelLoc = FileLineColLoc::get(ctx, sourceName, 0, 0);
  llvm::StringSet<> usedOverrides, usedDims;
  struct DimInfo {
    size_t arg;
    ArrayAttr names;
    DenseI64ArrayAttr bounds;
  };
  SmallVector<DimInfo> dimInfo;
  for (const auto &input : graph.input()) {
    if (initializers.contains(input.name()))
      continue; // pre-IR-4 models list initializers as inputs too
    if (!input.type().has_tensor_type())
      return emitError(modelLoc) << "input '" << input.name()
                                 << "' is not a tensor; only tensor inputs are "
                                    "supported";
    const auto &tt = input.type().tensor_type();
    std::string error;
    Type et = convertOnnxElementType(tt.elem_type(), ctx, error);
    if (!et)
      return emitError(modelLoc) << "input '" << input.name() << "': " << error;
    // The model's dims first, then the user's --shape, then --dim by name.
    SmallVector<DimSpec> dims;
    SmallVector<std::string> dimNames;
    if (tt.has_shape()) {
      for (const auto &dim : tt.shape().dim()) {
        bool known = dim.has_dim_value() && dim.dim_value() >= 0;
        dims.push_back({known ? dim.dim_value() : ShapedType::kDynamic});
        dimNames.push_back(dim.has_dim_param() ? dim.dim_param() : "");
      }
    }
    if (auto it = options.inputShapes.find(input.name());
        it != options.inputShapes.end()) {
      if (tt.has_shape() && it->second.size() != dims.size())
        return emitError(modelLoc)
               << "--shape gives input '" << input.name() << "' rank "
               << it->second.size() << ", but the model declares rank "
               << dims.size();
      dims = it->second;
      dimNames.resize(dims.size());
      usedOverrides.insert(input.name());
    } else if (!tt.has_shape()) {
      return emitError(modelLoc) << "input '" << input.name()
                                 << "' has no shape; give one with --shape "
                                 << input.name() << "=DxDx...";
    }
    for (auto [dim, name] : llvm::zip(dims, dimNames)) {
      auto named = options.namedDims.find(name);
      if (name.empty() || named == options.namedDims.end())
        continue;
      if (!ShapedType::isDynamic(dim.value) &&
          !ShapedType::isDynamic(named->second.value) &&
          dim.value != named->second.value)
        return emitError(modelLoc)
               << "--dim " << name << "=" << named->second.value
               << " conflicts with input '" << input.name()
               << "', whose dim '" << name << "' is " << dim.value;
      if (ShapedType::isDynamic(dim.value))
        dim = named->second;
      usedDims.insert(name);
    }
    SmallVector<int64_t> shape;
    SmallVector<int64_t> bounds;
    SmallVector<Attribute> names;
    bool dynamic = false;
    for (auto [dim, name] : llvm::zip(dims, dimNames)) {
      shape.push_back(dim.value);
      dynamic |= ShapedType::isDynamic(dim.value);
      bounds.push_back(ShapedType::isDynamic(dim.value) ? dim.min : dim.value);
      bounds.push_back(ShapedType::isDynamic(dim.value) ? dim.max : dim.value);
      names.push_back(b.getStringAttr(name));
    }
    if (dynamic)
      dimInfo.push_back({argTypes.size(), b.getArrayAttr(names),
                         b.getDenseI64ArrayAttr(bounds)});
    argTypes.push_back(RankedTensorType::get(shape, et));
    argNames.push_back(input.name());
  }
  for (const auto &entry : options.inputShapes)
    if (!usedOverrides.contains(entry.getKey()))
      return emitError(modelLoc) << "--shape names '" << entry.getKey()
                                 << "', which is not an input of the model";
  for (const auto &entry : options.namedDims)
    if (!usedDims.contains(entry.getKey()))
      return emitError(modelLoc) << "--dim names '" << entry.getKey()
                                 << "', which is not a dim name of any input";

  b.setInsertionPointToEnd(module.getBody());
  func = func::FuncOp::create(b, modelLoc, kEntryFunctionName,
                              b.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  for (auto [i, name] : llvm::enumerate(argNames)) {
    func.setArgAttr(i, kOnnxNameAttr, b.getStringAttr(name));
    values[name] = entry->getArgument(i);
  }
  for (const DimInfo &info : dimInfo) {
    func.setArgAttr(info.arg, kDimNamesAttr, info.names);
    func.setArgAttr(info.arg, kDimBoundsAttr, info.bounds);
  }
  b.setInsertionPointToStart(entry);
  return success();
}

LogicalResult GraphImporter::importInitializers() {
  for (const auto &init : model->graph().initializer()) {
    std::string error;
    ElementsAttr value = convertOnnxTensor(init, model, ctx, error);
    Location loc = NameLoc::get(b.getStringAttr(init.name()),
                                FileLineColLoc::get(ctx, sourceName, 0, 0));
    if (!value)
      return emitError(loc) << "initializer '" << init.name() << "': " << error;
    values[init.name()] = qc::ConstantOp::create(b, loc, value.getType(), value);
  }
  return success();
}

FailureOr<Attribute>
GraphImporter::convertAttribute(const onnx::AttributeProto &attr, Location loc,
                                StringRef nodeDesc) {
  switch (attr.type()) {
  case onnx::AttributeProto::INT:
    return Attribute(b.getI64IntegerAttr(attr.i()));
  case onnx::AttributeProto::FLOAT:
    return Attribute(b.getF32FloatAttr(attr.f()));
  case onnx::AttributeProto::STRING:
    return Attribute(b.getStringAttr(attr.s()));
  case onnx::AttributeProto::INTS:
    return Attribute(b.getDenseI64ArrayAttr(
        SmallVector<int64_t>(attr.ints().begin(), attr.ints().end())));
  case onnx::AttributeProto::FLOATS:
    return Attribute(b.getDenseF32ArrayAttr(
        SmallVector<float>(attr.floats().begin(), attr.floats().end())));
  case onnx::AttributeProto::STRINGS: {
    SmallVector<Attribute> strings;
    for (const auto &s : attr.strings())
      strings.push_back(b.getStringAttr(s));
    return Attribute(b.getArrayAttr(strings));
  }
  case onnx::AttributeProto::TENSOR: {
    std::string error;
    ElementsAttr value = convertOnnxTensor(attr.t(), model, ctx, error);
    if (!value)
      return emitError(loc) << nodeDesc << ", attribute '" << attr.name()
                            << "': " << error;
    return Attribute(value);
  }
  default:
    return emitError(loc) << nodeDesc << ": attribute '" << attr.name()
                          << "' is of a kind (graph, sparse tensor, type) that "
                             "quantc does not support yet";
  }
}

/// ONNX Constant has seven spellings of its value; qc.Constant has one.
LogicalResult GraphImporter::normalizeConstant(const onnx::NodeProto &node,
                                               Location loc,
                                               NamedAttrList &attrs) {
  if (attrs.getAttrs().size() != 1)
    return emitError(loc) << "Constant must have exactly one value attribute";
  NamedAttribute only = attrs.getAttrs().front();
  StringRef kind = only.getName().getValue();
  Attribute v = only.getValue();
  ElementsAttr value;
  if (kind == "value") {
    value = cast<ElementsAttr>(v);
  } else if (kind == "value_float") {
    value = DenseElementsAttr::get(RankedTensorType::get({}, b.getF32Type()),
                                   cast<FloatAttr>(v).getValue());
  } else if (kind == "value_int") {
    value = DenseElementsAttr::get(RankedTensorType::get({}, b.getI64Type()),
                                   cast<IntegerAttr>(v).getValue());
  } else if (kind == "value_floats") {
    auto floats = cast<DenseF32ArrayAttr>(v).asArrayRef();
    value = DenseElementsAttr::get(
        RankedTensorType::get({(int64_t)floats.size()}, b.getF32Type()), floats);
  } else if (kind == "value_ints") {
    auto ints = cast<DenseI64ArrayAttr>(v).asArrayRef();
    value = DenseElementsAttr::get(
        RankedTensorType::get({(int64_t)ints.size()}, b.getI64Type()), ints);
  } else {
    return emitError(loc) << "Constant with '" << kind
                          << "' is not supported yet";
  }
  attrs.clear();
  attrs.set("value", value);
  return success();
}

/// Clip's bounds are optional inputs (attributes before opset 11); qc.Clip
/// always has both, as scalar constants where the model gives none.
/// Before opset 11, Clip's bounds are float attributes (Clip was float-only
/// then); they become the optional operands of later opsets.
LogicalResult GraphImporter::normalizeClip(const onnx::NodeProto &node,
                                           Location loc, OperationState &state,
                                           NamedAttrList &attrs) {
  Attribute minAttr = attrs.get("min"), maxAttr = attrs.get("max");
  if (!minAttr && !maxAttr)
    return success();
  if (state.operands.size() != 1)
    return emitError(loc) << "Clip with min/max attributes takes one input";
  Type et = cast<ShapedType>(state.operands[0].getType()).getElementType();
  if (!isa<FloatType>(et))
    return emitError(loc) << "Clip before opset 11 takes a float input";
  auto scalarType = RankedTensorType::get({}, et);
  SmallVector<int32_t> segments{1};
  for (Attribute attr : {minAttr, maxAttr}) {
    segments.push_back(attr ? 1 : 0);
    if (!attr)
      continue;
    APFloat value = cast<FloatAttr>(attr).getValue();
    bool lost;
    value.convert(cast<FloatType>(et).getFloatSemantics(),
                  APFloat::rmNearestTiesToEven, &lost);
    state.operands.push_back(qc::ConstantOp::create(
        b, loc, scalarType,
        cast<ElementsAttr>(DenseElementsAttr::get(scalarType, value))));
  }
  state.attributes.set("operandSegmentSizes", b.getDenseI32ArrayAttr(segments));
  attrs.erase("min");
  attrs.erase("max");
  return success();
}

/// The number of results of an op that has a fixed number (no variadic
/// results), from its traits.
std::optional<int> fixedResultCount(RegisteredOperationName opName) {
  if (opName.hasTrait<OpTrait::ZeroResults>())
    return 0;
  if (opName.hasTrait<OpTrait::OneResult>())
    return 1;
  if (opName.hasTrait<OpTrait::NResults<2>::Impl>())
    return 2;
  if (opName.hasTrait<OpTrait::NResults<3>::Impl>())
    return 3;
  if (opName.hasTrait<OpTrait::NResults<4>::Impl>())
    return 4;
  return std::nullopt;
}

/// ONNX inputs are positional and an optional one may be omitted (an empty
/// name). Omitted inputs at the end are simply left out; in the middle they
/// need an op with optional inputs (one ODS operand group per ONNX input) or,
/// for Clip, its normalizer, which reads the inputs by position.
LogicalResult GraphImporter::addOperands(const onnx::NodeProto &node,
                                         RegisteredOperationName opName,
                                         Location loc, StringRef desc,
                                         OperationState &state) {
  auto *optionalInputs = opName.getInterface<qc::OptionalInputsOpInterface>();
  SmallVector<int32_t> segments;
  bool omitted = false;
  for (auto [index, input] : llvm::enumerate(node.input())) {
    if (optionalInputs && index < optionalInputs->getNumInputGroups())
      segments.push_back(input.empty() ? 0 : 1);
    else if (optionalInputs && !input.empty())
      ++segments.back(); // the last group is variadic
    if (input.empty()) {
      omitted = true;
      continue;
    }
    if (omitted && !optionalInputs)
      return emitError(loc) << desc << ": omitted inputs before the last one "
                                       "are not supported for this operator";
    auto it = values.find(input);
    if (it == values.end())
      return emitError(loc) << desc << ": input '" << input
                            << "' is not produced by any earlier node, input "
                               "or initializer";
    state.operands.push_back(it->second);
  }
  if (optionalInputs) {
    segments.resize(optionalInputs->getNumInputGroups(), 0);
    state.addAttribute("operandSegmentSizes", b.getDenseI32ArrayAttr(segments));
  }
  return success();
}

LogicalResult GraphImporter::importNode(const onnx::NodeProto &node, int index) {
  Location loc = nodeLoc(node, index);
  std::string desc = describeNode(node, index);
  if (node.op_type() == "If")
    return importIf(node, loc, desc);
  if (node.op_type() == "Loop")
    return importLoop(node, loc, desc);
  if (node.op_type() == "Scan")
    return importScan(node, loc, desc);
  OperationState state(loc, "qc." + node.op_type());

  auto opName = *RegisteredOperationName::lookup(state.name.getStringRef(), ctx);
  if (failed(addOperands(node, opName, loc, desc, state)))
    return failure();

  NamedAttrList attrs;
  for (const auto &attr : node.attribute()) {
    auto converted = convertAttribute(attr, loc, desc);
    if (failed(converted))
      return failure();
    attrs.set(attr.name(), *converted);
  }
  if (node.op_type() == "Constant" && failed(normalizeConstant(node, loc, attrs)))
    return failure();
  if (node.op_type() == "Clip" && failed(normalizeClip(node, loc, state, attrs)))
    return failure();
  if ((node.op_type() == "Softmax" || node.op_type() == "LogSoftmax" ||
       node.op_type() == "Hardmax") &&
      opset < 13) {
    // Before opset 13, the Softmax family coerced its input to 2-D at `axis`
    // (default 1).
    if (!attrs.get("axis"))
      attrs.set("axis", b.getI64IntegerAttr(1));
    attrs.set("coerce_to_2d", b.getUnitAttr());
  }
  if (node.op_type() == "DFT" && !attrs.get("axis") &&
      (node.input_size() < 3 || node.input(2).empty())) {
    // The default axis moved from 1 (an attribute) to -2 (an input) at 20.
    attrs.set("axis", b.getI64IntegerAttr(opset >= 20 ? -2 : 1));
  }
  // An attribute the op does not declare would be silently ignored: refuse it.
  for (NamedAttribute attr : attrs)
    if (!llvm::is_contained(opName.getAttributeNames(), attr.getName()))
      return emitError(loc) << desc << ": attribute '" << attr.getName().getValue()
                            << "' is not supported (opset " << opset << ")";
  state.addAttributes(attrs);
  // Result types are placeholders until qc-shape-inference: the element type
  // of the first operand (or f32), no shape.
  Type placeholderElement = b.getF32Type();
  if (!state.operands.empty())
    if (auto shaped = dyn_cast<ShapedType>(state.operands[0].getType()))
      placeholderElement = shaped.getElementType();
  // An op with a fixed number of results gets all of them even when the node
  // names fewer (ONNX optional outputs); the unused ones are dead after
  // lowering.
  int numResults = node.output_size();
  if (std::optional<int> fixed = fixedResultCount(opName)) {
    if (node.output_size() > *fixed)
      return emitError(loc) << desc << " has " << node.output_size()
                            << " outputs; quantc supports this operator with "
                            << *fixed << " only";
    numResults = *fixed;
  }
  for (int i = 0; i < numResults; ++i)
    state.types.push_back(UnrankedTensorType::get(placeholderElement));
  if (auto value = attrs.get("value"); value && node.op_type() == "Constant")
    state.types[0] = cast<ElementsAttr>(value).getType();

  Operation *op = b.create(state);
  if (failed(mlir::verify(op)))
    return failure();
  for (auto [i, name] : llvm::enumerate(node.output()))
    if (!name.empty())
      values[name] = op->getResult(i);
  return success();
}

/// ONNX If: `qc.If` with each branch graph imported into a region. Its
/// results get placeholder types, as every op's do, until shape inference.
LogicalResult GraphImporter::importIf(const onnx::NodeProto &node,
                                      Location loc, StringRef desc) {
  const onnx::GraphProto *branches[2] = {nullptr, nullptr};
  for (const auto &attr : node.attribute()) {
    if (attr.name() == "then_branch" && attr.type() == onnx::AttributeProto::GRAPH)
      branches[0] = &attr.g();
    else if (attr.name() == "else_branch" &&
             attr.type() == onnx::AttributeProto::GRAPH)
      branches[1] = &attr.g();
    else
      return emitError(loc) << desc << ": unexpected attribute '"
                            << attr.name() << "'";
  }
  if (!branches[0] || !branches[1])
    return emitError(loc) << desc << " needs both then_branch and else_branch";
  if (node.input_size() != 1 || node.input(0).empty())
    return emitError(loc) << desc << " takes exactly one input, the condition";
  auto cond = values.find(node.input(0));
  if (cond == values.end())
    return emitError(loc) << desc << ": input '" << node.input(0)
                          << "' is not produced by any earlier node, input "
                             "or initializer";
  for (const onnx::GraphProto *branch : branches) {
    if (branch->output_size() != node.output_size())
      return emitError(loc) << desc << ": its branch '" << branch->name()
                            << "' has " << branch->output_size()
                            << " outputs, the node " << node.output_size();
    // Exported subgraphs often leave an output's type out: it is then
    // taken to be a tensor, and shape inference finds out.
    for (const auto &output : branch->output())
      if (output.type().has_sequence_type() ||
          output.type().has_optional_type() || output.type().has_map_type() ||
          output.type().has_sparse_tensor_type())
        return emitError(loc)
               << desc << ": output '" << output.name() << "' of branch '"
               << branch->name()
               << "' is not a tensor (a sequence, optional, map or sparse "
                  "tensor); quantc supports If with tensor outputs only";
  }
  SmallVector<Type> types;
  for (const auto &output : branches[0]->output()) {
    std::string error;
    Type et = b.getF32Type();
    if (output.type().tensor_type().has_elem_type())
      if (Type declared = convertOnnxElementType(
              output.type().tensor_type().elem_type(), ctx, error))
        et = declared;
    types.push_back(UnrankedTensorType::get(et));
  }
  auto ifOp = qc::IfOp::create(b, loc, types, cond->second);
  for (auto [branch, region] : llvm::zip(branches, ifOp->getRegions())) {
    if (branch->input_size() != 0)
      return emitError(loc) << desc << ": its branch '" << branch->name()
                            << "' declares inputs; an If branch takes none";
    if (failed(importSubgraph(*branch, region, {}, loc, desc)))
      return failure();
  }
  if (failed(mlir::verify(ifOp)))
    return failure();
  for (auto [i, name] : llvm::enumerate(node.output()))
    if (!name.empty())
      values[name] = ifOp.getResult(i);
  return success();
}

/// Input `index` of `node`, which must name a value in scope.
FailureOr<Value> GraphImporter::lookupInput(const onnx::NodeProto &node,
                                            int index, Location loc,
                                            StringRef desc) {
  auto it = values.find(node.input(index));
  if (it == values.end())
    return emitError(loc) << desc << ": input '" << node.input(index)
                          << "' is not produced by any earlier node, input "
                             "or initializer";
  return it->second;
}

/// The types a Loop or Scan body declares for its outputs, for shape
/// inference to take the dims it cannot infer (see qc.Loop). Null when no
/// output declares a shape. Outputs that are not tensors are refused.
FailureOr<ArrayAttr>
GraphImporter::declaredOutputTypes(const onnx::GraphProto &graph, Location loc,
                                   StringRef desc) {
  SmallVector<Attribute> types;
  bool anyShape = false;
  for (const auto &output : graph.output()) {
    const onnx::TypeProto &type = output.type();
    if (type.value_case() != onnx::TypeProto::VALUE_NOT_SET &&
        !type.has_tensor_type())
      return emitError(loc)
             << desc << ": output '" << output.name() << "' of its body is "
             << "not a tensor (a sequence, optional, map or sparse tensor); "
                "quantc supports Loop and Scan with tensor values only";
    std::string error;
    Type et =
        type.tensor_type().has_elem_type()
            ? convertOnnxElementType(type.tensor_type().elem_type(), ctx, error)
            : Type();
    if (!et) {
      types.push_back(TypeAttr::get(NoneType::get(ctx)));
      continue;
    }
    if (!type.tensor_type().has_shape()) {
      types.push_back(TypeAttr::get(UnrankedTensorType::get(et)));
      continue;
    }
    SmallVector<int64_t> shape;
    for (const auto &dim : type.tensor_type().shape().dim())
      shape.push_back(dim.has_dim_value() && dim.dim_value() >= 0
                          ? dim.dim_value()
                          : ShapedType::kDynamic);
    anyShape = true;
    types.push_back(TypeAttr::get(RankedTensorType::get(shape, et)));
  }
  return anyShape ? b.getArrayAttr(types) : ArrayAttr();
}

void GraphImporter::setOutputs(const onnx::NodeProto &node, Operation *op) {
  for (auto [i, name] : llvm::enumerate(node.output()))
    if (!name.empty())
      values[name] = op->getResult(i);
}

/// The body graph of a Loop or Scan node, whose inputs must be tensors.
static FailureOr<const onnx::GraphProto *>
findBody(const onnx::NodeProto &node, Location loc, StringRef desc) {
  const onnx::GraphProto *body = nullptr;
  for (const auto &attr : node.attribute())
    if (attr.name() == "body" && attr.type() == onnx::AttributeProto::GRAPH)
      body = &attr.g();
  if (!body)
    return emitError(loc) << desc << " needs a body graph";
  for (const auto &input : body->input())
    if (input.type().value_case() != onnx::TypeProto::VALUE_NOT_SET &&
        !input.type().has_tensor_type())
      return emitError(loc)
             << desc << ": input '" << input.name() << "' of its body is "
             << "not a tensor (a sequence, optional, map or sparse tensor); "
                "quantc supports Loop and Scan with tensor values only";
  return body;
}

/// ONNX Loop: `qc.Loop` with the body graph in its region. M and cond may
/// be omitted (empty names); the rest are the loop-carried values.
LogicalResult GraphImporter::importLoop(const onnx::NodeProto &node,
                                        Location loc, StringRef desc) {
  FailureOr<const onnx::GraphProto *> body = findBody(node, loc, desc);
  if (failed(body))
    return failure();
  for (const auto &attr : node.attribute())
    if (attr.name() != "body")
      return emitError(loc)
             << desc << ": unexpected attribute '" << attr.name() << "'";
  if (node.input_size() < 2)
    return emitError(loc) << desc
                          << " takes M and cond (either may be empty) "
                             "before its loop-carried values";
  Value optional[2];
  SmallVector<Value> carried;
  for (int i = 0; i < node.input_size(); ++i) {
    if (node.input(i).empty()) {
      if (i >= 2)
        return emitError(loc)
               << desc << ": loop-carried value " << i - 2 << " is omitted";
      continue;
    }
    FailureOr<Value> v = lookupInput(node, i, loc, desc);
    if (failed(v))
      return failure();
    (i < 2 ? optional[i] : carried.emplace_back()) = *v;
  }
  int numCarried = carried.size();
  if ((*body)->input_size() != 2 + numCarried ||
      (*body)->output_size() < 1 + numCarried)
    return emitError(loc) << desc << ": its body takes "
                          << (*body)->input_size() << " inputs and gives "
                          << (*body)->output_size() << " outputs; with "
                          << numCarried << " loop-carried values it must take "
                          << 2 + numCarried << " and give at least "
                          << 1 + numCarried;
  int numResults = (*body)->output_size() - 1;
  if (node.output_size() > numResults)
    return emitError(loc) << desc << " has " << node.output_size()
                          << " outputs, its body gives " << numResults;
  FailureOr<ArrayAttr> declared = declaredOutputTypes(**body, loc, desc);
  if (failed(declared))
    return failure();
  SmallVector<Type> types, argTypes{RankedTensorType::get({}, b.getI64Type()),
                                    RankedTensorType::get({}, b.getI1Type())};
  for (Value v : carried)
    argTypes.push_back(v.getType());
  for (int i = 0; i < numResults; ++i)
    types.push_back(UnrankedTensorType::get(
        i < numCarried ? getElementTypeOrSelf(carried[i].getType())
                       : b.getF32Type()));
  auto loop = qc::LoopOp::create(b, loc, types, optional[0], optional[1],
                                 carried, *declared);
  if (failed(importSubgraph(**body, loop.getBody(), argTypes, loc, desc)) ||
      failed(mlir::verify(loop)))
    return failure();
  setOutputs(node, loop);
  return success();
}

/// ONNX Scan. Opset 8's form (a batch axis in front, an optional
/// sequence_lens first input, `directions`) becomes qc.Scan's `batched`
/// form; sequence_lens is refused.
LogicalResult GraphImporter::importScan(const onnx::NodeProto &node,
                                        Location loc, StringRef desc) {
  FailureOr<const onnx::GraphProto *> body = findBody(node, loc, desc);
  if (failed(body))
    return failure();
  bool batched = opset < 9;
  NamedAttrList attrs;
  for (const auto &attr : node.attribute()) {
    if (attr.name() == "body")
      continue;
    StringRef name = attr.name();
    if (batched && name == "directions")
      name = "scan_input_directions";
    else if (batched ? name != "num_scan_inputs"
                     : !llvm::is_contained(
                           {"num_scan_inputs", "scan_input_axes",
                            "scan_input_directions", "scan_output_axes",
                            "scan_output_directions"},
                           name))
      return emitError(loc) << desc << ": attribute '" << attr.name()
                            << "' is not supported (opset " << opset << ")";
    FailureOr<Attribute> converted = convertAttribute(attr, loc, desc);
    if (failed(converted))
      return failure();
    attrs.set(name, *converted);
  }
  if (!attrs.get("num_scan_inputs"))
    return emitError(loc) << desc << " needs num_scan_inputs";
  if (batched) {
    attrs.set("batched", b.getUnitAttr());
    if (node.input_size() > 0 && !node.input(0).empty())
      return emitError(loc) << desc
                            << ": sequence_lens (opset 8) is not "
                               "supported; leave it out";
  }
  SmallVector<Value> inputs;
  for (int i = batched ? 1 : 0; i < node.input_size(); ++i) {
    FailureOr<Value> v = lookupInput(node, i, loc, desc);
    if (failed(v))
      return failure();
    inputs.push_back(*v);
  }
  if ((*body)->input_size() != (int)inputs.size())
    return emitError(loc) << desc << ": its body takes "
                          << (*body)->input_size() << " inputs, the Scan has "
                          << inputs.size() << " states and scan inputs";
  int numResults = (*body)->output_size();
  if (node.output_size() > numResults)
    return emitError(loc) << desc << " has " << node.output_size()
                          << " outputs, its body gives " << numResults;
  FailureOr<ArrayAttr> declared = declaredOutputTypes(**body, loc, desc);
  if (failed(declared))
    return failure();
  if (*declared)
    attrs.set("body_output_types", *declared);
  SmallVector<Type> types, argTypes;
  for (Value v : inputs)
    argTypes.push_back(UnrankedTensorType::get(getElementTypeOrSelf(v)));
  for (int i = 0; i < numResults; ++i)
    types.push_back(UnrankedTensorType::get(b.getF32Type()));
  OperationState state(loc, qc::ScanOp::getOperationName());
  state.addOperands(inputs);
  state.addAttributes(attrs);
  state.addTypes(types);
  state.addRegion();
  auto scan = cast<qc::ScanOp>(b.create(state));
  if (failed(importSubgraph(**body, scan.getBody(), argTypes, loc, desc)) ||
      failed(mlir::verify(scan)))
    return failure();
  setOutputs(node, scan);
  return success();
}

/// A subgraph reads the values of the graphs around it by name, and its own
/// names (inputs, initializers, node outputs) shadow theirs within it. It is
/// imported with a copy of the enclosing names, restored afterwards. Its
/// inputs become the block arguments, of `argTypes` (placeholders until
/// shape inference).
LogicalResult GraphImporter::importSubgraph(const onnx::GraphProto &graph,
                                            Region &region, TypeRange argTypes,
                                            Location loc, StringRef desc) {
  if (graph.sparse_initializer_size() != 0)
    return emitError(loc) << desc << ": its branch '" << graph.name()
                          << "' has sparse initializers, which quantc does "
                             "not support";
  llvm::StringMap<Value> outer = values;
  OpBuilder::InsertionGuard guard(b);
  b.createBlock(&region, {}, argTypes,
                SmallVector<Location>(argTypes.size(), loc));
  auto restore = llvm::make_scope_exit([&] { values = std::move(outer); });
  for (auto [input, arg] : llvm::zip(graph.input(), region.getArguments()))
    values[input.name()] = arg;
  for (const auto &init : graph.initializer()) {
    std::string error;
    ElementsAttr value = convertOnnxTensor(init, model, ctx, error);
    Location initLoc = NameLoc::get(b.getStringAttr(init.name()), loc);
    if (!value)
      return emitError(initLoc) << "initializer '" << init.name() << "': " << error;
    values[init.name()] = qc::ConstantOp::create(b, initLoc, value.getType(), value);
  }
  for (auto [index, node] : llvm::enumerate(graph.node()))
    if (failed(importNode(node, index)))
      return failure();
  SmallVector<Value> results;
  for (const auto &output : graph.output()) {
    auto it = values.find(output.name());
    if (it == values.end())
      return emitError(loc)
             << desc << ": output '" << output.name() << "' of subgraph '"
             << graph.name() << "' is not produced by any node";
    results.push_back(it->second);
  }
  qc::YieldOp::create(b, loc, results);
  return success();
}

OwningOpRef<ModuleOp> GraphImporter::run() {
  const onnx::GraphProto &graph = model->graph();
  Location modelLoc = FileLineColLoc::get(ctx, sourceName, 0, 0);
  for (const auto &id : model->opset_import())
    if (id.domain().empty() || id.domain() == "ai.onnx")
      opset = id.version();
  if (failed(checkSupported()))
    return {};

  OwningOpRef<ModuleOp> module = ModuleOp::create(modelLoc);
  std::string modelName = graph.name().empty() ? "model" : graph.name();
  (*module)->setAttr(kModelNameAttr, b.getStringAttr(modelName));
  (*module)->setAttr("qc.opset", b.getI64IntegerAttr(opset));
  (*module)->setAttr("qc.ir_version", b.getI64IntegerAttr(model->ir_version()));

  func::FuncOp func;
  if (failed(importInputs(func, *module)) || failed(importInitializers()))
    return {};
  for (auto [index, node] : llvm::enumerate(graph.node()))
    if (failed(importNode(node, index)))
      return {};

  SmallVector<Value> results;
  for (const auto &output : graph.output()) {
    auto it = values.find(output.name());
    if (it == values.end()) {
      emitError(modelLoc) << "graph output '" << output.name()
                          << "' is not produced by any node";
      return {};
    }
    results.push_back(it->second);
  }
  if (results.empty()) {
    emitError(modelLoc) << "the graph has no outputs";
    return {};
  }
  func::ReturnOp::create(b, modelLoc, results);
  func.setType(b.getFunctionType(func.getArgumentTypes(),
                                 ValueRange(results).getTypes()));
  for (auto [i, output] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, kOnnxNameAttr, b.getStringAttr(output.name()));
  if (failed(mlir::verify(*module)))
    return {};
  return module;
}

} // namespace

OwningOpRef<ModuleOp> importOnnxBytes(StringRef bytes, StringRef sourceName,
                                      MLIRContext *ctx,
                                      const ImportOptions &options) {
  ctx->loadDialect<qc::QcDialect, func::FuncDialect>();
  auto model = std::make_shared<onnx::ModelProto>();
  Location loc = FileLineColLoc::get(ctx, sourceName, 0, 0);
  // ONNX text starts with '<' after blanks and '#' comment lines.
  StringRef trimmed = bytes.ltrim();
  while (trimmed.starts_with("#"))
    trimmed = trimmed.drop_until([](char c) { return c == '\n'; }).ltrim();
  if (trimmed.starts_with("<")) {
    std::string text = bytes.str(); // the parser wants a NUL-terminated string
    auto status = onnx::OnnxParser::Parse(*model, text.c_str());
    if (!status.IsOK()) {
      emitError(loc) << "not a valid ONNX text model: " << status.ErrorMessage();
      return {};
    }
  } else if (bytes.size() > (size_t)INT_MAX ||
             !model->ParseFromArray(bytes.data(), (int)bytes.size())) {
    emitError(loc) << "not a valid ONNX model (the file is truncated, corrupt, "
                      "or not ONNX)";
    return {};
  }
  if (!model->has_graph() || model->graph().node_size() == 0) {
    emitError(loc) << "not a valid ONNX model: it has no graph nodes";
    return {};
  }
  return GraphImporter(ctx, std::move(model), sourceName, options).run();
}

OwningOpRef<ModuleOp> importOnnxFile(StringRef path, MLIRContext *ctx,
                                     const ImportOptions &options) {
  auto buffer = llvm::MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/false);
  if (!buffer) {
    emitError(FileLineColLoc::get(ctx, path, 0, 0))
        << "cannot read '" << path << "': " << buffer.getError().message();
    return {};
  }
  return importOnnxBytes((*buffer)->getBuffer(), path, ctx, options);
}

/// One dim of --shape or --dim: `8`, `?` or `1..512`.
static LogicalResult parseDim(StringRef p, StringRef option, DimSpec &dim,
                              std::string &error) {
  auto fail = [&](StringRef why) {
    error = ("invalid dim '" + p + "' in " + option + ": " + why).str();
    return failure();
  };
  if (p == "?") {
    dim = {ShapedType::kDynamic};
    return success();
  }
  if (p.contains("..")) {
    auto [lo, hi] = p.split("..");
    DimSpec range{ShapedType::kDynamic};
    if (lo.getAsInteger(10, range.min) || range.min < 0 ||
        (!hi.empty() && (hi.getAsInteger(10, range.max) || range.max < 0)))
      return fail("expected MIN..MAX with non-negative integers (MAX may be "
                  "left out)");
    if (range.max >= 0 && range.max < range.min)
      return fail("MAX is smaller than MIN");
    dim = range;
    return success();
  }
  int64_t d;
  if (p.getAsInteger(10, d) || d < 0)
    return fail("expected a size, '?' or MIN..MAX");
  dim = {d};
  return success();
}

LogicalResult parseShapeOption(StringRef text, ImportOptions &options,
                               std::string &error) {
  auto [name, dims] = text.rsplit('=');
  if (name.empty() || dims.empty() || !text.contains('=')) {
    error = "expected NAME=D0xD1x... (e.g. input=1x3x224x224 or "
            "input=1x?x128), got '" +
            text.str() + "'";
    return failure();
  }
  SmallVector<DimSpec> shape;
  SmallVector<StringRef> parts;
  if (dims != "scalar")
    dims.split(parts, 'x');
  for (StringRef p : parts) {
    DimSpec dim{0};
    if (failed(parseDim(p, ("--shape " + text).str(), dim, error)))
      return failure();
    shape.push_back(dim);
  }
  options.inputShapes[name] = shape;
  return success();
}

LogicalResult parseDimOption(StringRef text, ImportOptions &options,
                             std::string &error) {
  auto [name, value] = text.split('=');
  if (name.empty() || value.empty()) {
    error = "expected NAME=SIZE or NAME=MIN..MAX (e.g. batch=1 or "
            "seq=1..512), got '" +
            text.str() + "'";
    return failure();
  }
  DimSpec dim{0};
  if (failed(parseDim(value, ("--dim " + text).str(), dim, error)))
    return failure();
  options.namedDims[name] = dim;
  return success();
}

} // namespace quantc
