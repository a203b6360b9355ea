//===- QcAttentionShapeInference.cpp - result types of qc.Attention -------===//
//
// The ONNX Attention specification (opsets 23-25): 4-D inputs are (batch,
// heads, seq, head_size); 3-D inputs are (batch, seq, heads * head_size) with
// the head counts given as attributes.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "dialects/qc/IR/ShapeUtils.h"

using namespace mlir;
using namespace quantc::qc;

FailureOr<AttentionOp::Dims> AttentionOp::getDims() {
  auto q = dyn_cast<RankedTensorType>(getQ().getType());
  auto k = dyn_cast<RankedTensorType>(getK().getType());
  auto v = dyn_cast<RankedTensorType>(getV().getType());
  if (!q || !k || !v || !q.hasStaticShape() || !k.hasStaticShape() ||
      !v.hasStaticShape())
    return emitOpError() << "needs Q, K and V of known static shapes";
  int64_t rank = q.getRank();
  if ((rank != 3 && rank != 4) || k.getRank() != rank || v.getRank() != rank)
    return emitOpError() << "Q, K and V must all be 3-D or all 4-D, got " << q
                         << ", " << k << ", " << v;
  Dims d;
  d.batch = q.getDimSize(0);
  if (rank == 4) {
    d.qHeads = q.getDimSize(1);
    d.kvHeads = k.getDimSize(1);
    d.qSeq = q.getDimSize(2);
    d.kvSeq = k.getDimSize(2);
    d.headSize = q.getDimSize(3);
    d.vHeadSize = v.getDimSize(3);
    if (k.getDimSize(3) != d.headSize || v.getDimSize(1) != d.kvHeads ||
        v.getDimSize(2) != d.kvSeq)
      return emitOpError() << "K " << k << " and V " << v
                           << " do not match Q " << q;
  } else {
    if (!getQNumHeads() || !getKvNumHeads())
      return emitOpError() << "3-D inputs need the q_num_heads and "
                              "kv_num_heads attributes";
    d.qHeads = *getQNumHeads();
    d.kvHeads = *getKvNumHeads();
    if (d.qHeads <= 0 || d.kvHeads <= 0 || q.getDimSize(2) % d.qHeads ||
        k.getDimSize(2) % d.kvHeads || v.getDimSize(2) % d.kvHeads)
      return emitOpError() << "hidden sizes of Q " << q << ", K " << k
                           << ", V " << v << " are not multiples of the head "
                           << "counts " << d.qHeads << " and " << d.kvHeads;
    d.qSeq = q.getDimSize(1);
    d.kvSeq = k.getDimSize(1);
    d.headSize = q.getDimSize(2) / d.qHeads;
    d.vHeadSize = v.getDimSize(2) / d.kvHeads;
    if (k.getDimSize(2) / d.kvHeads != d.headSize || v.getDimSize(1) != d.kvSeq)
      return emitOpError() << "K " << k << " and V " << v
                           << " do not match Q " << q;
  }
  if (k.getDimSize(0) != d.batch || v.getDimSize(0) != d.batch)
    return emitOpError() << "Q, K and V have different batch sizes";
  if (d.kvHeads <= 0 || d.qHeads % d.kvHeads)
    return emitOpError() << "the " << d.qHeads << " query heads are not a "
                         << "multiple of the " << d.kvHeads << " key/value heads";
  d.pastSeq = 0;
  if (!getPastKey() != !getPastValue())
    return emitOpError() << "past_key and past_value must be given together";
  if (getPastKey()) {
    if (getNonpadKvSeqlen())
      return emitOpError() << "nonpad_kv_seqlen cannot be combined with "
                              "past_key/past_value";
    auto pk = dyn_cast<RankedTensorType>(getPastKey().getType());
    auto pv = dyn_cast<RankedTensorType>(getPastValue().getType());
    if (!pk || !pv || !pk.hasStaticShape() || !pv.hasStaticShape() ||
        pk.getRank() != 4 || pv.getRank() != 4 ||
        pk.getShape() != ArrayRef<int64_t>{d.batch, d.kvHeads, pk.getDimSize(2),
                                           d.headSize} ||
        pv.getShape() != ArrayRef<int64_t>{d.batch, d.kvHeads, pk.getDimSize(2),
                                           d.vHeadSize})
      return emitOpError() << "past_key and past_value must be (batch, "
                              "kv_num_heads, past_seq, head_size)";
    d.pastSeq = pk.getDimSize(2);
  }
  return d;
}

LogicalResult AttentionOp::inferShapes() {
  FailureOr<Dims> dims = getDims();
  if (failed(dims))
    return failure();
  const Dims &d = *dims;
  Type et = getQ().getType().getElementType();
  if (!isa<FloatType>(et) || getK().getType().getElementType() != et ||
      getV().getType().getElementType() != et)
    return emitOpError() << "Q, K and V must have the same float element type";
  if (getQkMatmulOutputMode() < 0 || getQkMatmulOutputMode() > 3)
    return emitOpError() << "qk_matmul_output_mode must be 0 to 3";
  if (auto p = getSoftmaxPrecision(); p && *p != 1 && *p != 11 && *p != 10)
    return emitOpError() << "softmax_precision " << *p
                         << " is not supported (float, double or float16 only)";
  if (Value mask = getAttnMask()) {
    auto m = dyn_cast<RankedTensorType>(mask.getType());
    if (!m || !m.hasStaticShape() || m.getRank() < 1 || m.getRank() > 4)
      return emitOpError() << "attn_mask must be of static shape and rank 1 to 4";
    if (!m.getElementType().isInteger(1) && m.getElementType() != et)
      return emitOpError() << "attn_mask must be bool or of Q's element type";
    // The mask broadcasts to (batch, q_heads, q_seq, total_seq) after its
    // last dim is padded up to total_seq.
    SmallVector<int64_t> padded(m.getShape());
    if (padded.back() > d.totalSeq())
      return emitOpError() << "attn_mask's last dim " << padded.back()
                           << " exceeds the total key length " << d.totalSeq();
    padded.back() = d.totalSeq();
    SmallVector<int64_t> full = {d.batch, d.qHeads, d.qSeq, d.totalSeq()}, out;
    if (!broadcastShapes(padded, full, out) || out != full)
      return emitOpError() << "attn_mask " << m << " does not broadcast to "
                           << "(batch, q_heads, q_seq, total_seq)";
  }
  if (Value n = getNonpadKvSeqlen()) {
    auto t = dyn_cast<RankedTensorType>(n.getType());
    if (!t || t.getShape() != ArrayRef<int64_t>{d.batch} ||
        !t.getElementType().isSignlessInteger(64))
      return emitOpError() << "nonpad_kv_seqlen must be int64 of shape (batch)";
  }
  bool is3d = getQ().getType().getRank() == 3;
  auto set = [&](unsigned i, ArrayRef<int64_t> shape) {
    getResult(i).setType(RankedTensorType::get(shape, et));
  };
  if (is3d)
    set(0, {d.batch, d.qSeq, d.qHeads * d.vHeadSize});
  else
    set(0, {d.batch, d.qHeads, d.qSeq, d.vHeadSize});
  set(1, {d.batch, d.kvHeads, d.totalSeq(), d.headSize});
  set(2, {d.batch, d.kvHeads, d.totalSeq(), d.vHeadSize});
  set(3, {d.batch, d.qHeads, d.qSeq, d.totalSeq()});
  return success();
}
