//===- DepthwiseConv.h - One filter per channel, NCHW -----------*- C++ -*-===//
//
// What the depthwise kernels share (DepthwiseConv.cpp holds the entry
// point and the general kernels; Depthwise3x3.cpp the AVX-512 one for the
// common 3x3 case).
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_RUNTIME_KERNELS_DEPTHWISECONV_H
#define QUANTC_RUNTIME_KERNELS_DEPTHWISECONV_H

#include "kernels/KernelEntries.h"

namespace qc::kernels {

// y[b, c, oh, ow] (+)= sum over (kh, kw) of
//   x[b, c, oh * strideH + kh * dilationH - padTop,
//         ow * strideW + kw * dilationW - padLeft]
//   * w[c, kh, kw]
// where an x outside its rows and columns is zero: the padding is implicit,
// on every side (the bottom and right ones are what the output's size
// reads past x's end).
struct DepthwiseJob {
  const MemRef<4> *x;
  const MemRef<3> *w;
  const MemRef<4> *y;
  const float *bias;  // one per channel, or NULL: add to what y holds
  const float *clamp; // (lo, hi) for the final values, or NULL
  int64_t strideH, strideW, dilationH, dilationW;
  int64_t padTop = 0, padLeft = 0;
};

// Where a plane's vector kernels start their sums and what their stores
// do: from `init` (the channel's bias) rather than from what y holds, and
// clamped to [clamp[0], clamp[1]]; each when set.
struct PlaneEpilogue {
  const float *init;
  const float *clamp;
};

// Computes the plane of image b, channel c.
using PlaneFn = void (*)(const DepthwiseJob &job, int64_t b, int64_t c);

// Whether depthwise3x3PlaneAvx512 takes the job: a 3x3 filter, no dilation,
// the same stride (1 or 2) both ways, rows of x and y contiguous. It reads
// the implicit padding itself (masked loads).
bool depthwise3x3Takes(const DepthwiseJob &job);
// Needs AVX-512F.
void depthwise3x3PlaneAvx512(const DepthwiseJob &job, int64_t b, int64_t c);

} // namespace qc::kernels

// The entry the compiled models call (DepthwiseConv.cpp, which describes its
// operands), declared here so that the benchmarks' and tests' calls are
// checked against its definition.
extern "C" void _mlir_ciface_qc_kernel_depthwise_conv2d_nchw_f32(
    qc::kernels::MemRef<4> *x, qc::kernels::MemRef<3> *w,
    qc::kernels::MemRef<4> *y, qc::kernels::MemRef<1> *bias,
    qc::kernels::MemRef<1> *clamp, int64_t strideH, int64_t strideW,
    int64_t dilationH, int64_t dilationW, int64_t padTop, int64_t padLeft);

#endif // QUANTC_RUNTIME_KERNELS_DEPTHWISECONV_H
