//===- KernelEntries.cpp - Kernels as the compiled model calls them -------===//
//
// qc-linalg-to-cpu-kernels replaces linalg contractions and convolutions
// with calls to these functions. Their MLIR declarations carry
// llvm.emit_c_interface, so each memref arrives as a pointer to its
// descriptor {allocated, aligned, offset, sizes[R], strides[R]} and views
// (transposes, broadcast batch slices, padded inputs) need no copy.
//
// Each call accumulates into its output (C += A * B): the output already
// holds the contraction's init (zeros or the broadcast bias).
//
//===----------------------------------------------------------------------===//
#include "kernels/Gemm.h"
#include "kernels/KernelEntries.h"

#include <stdlib.h>

namespace {

using namespace qc::kernels;

void fillStrided(int64_t *offsets, int64_t count, int64_t stride) {
  for (int64_t i = 0; i < count; ++i)
    offsets[i] = i * stride;
}

} // namespace

extern "C" {

// C[M, N] += A[M, K] * B[K, N].
__attribute__((visibility("hidden"))) void
_mlir_ciface_qc_kernel_matmul_f32(MemRef<2> *a, MemRef<2> *b, MemRef<2> *c) {
  int64_t m = c->sizes[0], n = c->sizes[1], k = a->sizes[1];
  KernelScope scope;
  auto *offsets = static_cast<int64_t *>(malloc(sizeof(int64_t) * 2 * (m + n + k)));
  if (!scope.ok || !offsets) {
    free(offsets);
    poison(*c);
    return;
  }
  int64_t *aRows = offsets, *aCols = aRows + m, *bRows = aCols + k,
          *bCols = bRows + k, *cRows = bCols + n, *cCols = cRows + m;
  fillStrided(aRows, m, a->strides[0]);
  fillStrided(aCols, k, a->strides[1]);
  fillStrided(bRows, k, b->strides[0]);
  fillStrided(bCols, n, b->strides[1]);
  fillStrided(cRows, m, c->strides[0]);
  fillStrided(cCols, n, c->strides[1]);
  gemmAccumulate(*scope.context, m, n, k, {a->data(), aRows, aCols},
                 {b->data(), bRows, bCols}, {c->data(), cRows, cCols});
  free(offsets);
}

// Y[b, f, oh, ow] += sum over (c, kh, kw) of
//   X[b, c, oh * sh + kh * dh, ow * sw + kw * dw] * W[f, c, kh, kw]
// (X already padded), as one implicit GEMM per image: A = W as [F, C*KH*KW],
// B = the windows of X as [C*KH*KW, OH*OW], C = Y[b] as [F, OH*OW].
__attribute__((visibility("hidden"))) void
_mlir_ciface_qc_kernel_conv2d_nchw_f32(MemRef<4> *x, MemRef<4> *w, MemRef<4> *y,
                                       int64_t strideH, int64_t strideW,
                                       int64_t dilationH, int64_t dilationW) {
  int64_t batch = y->sizes[0], filters = y->sizes[1], outH = y->sizes[2],
          outW = y->sizes[3];
  int64_t channels = w->sizes[1], kernelH = w->sizes[2], kernelW = w->sizes[3];
  int64_t k = channels * kernelH * kernelW, pixels = outH * outW;
  KernelScope scope;
  auto *offsets = static_cast<int64_t *>(
      malloc(sizeof(int64_t) * 2 * (filters + k + pixels)));
  if (!scope.ok || !offsets) {
    free(offsets);
    poison(*y);
    return;
  }
  int64_t *wRows = offsets, *wCols = wRows + filters, *xRows = wCols + k,
          *xCols = xRows + k, *yRows = xCols + pixels, *yCols = yRows + filters;
  fillStrided(wRows, filters, w->strides[0]);
  fillStrided(yRows, filters, y->strides[1]);
  int64_t i = 0;
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t kh = 0; kh < kernelH; ++kh)
      for (int64_t kw = 0; kw < kernelW; ++kw, ++i) {
        wCols[i] = c * w->strides[1] + kh * w->strides[2] + kw * w->strides[3];
        xRows[i] = c * x->strides[1] + kh * dilationH * x->strides[2] +
                   kw * dilationW * x->strides[3];
      }
  i = 0;
  for (int64_t oh = 0; oh < outH; ++oh)
    for (int64_t ow = 0; ow < outW; ++ow, ++i) {
      xCols[i] = oh * strideH * x->strides[2] + ow * strideW * x->strides[3];
      yCols[i] = oh * y->strides[2] + ow * y->strides[3];
    }
  for (int64_t b = 0; b < batch; ++b)
    gemmAccumulate(*scope.context, filters, pixels, k, {w->data(), wRows, wCols},
                   {x->data() + b * x->strides[0], xRows, xCols},
                   {y->data() + b * y->strides[0], yRows, yCols});
  free(offsets);
}

} // extern "C"
