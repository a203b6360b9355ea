//===- QcEinsumShapeInference.cpp - the Einsum equation -------------------===//
#include "dialects/qc/IR/QcOps.h"

#include "llvm/ADT/StringExtras.h"

#include <map>

using namespace mlir;
using namespace quantc::qc;

namespace {

/// One side of an equation term: its letters, and where "..." sits (-1: none).
struct Term {
  std::string letters;
  int ellipsisAt = -1;
};

FailureOr<Term> parseTerm(Operation *op, StringRef text) {
  Term term;
  text = text.trim();
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == ' ')
      continue;
    if (c == '.') {
      if (term.ellipsisAt >= 0 || !text.substr(i).starts_with("..."))
        return op->emitOpError() << "malformed ellipsis in '" << text << "'";
      term.ellipsisAt = term.letters.size();
      i += 2;
      continue;
    }
    if (!llvm::isAlpha(c))
      return op->emitOpError() << "unexpected '" << c << "' in the equation";
    term.letters.push_back(c);
  }
  return term;
}

} // namespace

FailureOr<EinsumOp::Plan> EinsumOp::getPlan() {
  StringRef equation = getEquation();
  auto [lhs, rhs] = equation.split("->");
  bool explicitOutput = equation.contains("->");
  SmallVector<StringRef> inputTexts;
  lhs.split(inputTexts, ',');
  if (inputTexts.size() != getInputs().size())
    return emitOpError() << "the equation names " << inputTexts.size()
                         << " inputs, the node has " << getInputs().size();
  SmallVector<Term> terms;
  SmallVector<RankedTensorType> types;
  int64_t ellipsisRank = 0;
  for (auto [text, input] : llvm::zip(inputTexts, getInputs())) {
    auto type = dyn_cast<RankedTensorType>(input.getType());
    if (!type || !type.hasStaticShape())
      return emitOpError() << "needs inputs of static shapes";
    FailureOr<Term> term = parseTerm(*this, text);
    if (failed(term))
      return failure();
    int64_t rest = type.getRank() - (int64_t)term->letters.size();
    if (rest < 0 || (rest > 0 && term->ellipsisAt < 0))
      return emitOpError() << "term '" << text.trim() << "' does not match the rank "
                           << type.getRank() << " of its input";
    ellipsisRank = std::max(ellipsisRank, rest);
    terms.push_back(*term);
    types.push_back(type);
  }
  Plan plan;
  // Loops: the ellipsis dims first, then every letter in order of appearance.
  plan.loopSizes.assign(ellipsisRank, 1);
  std::map<char, int64_t> letterLoop;
  llvm::DenseMap<char, int> letterUses;
  for (auto [term, type] : llvm::zip(terms, types)) {
    int64_t rest = type.getRank() - (int64_t)term.letters.size();
    SmallVector<int64_t> loops;
    for (int64_t d = 0; d < type.getRank(); ++d) {
      int64_t size = type.getDimSize(d);
      bool inEllipsis = term.ellipsisAt >= 0 && d >= term.ellipsisAt &&
                        d < term.ellipsisAt + rest;
      if (inEllipsis) {
        // Right-aligned with the other inputs' ellipsis dims, numpy style.
        int64_t loop = ellipsisRank - rest + (d - term.ellipsisAt);
        int64_t &known = plan.loopSizes[loop];
        if (size != 1 && known != 1 && size != known)
          return emitOpError() << "ellipsis dims do not broadcast";
        if (size != 1)
          known = size;
        loops.push_back(size == 1 ? -2 - loop : loop); // resolved below
        continue;
      }
      char c = term.letters[d < term.ellipsisAt || term.ellipsisAt < 0 ? d : d - rest];
      auto it = letterLoop.find(c);
      if (it == letterLoop.end()) {
        it = letterLoop.insert({c, (int64_t)plan.loopSizes.size()}).first;
        plan.loopSizes.push_back(size);
      } else if (plan.loopSizes[it->second] != size) {
        return emitOpError() << "subscript '" << c << "' has sizes "
                             << plan.loopSizes[it->second] << " and " << size;
      }
      ++letterUses[c];
      loops.push_back(it->second);
    }
    plan.operandLoops.push_back(loops);
  }
  // A size-1 ellipsis dim broadcasts (reads index 0) only where the loop is
  // larger; otherwise it is the loop itself.
  for (auto &loops : plan.operandLoops)
    for (int64_t &l : loops)
      if (l <= -2)
        l = plan.loopSizes[-2 - l] == 1 ? -2 - l : -1;

  // The output: explicit, or (implicit) the ellipsis then the letters seen
  // exactly once, in alphabetical order.
  auto loopOf = [&](char c) -> FailureOr<int64_t> {
    auto it = letterLoop.find(c);
    if (it == letterLoop.end())
      return emitOpError() << "output subscript '" << c << "' is not in any input";
    return it->second;
  };
  SmallVector<int64_t> outLoops;
  Term out;
  if (explicitOutput) {
    FailureOr<Term> parsed = parseTerm(*this, rhs);
    if (failed(parsed))
      return failure();
    out = *parsed;
    if (out.ellipsisAt < 0 && ellipsisRank > 0)
      return emitOpError() << "the output must keep the ellipsis ('...')";
  } else {
    out.ellipsisAt = 0;
    for (auto &entry : letterLoop)
      if (letterUses[entry.first] == 1)
        out.letters.push_back(entry.first);
    llvm::sort(out.letters);
  }
  for (size_t i = 0; i <= out.letters.size(); ++i) {
    if ((int)i == out.ellipsisAt)
      for (int64_t e = 0; e < ellipsisRank; ++e)
        outLoops.push_back(e);
    if (i == out.letters.size())
      break;
    FailureOr<int64_t> loop = loopOf(out.letters[i]);
    if (failed(loop))
      return failure();
    if (llvm::is_contained(outLoops, *loop))
      return emitOpError() << "output subscript '" << out.letters[i] << "' repeats";
    outLoops.push_back(*loop);
  }
  plan.isReduction.assign(plan.loopSizes.size(), true);
  for (int64_t l : outLoops)
    plan.isReduction[l] = false;
  plan.operandLoops.push_back(outLoops);
  return plan;
}

LogicalResult EinsumOp::inferShapes() {
  if (getInputs().empty())
    return emitOpError() << "needs at least one input";
  Type et = cast<TensorType>(getInputs()[0].getType()).getElementType();
  for (Value v : getInputs())
    if (cast<TensorType>(v.getType()).getElementType() != et)
      return emitOpError() << "inputs have different element types";
  FailureOr<Plan> plan = getPlan();
  if (failed(plan))
    return failure();
  SmallVector<int64_t> shape;
  for (int64_t l : plan->operandLoops.back())
    shape.push_back(plan->loopSizes[l]);
  getOutput().setType(RankedTensorType::get(shape, et));
  return success();
}
