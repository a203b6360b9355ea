//===- KernelEntries.cpp - Kernels as the compiled model calls them -------===//
//
// qc-linalg-to-cpu-kernels replaces linalg contractions and convolutions
// with calls to these functions. Their MLIR declarations carry
// llvm.emit_c_interface, so each memref arrives as a pointer to its
// descriptor {allocated, aligned, offset, sizes[R], strides[R]} and views
// (transposes, broadcast batch slices, padded inputs) need no copy.
//
// Each call accumulates into its output (C += A * B): the output already
// holds the contraction's init (zeros or the broadcast bias); or, with
// `overwrite`, the float and int8 GEMMs write C from zeros without reading
// it, and the convolutions may start from their bias.
//
//===----------------------------------------------------------------------===//
#include "kernels/Gemm.h"
#include "kernels/Int8Gemm.h"
#include "kernels/Int8PanelLayout.h"
#include "kernels/KernelEntries.h"
#include "kernels/PanelLayout.h"

#include <stdlib.h>

namespace {

using namespace qc::kernels;

void fillStrided(int64_t *offsets, int64_t count, int64_t stride) {
  for (int64_t i = 0; i < count; ++i)
    offsets[i] = i * stride;
}

// A GEMM operand: the view (its offsets filled into `rows` and `cols`), or,
// with no view, the matrix packed at compile time.
GemmOperand operand(MemRef<2> *view, MemRef<1> *packed, int64_t *rows,
                    int64_t *cols) {
  if (!view)
    return {packed->data(), nullptr, nullptr, true};
  fillStrided(rows, view->sizes[0], view->strides[0]);
  fillStrided(cols, view->sizes[1], view->strides[1]);
  return {view->data(), rows, cols};
}

// C[M, N] (+)= A[M, K] * B[K, N]: written from zeros with `overwrite`. A
// and B are each either a view (`a`, `b`) or packed at compile time
// (`packedA`, `packedB`, PanelLayout.h): a weight; or B is 4-bit weights
// (`int4`, with A a view).
void matmul(MemRef<2> *a, MemRef<1> *packedA, MemRef<2> *b, MemRef<1> *packedB,
            MemRef<2> *c, int64_t overwrite,
            const Int4Weights *int4 = nullptr) {
  int64_t m = c->sizes[0], n = c->sizes[1], k = a ? a->sizes[1] : b->sizes[0];
  KernelScope scope;
  int64_t *offsets = scope.offsets(2 * (m + n + k));
  if (!scope.ok || !offsets ||
      (packedA && packedA->sizes[0] != panels::packedAFloats(m, k)) ||
      (packedB && packedB->sizes[0] != panels::packedBFloats(k, n))) {
    poison(*c);
    return;
  }
  int64_t *aRows = offsets, *aCols = aRows + m, *bRows = aCols + k,
          *bCols = bRows + k, *cRows = bCols + n, *cCols = cRows + m;
  fillStrided(cRows, m, c->strides[0]);
  fillStrided(cCols, n, c->strides[1]);
  GemmOperand bOperand{nullptr};
  bOperand.int4 = int4;
  if (!int4)
    bOperand = operand(b, packedB, bRows, bCols);
  GemmOutput out{c->data(), cRows, cCols};
  out.overwrite = overwrite != 0;
  gemmAccumulate(*scope.context, m, n, k, operand(a, packedA, aRows, aCols),
                 bOperand, out);
}

} // namespace

extern "C" {

__attribute__((visibility("hidden"))) void
_mlir_ciface_qc_kernel_matmul_f32(MemRef<2> *a, MemRef<2> *b, MemRef<2> *c,
                                  int64_t overwrite) {
  matmul(a, nullptr, b, nullptr, c, overwrite);
}

__attribute__((visibility("hidden"))) void
_mlir_ciface_qc_kernel_matmul_packed_b_f32(MemRef<2> *a, MemRef<1> *b,
                                           MemRef<2> *c, int64_t overwrite) {
  matmul(a, nullptr, nullptr, b, c, overwrite);
}

__attribute__((visibility("hidden"))) void
_mlir_ciface_qc_kernel_matmul_packed_a_f32(MemRef<1> *a, MemRef<2> *b,
                                           MemRef<2> *c, int64_t overwrite) {
  matmul(nullptr, a, b, nullptr, c, overwrite);
}

// C[M, N] (+)= A[M, K] * B, B 4-bit weights (Gemm.h's Int4Weights): bytes
// [K, N / 2], two values a byte, the first in the low half; scales and
// zero points [ceil(K / group), N], rows contiguous. Shapes that disagree
// poison C.
__attribute__((visibility("hidden"))) void _mlir_ciface_qc_kernel_matmul_w4_f32(
    MemRef<2> *a, MemRef<2, uint8_t> *bytes, MemRef<2> *scales,
    MemRef<2, uint8_t> *zeros, MemRef<2> *c, int64_t group, int64_t overwrite) {
  int64_t n = c->sizes[1], k = a->sizes[1];
  int64_t groups = group > 0 ? (k + group - 1) / group : 0;
  auto groupwise = [&](int64_t rows, int64_t cols, int64_t rowStride,
                       int64_t colStride) {
    return rows == groups && cols == n && colStride == 1 && rowStride == n;
  };
  if (group <= 0 || bytes->sizes[0] != k || 2 * bytes->sizes[1] != n ||
      bytes->strides[1] != 1 ||
      !groupwise(scales->sizes[0], scales->sizes[1], scales->strides[0],
                 scales->strides[1]) ||
      !groupwise(zeros->sizes[0], zeros->sizes[1], zeros->strides[0],
                 zeros->strides[1])) {
    poison(*c);
    return;
  }
  Int4Weights weights{bytes->data(),  bytes->strides[0],
                      scales->data(), zeros->data(),
                      group,          n};
  matmul(a, nullptr, nullptr, nullptr, c, overwrite, &weights);
}

} // extern "C"

namespace {

struct BatchJob {
  KernelContext *context;
  int64_t m, n, k;
  const MemRef<3> *a, *b, *c;
  const int64_t *aRows, *aCols, *bRows, *bCols, *cRows, *cCols;
  bool overwrite;
};

// Product `i` of the batch, on `context`'s threads.
void runProduct(const BatchJob &job, KernelContext &context, int64_t i) {
  GemmOutput out{job.c->data() + i * job.c->strides[0], job.cRows, job.cCols};
  out.overwrite = job.overwrite;
  gemmAccumulate(context, job.m, job.n, job.k,
                 {job.a->data() + i * job.a->strides[0], job.aRows, job.aCols},
                 {job.b->data() + i * job.b->strides[0], job.bRows, job.bCols},
                 out);
}

// Product `i` on thread `thread` alone: a copy of the context with one
// thread, whose scratch is that thread's.
void runOneProduct(void *raw, int64_t i, int thread) {
  const BatchJob &job = *static_cast<BatchJob *>(raw);
  KernelContext one = *job.context;
  one.threads = 1;
  one.pool = nullptr;
  one.scratch[0] = job.context->scratch[thread];
  runProduct(job, one, i);
}

} // namespace

extern "C" {

// C[i] (+)= A[i] * B[i] for each i of the batch (attention's heads), from
// zeros with `overwrite`. With at
// least as many products as threads, each thread takes whole products (a
// 128 x 128 x 32 one is too small to split); otherwise each product is
// split among the threads in turn.
__attribute__((visibility("hidden"))) void
_mlir_ciface_qc_kernel_batch_matmul_f32(MemRef<3> *a, MemRef<3> *b,
                                        MemRef<3> *c, int64_t overwrite) {
  int64_t batch = c->sizes[0], m = c->sizes[1], n = c->sizes[2],
          k = a->sizes[2];
  KernelScope scope;
  int64_t *offsets = scope.offsets(2 * (m + n + k));
  if (!scope.ok || !offsets || a->sizes[0] != batch || b->sizes[0] != batch ||
      a->sizes[1] != m || b->sizes[1] != k || b->sizes[2] != n) {
    poison(*c);
    return;
  }
  int64_t *aRows = offsets, *aCols = aRows + m, *bRows = aCols + k,
          *bCols = bRows + k, *cRows = bCols + n, *cCols = cRows + m;
  fillStrided(aRows, m, a->strides[1]);
  fillStrided(aCols, k, a->strides[2]);
  fillStrided(bRows, k, b->strides[1]);
  fillStrided(bCols, n, b->strides[2]);
  fillStrided(cRows, m, c->strides[1]);
  fillStrided(cCols, n, c->strides[2]);
  BatchJob job{
      scope.context, m,     n,     k,     a,     b,     c,
      aRows,         aCols, bRows, bCols, cRows, cCols, overwrite != 0};
  if (scope.context->threads > 1 && batch >= scope.context->threads) {
    parallelFor(scope.context->pool, batch, runOneProduct, &job);
  } else {
    for (int64_t i = 0; i < batch; ++i)
      runProduct(job, *scope.context, i);
  }
}

} // extern "C"

namespace {

// Whether `a` has `b`'s sizes and strides: offsets into one serve the other.
bool sameLayout(const MemRef<4> &a, const MemRef<4> &b) {
  for (int d = 0; d < 4; ++d)
    if (a.sizes[d] != b.sizes[d] || a.strides[d] != b.strides[d])
      return false;
  return true;
}

// Y[b, f, oh, ow] (+)= sum over (c, kh, kw) of
//   X[b, c, oh * sh + kh * dh, ow * sw + kw * dw] * W[f, c, kh, kw]
// (X already padded), as one implicit GEMM per image: A = W as [F, C*KH*KW],
// B = the windows of X as [C*KH*KW, OH*OW], C = Y[b] as [F, OH*OW]. W is
// either a view (`w`) or packed at compile time (`packedW`), one of them set;
// packed as `layout` says, kFiltersAsB computes the transposed product
// instead (Y[b]^T = windows^T * W^T, vectors over filters; PanelLayout.h).
// A bias of F values is the sum's start (Y is written, whatever it held);
// an empty one leaves Y's values to add to. An addend (`addend` set; the
// same shape and strides as Y, possibly Y itself) is added to the sums: a
// residual add after the convolution. A clamp of two values (lo, hi)
// clamps Y's final values (a fused Relu or Clip); an empty one does not.
void convolve(MemRef<4> *x, MemRef<4> *w, MemRef<1> *packedW,
              panels::FilterLayout layout, MemRef<4> *y, MemRef<4> *addend,
              MemRef<1> *bias, MemRef<1> *clamp, int64_t kernelH,
              int64_t kernelW, int64_t strideH, int64_t strideW,
              int64_t dilationH, int64_t dilationW) {
  int64_t batch = y->sizes[0], filters = y->sizes[1], outH = y->sizes[2],
          outW = y->sizes[3];
  int64_t channels = x->sizes[1];
  int64_t k = channels * kernelH * kernelW, pixels = outH * outW;
  KernelScope scope;
  int64_t *offsets = scope.offsets(2 * (filters + k + pixels));
  bool biased = bias->sizes[0] != 0, clamped = clamp->sizes[0] != 0;
  if (!scope.ok || !offsets ||
      (biased && (bias->sizes[0] != filters || bias->strides[0] != 1)) ||
      (clamped && (clamp->sizes[0] != 2 || clamp->strides[0] != 1)) ||
      (packedW &&
       (!(layout == panels::kFiltersAsA || layout == panels::kFiltersAsB) ||
        packedW->sizes[0] != panels::packedFilterFloats(layout, filters, k))) ||
      (addend && !sameLayout(*addend, *y))) {
    poison(*y);
    return;
  }
  int64_t *wRows = offsets, *wCols = wRows + filters, *xRows = wCols + k,
          *xCols = xRows + k, *yRows = xCols + pixels, *yCols = yRows + filters;
  fillStrided(yRows, filters, y->strides[1]);
  if (w)
    fillStrided(wRows, filters, w->strides[0]);
  // The strides as locals: read through the descriptors, they would be
  // reloaded after every store to the tables (int64s both), and the loops
  // would stay scalar (a 12544-pixel convolution spent some 30 us here, on
  // the main thread, while the others waited).
  const int64_t xs1 = x->strides[1], xs2 = x->strides[2], xs3 = x->strides[3];
  const int64_t ys2 = y->strides[2], ys3 = y->strides[3];
  const int64_t ws1 = w ? w->strides[1] : 0, ws2 = w ? w->strides[2] : 0,
                ws3 = w ? w->strides[3] : 0;
  int64_t i = 0;
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t kh = 0; kh < kernelH; ++kh)
      for (int64_t kw = 0; kw < kernelW; ++kw, ++i) {
        if (w)
          wCols[i] = c * ws1 + kh * ws2 + kw * ws3;
        xRows[i] = c * xs1 + kh * dilationH * xs2 + kw * dilationW * xs3;
      }
  for (int64_t oh = 0; oh < outH; ++oh) {
    int64_t *xRow = xCols + oh * outW, *yRow = yCols + oh * outW;
    const int64_t xAt = oh * strideH * xs2, yAt = oh * ys2;
    const int64_t xStep = strideW * xs3;
    for (int64_t ow = 0; ow < outW; ++ow) {
      xRow[ow] = xAt + ow * xStep;
      yRow[ow] = yAt + ow * ys3;
    }
  }
  const float *biasData = biased ? bias->data() : nullptr;
  const float *clampData = clamped ? clamp->data() : nullptr;
  for (int64_t b = 0; b < batch; ++b) {
    const float *image = x->data() + b * x->strides[0];
    float *out = y->data() + b * y->strides[0];
    const float *add =
        addend ? addend->data() + b * addend->strides[0] : nullptr;
    if (packedW && layout == panels::kFiltersAsB) {
      // Transposed: A the windows as rows, B the filters, C = Y^T.
      GemmOutput c{out, yCols, yRows, nullptr, clampData, add};
      c.colBias = biasData;
      gemmAccumulate(*scope.context, pixels, filters, k, {image, xCols, xRows},
                     {packedW->data(), nullptr, nullptr, true}, c);
      continue;
    }
    gemmAccumulate(*scope.context, filters, pixels, k,
                   {w ? w->data() : packedW->data(), wRows, wCols, !w},
                   {image, xRows, xCols},
                   {out, yRows, yCols, biasData, clampData, add});
  }
}

} // namespace

extern "C" {

__attribute__((visibility("hidden"))) void
_mlir_ciface_qc_kernel_conv2d_nchw_f32(MemRef<4> *x, MemRef<4> *w, MemRef<4> *y,
                                       MemRef<1> *bias, MemRef<1> *clamp,
                                       int64_t strideH, int64_t strideW,
                                       int64_t dilationH, int64_t dilationW) {
  convolve(x, w, nullptr, panels::kFiltersAsA, y, nullptr, bias, clamp,
           w->sizes[2], w->sizes[3], strideH, strideW, dilationH, dilationW);
}

// The same followed by a residual add: y = conv + bias + addend (then
// clamped), the addend laid out as y.
__attribute__((visibility("hidden"))) void
_mlir_ciface_qc_kernel_conv2d_nchw_add_f32(MemRef<4> *x, MemRef<4> *w,
                                           MemRef<4> *y, MemRef<4> *addend,
                                           MemRef<1> *bias, MemRef<1> *clamp,
                                           int64_t strideH, int64_t strideW,
                                           int64_t dilationH,
                                           int64_t dilationW) {
  convolve(x, w, nullptr, panels::kFiltersAsA, y, addend, bias, clamp,
           w->sizes[2], w->sizes[3], strideH, strideW, dilationH, dilationW);
}

// The same with W packed at compile time (PanelLayout.h's FilterLayout
// says how), which keeps no shape: the kernel's extent comes with the
// strides and dilations.
__attribute__((visibility("hidden"))) void
_mlir_ciface_qc_kernel_conv2d_nchw_packed_f32(
    MemRef<4> *x, MemRef<1> *packedW, MemRef<4> *y, MemRef<1> *bias,
    MemRef<1> *clamp, int64_t strideH, int64_t strideW, int64_t dilationH,
    int64_t dilationW, int64_t kernelH, int64_t kernelW, int64_t layout) {
  convolve(x, nullptr, packedW, panels::FilterLayout(layout), y, nullptr, bias,
           clamp, kernelH, kernelW, strideH, strideW, dilationH, dilationW);
}

__attribute__((visibility("hidden"))) void
_mlir_ciface_qc_kernel_conv2d_nchw_packed_add_f32(
    MemRef<4> *x, MemRef<1> *packedW, MemRef<4> *y, MemRef<4> *addend,
    MemRef<1> *bias, MemRef<1> *clamp, int64_t strideH, int64_t strideW,
    int64_t dilationH, int64_t dilationW, int64_t kernelH, int64_t kernelW,
    int64_t layout) {
  convolve(x, nullptr, packedW, panels::FilterLayout(layout), y, addend, bias,
           clamp, kernelH, kernelW, strideH, strideW, dilationH, dilationW);
}

// C[M, N] (+)= (A - za) * (B - zb) in int32 (Int8Gemm.h). A zero point is
// an empty memref (none), one value, or one per row of A / column of B;
// `aUnsigned` and `bUnsigned` say how to read A's and B's bytes (and their
// zero points'); with `overwrite`, C is written (from zeros) rather than
// added to.
namespace {
void int8MatmulEntry(MemRef<2, int8_t> *a, const int8_t *bData,
                     int64_t bRowStride, int64_t bColStride,
                     const int8_t *bPacked, MemRef<2, int32_t> *c,
                     MemRef<1, int8_t> *aZero, MemRef<1, int8_t> *bZero,
                     int64_t aUnsigned, int64_t bUnsigned, int64_t overwrite) {
  int64_t m = c->sizes[0], n = c->sizes[1], k = a->sizes[1];
  KernelScope scope;
  Int8Matrix am{a->data(), a->strides[0], a->strides[1], aUnsigned != 0,
                aZero->data(), aZero->sizes[0]};
  Int8Matrix bm{bData, bRowStride, bColStride, bUnsigned != 0,
                bZero->data(), bZero->sizes[0], bPacked};
  if (!scope.ok || !int8Gemm(*scope.context, m, n, k, am, bm,
                             {c->data(), c->strides[0], c->strides[1],
                              overwrite != 0}))
    poison(*c);
}

// An epilogue's scale or bias (Int8Epilogue): none, one value, or `count`
// dense ones (per row, filter or column).
bool noneOneOrEach(const MemRef<1> &v, int64_t count) {
  return v.sizes[0] <= 1 || (v.sizes[0] == count && v.strides[0] == 1);
}

// An epilogue's params: (lo, hi, out scale, out zero point, q min, q max).
bool sixParams(const MemRef<1> &params) {
  return params.sizes[0] == 6 && params.strides[0] == 1;
}

// A MatMul's fused epilogue (Int8Epilogue), to floats only: the scale and
// bias per row of C, those per column, each one value per row (column),
// one, or none (an empty memref); (lo, hi, ...) as a convolution's
// params; the float residual (or an empty memref) and the float output,
// both M x N with each row dense.
struct MatmulEpilogueArgs {
  MemRef<1> *scale, *colScale, *bias, *colBias, *params;
  MemRef<2> *residual, *floatOut;
};

// C = (A - za) * (B - zb) through `epilogue`: the floats it makes are
// stored, the int32 sums never are.
void int8MatmulEpilogueEntry(MemRef<2, int8_t> *a, const int8_t *bData,
                             int64_t bRowStride, int64_t bColStride,
                             const int8_t *bPacked, MemRef<1, int8_t> *aZero,
                             MemRef<1, int8_t> *bZero, int64_t aUnsigned,
                             int64_t bUnsigned,
                             const MatmulEpilogueArgs &epilogue) {
  MemRef<2> &out = *epilogue.floatOut;
  int64_t m = out.sizes[0], n = out.sizes[1], k = a->sizes[1];
  auto rowsDense = [&](const MemRef<2> &v) {
    return v.sizes[0] == m && v.sizes[1] == n && (n == 1 || v.strides[1] == 1);
  };
  KernelScope scope;
  if (!scope.ok || !rowsDense(out) ||
      (epilogue.residual->elements() != 0 && !rowsDense(*epilogue.residual)) ||
      !noneOneOrEach(*epilogue.scale, m) || !noneOneOrEach(*epilogue.bias, m) ||
      !noneOneOrEach(*epilogue.colScale, n) ||
      !noneOneOrEach(*epilogue.colBias, n) || !sixParams(*epilogue.params)) {
    poison(out);
    return;
  }
  const float *p = epilogue.params->data();
  Int8Epilogue fused{};
  fused.scale = epilogue.scale->data();
  fused.scaleCount = epilogue.scale->sizes[0];
  fused.colScale = epilogue.colScale->data();
  fused.colScaleCount = epilogue.colScale->sizes[0];
  fused.bias = epilogue.bias->data();
  fused.biasCount = epilogue.bias->sizes[0];
  fused.colBias = epilogue.colBias->data();
  fused.colBiasCount = epilogue.colBias->sizes[0];
  if (epilogue.residual->elements() != 0) {
    fused.residual = epilogue.residual->data();
    fused.residualRowStride = epilogue.residual->strides[0];
  }
  fused.lo = p[0];
  fused.hi = p[1];
  fused.floatOut = out.data();
  fused.floatRowStride = out.strides[0];
  Int8Matrix am{a->data(),      a->strides[0], a->strides[1],
                aUnsigned != 0, aZero->data(), aZero->sizes[0]};
  Int8Matrix bm{bData,         bRowStride,      bColStride, bUnsigned != 0,
                bZero->data(), bZero->sizes[0], bPacked};
  Int8Output c{nullptr, 0, 0, true, nullptr, &fused};
  if (!int8Gemm(*scope.context, m, n, k, am, bm, c))
    poison(out);
}

// A convolution's fused epilogue (Int8Epilogue): the byte output z, the
// float scale and bias (per filter, one, or none), (lo, hi, out scale, out
// zero point, q min, q max), the float residual and the float output.
// Each of z, residual and floatOut is absent when it holds no element (an
// empty memref), and z or floatOut is there; a float operand has the
// output's shape, and each filter's pixels dense.
struct EpilogueArgs {
  MemRef<4, int8_t> *z;
  MemRef<1> *scale, *bias, *params;
  MemRef<4> *residual, *floatOut;

  bool hasBytes() const { return z->elements() != 0; }
  // The output's shape.
  const int64_t *sizes() const {
    return hasBytes() ? z->sizes : floatOut->sizes;
  }
};

// Whether `v`, an epilogue's float operand, is absent or has the output's
// shape with each filter's pixels dense.
bool denseFloatOperand(const MemRef<4> &v, const int64_t *sizes) {
  if (v.elements() == 0)
    return true;
  for (int i = 0; i < 4; ++i)
    if (v.sizes[i] != sizes[i])
      return false;
  return (sizes[3] == 1 || v.strides[3] == 1) &&
         (sizes[2] == 1 || v.strides[2] == sizes[3]);
}

// y[i, f, oh, ow] (+)= sum over c, kh, kw of (x[i, c, oh * sh + kh * dh,
// ow * sw + kw * dw] - zx) * (w[f, c, kh, kw] - zw): per image, the int8
// GEMM of the filters [F, C * KH * KW] (A, `w`, or packed at compile time)
// by the windows as columns, addressed by offsets into x (B). x comes
// padded. With `overwrite`, y is written starting from the bias (one int32
// per filter, or zeros); else the sums are added to it. With `epilogue`,
// the sums (from the bias) go through it instead, and y is null.
void int8Convolve(MemRef<4, int8_t> *x, MemRef<4, int8_t> *w,
                  MemRef<1, int8_t> *packedW, MemRef<4, int32_t> *y,
                  const EpilogueArgs *epilogue, MemRef<1, int32_t> *bias,
                  MemRef<1, int8_t> *xZero, MemRef<1, int8_t> *wZero,
                  int64_t xUnsigned, int64_t wUnsigned, int64_t overwrite,
                  int64_t kernelH, int64_t kernelW, int64_t strideH,
                  int64_t strideW, int64_t dilationH, int64_t dilationW) {
  bool bytes = epilogue && epilogue->hasBytes();
  const int64_t *outSizes = epilogue ? epilogue->sizes() : y->sizes;
  // y's, or the bytes' (which may be a padded buffer's interior).
  const int64_t *outStrides = !epilogue ? y->strides
                              : bytes   ? epilogue->z->strides
                                        : nullptr;
  int64_t batch = outSizes[0], filters = outSizes[1], outH = outSizes[2],
          outW = outSizes[3];
  int64_t k = x->sizes[1] * kernelH * kernelW, pixels = outH * outW;
  KernelScope scope;
  int64_t offsetCount = k + (bytes ? 2 : 1) * pixels;
  int64_t *offsets = scope.offsets(offsetCount);
  bool biased = bias->sizes[0] != 0;
  // The kernel reads a filter's C * KH * KW bytes in a row, and y's pixels
  // one stride apart (z's anywhere).
  bool wRowMajor = !w || (w->strides[3] == 1 && w->strides[2] == kernelW &&
                          w->strides[1] == kernelH * kernelW);
  bool epilogueOk =
      !epilogue || (noneOneOrEach(*epilogue->scale, filters) &&
                    noneOneOrEach(*epilogue->bias, filters) &&
                    sixParams(*epilogue->params) &&
                    (bytes || epilogue->floatOut->elements() != 0) &&
                    denseFloatOperand(*epilogue->residual, outSizes) &&
                    denseFloatOperand(*epilogue->floatOut, outSizes));
  auto poisonOutput = [&] {
    if (!epilogue) {
      poison(*y);
      return;
    }
    if (epilogue->floatOut->elements() != 0)
      poison(*epilogue->floatOut);
    if (bytes) // bytes cannot be NaN: the largest value instead
      for (int64_t b = 0; b < batch; ++b)
        for (int64_t f = 0; f < filters; ++f)
          for (int64_t i = 0; i < pixels; ++i)
            epilogue->z
                ->data()[b * outStrides[0] + f * outStrides[1] +
                         i / outW * outStrides[2] + i % outW * outStrides[3]] =
                int8_t(0x7f);
  };
  if (!scope.ok || !offsets || !wRowMajor || !epilogueOk ||
      (!epilogue && outH > 1 && outStrides[2] != outW * outStrides[3]) ||
      (biased && (bias->sizes[0] != filters || bias->strides[0] != 1)) ||
      (packedW && packedW->sizes[0] != int8_panels::packedABytes(filters, k))) {
    poisonOutput();
    return;
  }
  // z's pixel offsets only for an epilogue with bytes, which writes z
  // through them.
  int64_t *xRows = offsets, *xCols = xRows + k,
          *zCols = bytes ? xCols + pixels : nullptr;
  int64_t i = 0;
  for (int64_t c = 0; c < x->sizes[1]; ++c)
    for (int64_t kh = 0; kh < kernelH; ++kh)
      for (int64_t kw = 0; kw < kernelW; ++kw, ++i)
        xRows[i] = c * x->strides[1] + kh * dilationH * x->strides[2] +
                   kw * dilationW * x->strides[3];
  i = 0;
  for (int64_t oh = 0; oh < outH; ++oh)
    for (int64_t ow = 0; ow < outW; ++ow, ++i) {
      xCols[i] = oh * strideH * x->strides[2] + ow * strideW * x->strides[3];
      if (zCols)
        zCols[i] = oh * outStrides[2] + ow * outStrides[3];
    }
  Int8Matrix a{w ? w->data() : nullptr, w ? w->strides[0] : 0, 1,
               wUnsigned != 0, wZero->data(), wZero->sizes[0],
               packedW ? packedW->data() : nullptr};
  // What every image shares; its outputs are set per image below.
  Int8Epilogue fused{};
  if (epilogue) {
    const float *p = epilogue->params->data();
    fused.scale = epilogue->scale->data();
    fused.bias = epilogue->bias->data();
    fused.scaleCount = epilogue->scale->sizes[0];
    fused.biasCount = epilogue->bias->sizes[0];
    fused.residualRowStride = epilogue->residual->strides[1];
    fused.lo = p[0];
    fused.hi = p[1];
    fused.floatRowStride = epilogue->floatOut->strides[1];
    fused.outScale = p[2];
    fused.outZero = p[3];
    fused.qMin = p[4];
    fused.qMax = p[5];
    fused.rowStride = bytes ? outStrides[1] : 0;
    fused.colOffsets = zCols;
  }
  for (int64_t b = 0; b < batch; ++b) {
    Int8Matrix bm{x->data() + b * x->strides[0], 0, 0, xUnsigned != 0,
                  xZero->data(), xZero->sizes[0], nullptr, xRows, xCols};
    Int8Output out{epilogue ? nullptr : y->data() + b * outStrides[0],
                   epilogue ? 0 : outStrides[1], epilogue ? 0 : outStrides[3],
                   overwrite != 0, biased ? bias->data() : nullptr};
    if (epilogue) {
      // This image's part of each output there is.
      auto image = [&](const MemRef<4> &v) {
        return v.elements() != 0 ? v.data() + b * v.strides[0] : nullptr;
      };
      fused.residual = image(*epilogue->residual);
      fused.floatOut = image(*epilogue->floatOut);
      fused.out = bytes ? epilogue->z->data() + b * outStrides[0] : nullptr;
      out.epilogue = &fused;
    }
    if (!int8Gemm(*scope.context, filters, pixels, k, a, bm, out)) {
      poisonOutput();
      break;
    }
  }
}
} // namespace

__attribute__((visibility("hidden"))) void _mlir_ciface_qc_kernel_matmul_i8_i32(
    MemRef<2, int8_t> *a, MemRef<2, int8_t> *b, MemRef<2, int32_t> *c,
    MemRef<1, int8_t> *aZero, MemRef<1, int8_t> *bZero, int64_t aUnsigned,
    int64_t bUnsigned, int64_t overwrite) {
  int8MatmulEntry(a, b->data(), b->strides[0], b->strides[1], nullptr, c,
                  aZero, bZero, aUnsigned, bUnsigned, overwrite);
}

// The same, its sums through an epilogue (MatmulEpilogueArgs): (a, b,
// float output, a's zero point, b's, scale, column scale, bias, column
// bias, params, residual, a unsigned, b unsigned).
__attribute__((visibility("hidden"))) void
_mlir_ciface_qc_kernel_matmul_i8_epilogue(
    MemRef<2, int8_t> *a, MemRef<2, int8_t> *b, MemRef<2> *floatOut,
    MemRef<1, int8_t> *aZero, MemRef<1, int8_t> *bZero, MemRef<1> *scale,
    MemRef<1> *colScale, MemRef<1> *bias, MemRef<1> *colBias, MemRef<1> *params,
    MemRef<2> *residual, int64_t aUnsigned, int64_t bUnsigned) {
  int8MatmulEpilogueEntry(
      a, b->data(), b->strides[0], b->strides[1], nullptr, aZero, bZero,
      aUnsigned, bUnsigned,
      {scale, colScale, bias, colBias, params, residual, floatOut});
}

__attribute__((visibility("hidden"))) void
_mlir_ciface_qc_kernel_matmul_packed_b_i8_epilogue(
    MemRef<2, int8_t> *a, MemRef<1, int8_t> *packedB, MemRef<2> *floatOut,
    MemRef<1, int8_t> *aZero, MemRef<1, int8_t> *bZero, MemRef<1> *scale,
    MemRef<1> *colScale, MemRef<1> *bias, MemRef<1> *colBias, MemRef<1> *params,
    MemRef<2> *residual, int64_t aUnsigned, int64_t bUnsigned) {
  int8MatmulEpilogueEntry(
      a, nullptr, 0, 0, packedB->data(), aZero, bZero, aUnsigned, bUnsigned,
      {scale, colScale, bias, colBias, params, residual, floatOut});
}

// B packed by the compiler (Int8PanelLayout.h), as a flat byte buffer.
__attribute__((visibility("hidden"))) void
_mlir_ciface_qc_kernel_matmul_packed_b_i8_i32(
    MemRef<2, int8_t> *a, MemRef<1, int8_t> *packedB, MemRef<2, int32_t> *c,
    MemRef<1, int8_t> *aZero, MemRef<1, int8_t> *bZero, int64_t aUnsigned,
    int64_t bUnsigned, int64_t overwrite) {
  int8MatmulEntry(a, nullptr, 0, 0, packedB->data(), c, aZero, bZero,
                  aUnsigned, bUnsigned, overwrite);
}

__attribute__((visibility("hidden"))) void _mlir_ciface_qc_kernel_conv2d_nchw_i8_i32(
    MemRef<4, int8_t> *x, MemRef<4, int8_t> *w, MemRef<4, int32_t> *y,
    MemRef<1, int32_t> *bias, MemRef<1, int8_t> *xZero,
    MemRef<1, int8_t> *wZero, int64_t xUnsigned, int64_t wUnsigned,
    int64_t overwrite, int64_t strideH, int64_t strideW, int64_t dilationH,
    int64_t dilationW) {
  int8Convolve(x, w, nullptr, y, nullptr, bias, xZero, wZero, xUnsigned,
               wUnsigned, overwrite, w->sizes[2], w->sizes[3], strideH,
               strideW, dilationH, dilationW);
}

// The same with the filters packed at compile time as A (Int8PanelLayout.h),
// a flat byte buffer that keeps no shape: the kernel's extent comes last.
__attribute__((visibility("hidden"))) void
_mlir_ciface_qc_kernel_conv2d_nchw_packed_i8_i32(
    MemRef<4, int8_t> *x, MemRef<1, int8_t> *packedW, MemRef<4, int32_t> *y,
    MemRef<1, int32_t> *bias, MemRef<1, int8_t> *xZero,
    MemRef<1, int8_t> *wZero, int64_t xUnsigned, int64_t wUnsigned,
    int64_t overwrite, int64_t strideH, int64_t strideW, int64_t dilationH,
    int64_t dilationW, int64_t kernelH, int64_t kernelW) {
  int8Convolve(x, nullptr, packedW, y, nullptr, bias, xZero, wZero,
               xUnsigned, wUnsigned, overwrite, kernelH, kernelW, strideH,
               strideW, dilationH, dilationW);
}

// The same, its sums through an epilogue (EpilogueArgs, Int8Epilogue)
// rather than stored: (x, w, z, bias, x zero point, w zero point, scale,
// float bias, params, residual, float output).
__attribute__((visibility("hidden"))) void
_mlir_ciface_qc_kernel_conv2d_nchw_i8_epilogue(
    MemRef<4, int8_t> *x, MemRef<4, int8_t> *w, MemRef<4, int8_t> *z,
    MemRef<1, int32_t> *bias, MemRef<1, int8_t> *xZero,
    MemRef<1, int8_t> *wZero, MemRef<1> *scale, MemRef<1> *floatBias,
    MemRef<1> *params, MemRef<4> *residual, MemRef<4> *floatOut,
    int64_t xUnsigned, int64_t wUnsigned, int64_t strideH, int64_t strideW,
    int64_t dilationH, int64_t dilationW) {
  EpilogueArgs epilogue{z, scale, floatBias, params, residual, floatOut};
  int8Convolve(x, w, nullptr, nullptr, &epilogue, bias, xZero, wZero, xUnsigned,
               wUnsigned, 1, w->sizes[2], w->sizes[3], strideH, strideW,
               dilationH, dilationW);
}

__attribute__((visibility("hidden"))) void
_mlir_ciface_qc_kernel_conv2d_nchw_packed_i8_epilogue(
    MemRef<4, int8_t> *x, MemRef<1, int8_t> *packedW, MemRef<4, int8_t> *z,
    MemRef<1, int32_t> *bias, MemRef<1, int8_t> *xZero,
    MemRef<1, int8_t> *wZero, MemRef<1> *scale, MemRef<1> *floatBias,
    MemRef<1> *params, MemRef<4> *residual, MemRef<4> *floatOut,
    int64_t xUnsigned, int64_t wUnsigned, int64_t strideH, int64_t strideW,
    int64_t dilationH, int64_t dilationW, int64_t kernelH, int64_t kernelW) {
  EpilogueArgs epilogue{z, scale, floatBias, params, residual, floatOut};
  int8Convolve(x, nullptr, packedW, nullptr, &epilogue, bias, xZero, wZero,
               xUnsigned, wUnsigned, 1, kernelH, kernelW, strideH, strideW,
               dilationH, dilationW);
}

} // extern "C"
