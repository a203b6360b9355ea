//===- DepthwiseConv.cpp - One filter per channel, NCHW -------------------===//
//
// A depthwise convolution does KH*KW multiply-adds per output, too few for a
// GEMM to pay for its packing: the (image, channel) planes are shared out
// in runs of consecutive planes, and within a plane each block of 16 output
// columns sums all its taps in registers: with AVX-512 intrinsics (masked
// tails, the horizontal stride known at compile time, eight vectors of sums
// in flight from two or four rows), else a loop the compiler vectorizes
// (compiled once per ISA, picked by the context's). 3x3 filters of
// stride 1 or 2 have a kernel of their own on AVX-512 (Depthwise3x3.cpp).
// The zero padding is implicit (x is the unpadded input): the 3x3 kernel
// masks it off its loads; the others read only inside what they are given,
// so a padded plane is computed from a padded copy in the thread's
// scratch, a tile at a time.
//
//===----------------------------------------------------------------------===//
#include "kernels/DepthwiseConv.h"

#include <immintrin.h>
#include <string.h>

// GCC 12 warns that _mm512_max_ps/_mm512_min_ps use an uninitialized value:
// their pass-through operand is _mm512_undefined_ps(), on purpose.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace qc::kernels {
namespace {

// Output columns one register block holds: 16 floats, one AVX-512 vector
// (two AVX2 ones). The block's sums stay in registers across all KH*KW taps,
// so each output is loaded and stored once, not once per tap.
constexpr int64_t kBlock = 16;

// One output row, `Stride` the horizontal stride when it is 1 or 2 (known
// at compile time, so stride 2 becomes two loads and a shuffle, not a
// gather), 0 for any other (read from the job).
template <int Stride>
__attribute__((always_inline)) inline void
row(const DepthwiseJob &job, const float *const *taps, const float *weights,
    int64_t tapCount, const int64_t *tapShift, float *__restrict out,
    int64_t outW) {
  int64_t stride = Stride ? Stride : job.strideW;
  int64_t ow = 0;
  for (; ow + kBlock <= outW; ow += kBlock) {
    float acc[kBlock];
    for (int64_t i = 0; i < kBlock; ++i)
      acc[i] = out[ow + i];
    for (int64_t t = 0; t < tapCount; ++t) {
      const float *__restrict in = taps[t] + ow * stride + tapShift[t];
      float weight = weights[t];
      for (int64_t i = 0; i < kBlock; ++i)
        acc[i] += weight * in[i * stride];
    }
    for (int64_t i = 0; i < kBlock; ++i)
      out[ow + i] = acc[i];
  }
  // The last partial block: a tap at a time over its columns.
  for (int64_t t = 0; t < tapCount; ++t) {
    const float *__restrict in = taps[t] + tapShift[t];
    for (int64_t o = ow; o < outW; ++o)
      out[o] += weights[t] * in[o * stride];
  }
}

// AVX-512: 16 columns per vector, masked loads and stores for the last,
// partial vector (so 7- and 14-wide maps vectorize too), and `Blocks`
// vectors of columns at a time so that their FMA chains overlap.
// `Stride`, the horizontal one, is known at compile time when it is 1 or 2;
// 0 stands for any other, read at run time. Stride 2 loads 32 inputs and
// keeps the even ones; others gather.
// How one vector of n outputs loads a tap's inputs, worked out once per
// block rather than per tap: `mask` the n lanes; for stride 2, the masks of
// the two loads (inputs 0 .. 2n-2 are needed; none further is loaded).
struct TapLoad {
  __mmask16 mask, low, high;
};
inline TapLoad tapLoadFor(int64_t n) {
  int64_t needed = 2 * n - 1;
  return {__mmask16((1u << n) - 1),
          __mmask16((1u << (needed < 16 ? needed : 16)) - 1),
          __mmask16(needed > 16 ? (1u << (needed - 16)) - 1 : 0)};
}

template <int Stride>
__attribute__((target("avx512f,fma"), always_inline)) inline __m512
loadTapAvx512(const float *in, const TapLoad &load, __m512i gatherIndex) {
  if constexpr (Stride == 1) {
    return _mm512_maskz_loadu_ps(load.mask, in);
  } else if constexpr (Stride == 2) {
    __m512 a = _mm512_maskz_loadu_ps(load.low, in);
    __m512 b = _mm512_maskz_loadu_ps(load.high, in + 16);
    const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18,
                                           20, 22, 24, 26, 28, 30);
    return _mm512_permutex2var_ps(a, even, b);
  } else {
    return _mm512_mask_i32gather_ps(_mm512_setzero_ps(), load.mask, gatherIndex,
                                    in, 4);
  }
}

// `Rows` output rows of `Blocks` vectors each, all their sums in flight:
// row r reads its taps inRowStep floats further on and writes outRowStep
// further on. The loops over rows and blocks are unrolled so that the sums
// stay in registers.

template <int Rows, int Blocks, int Stride>
__attribute__((target("avx512f,fma"))) inline void
blocksAvx512(const float *const *taps, const float *weights, int64_t tapCount,
             const int64_t *tapShift, float *out, int64_t ow, int64_t outW,
             int64_t runtimeStride, int64_t inRowStep, int64_t outRowStep,
             const PlaneEpilogue &e) {
  const int64_t stride = Stride ? Stride : runtimeStride;
  __m512 acc[Rows][Blocks];
  TapLoad load[Blocks];
#pragma GCC unroll 4
  for (int j = 0; j < Blocks; ++j) {
    int64_t left = outW - ow - 16 * j;
    load[j] = tapLoadFor(left < 16 ? left : 16);
  }
  __m512i gatherIndex = _mm512_mullo_epi32(
      _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
      _mm512_set1_epi32(int(stride)));
  __m512 init = _mm512_set1_ps(e.init ? *e.init : 0.0f);
#pragma GCC unroll 4
  for (int r = 0; r < Rows; ++r)
#pragma GCC unroll 4
    for (int j = 0; j < Blocks; ++j)
      acc[r][j] =
          e.init ? init
                 : _mm512_maskz_loadu_ps(load[j].mask,
                                         out + r * outRowStep + ow + 16 * j);
  for (int64_t t = 0; t < tapCount; ++t) {
    __m512 weight = _mm512_set1_ps(weights[t]);
    const float *in = taps[t] + ow * stride + tapShift[t];
#pragma GCC unroll 4
    for (int r = 0; r < Rows; ++r)
#pragma GCC unroll 4
      for (int j = 0; j < Blocks; ++j)
        acc[r][j] = _mm512_fmadd_ps(
            weight,
            loadTapAvx512<Stride>(in + r * inRowStep + 16 * j * stride, load[j],
                                  gatherIndex),
            acc[r][j]);
  }
  __m512 lo = _mm512_set1_ps(e.clamp ? e.clamp[0] : 0.0f);
  __m512 hi = _mm512_set1_ps(e.clamp ? e.clamp[1] : 0.0f);
#pragma GCC unroll 4
  for (int r = 0; r < Rows; ++r)
#pragma GCC unroll 4
    for (int j = 0; j < Blocks; ++j) {
      __m512 v = acc[r][j];
      if (e.clamp) // max(lo, v) then min(hi, v): a NaN stays NaN
        v = _mm512_min_ps(hi, _mm512_max_ps(lo, v));
      _mm512_mask_storeu_ps(out + r * outRowStep + ow + 16 * j, load[j].mask,
                            v);
    }
}

// `Rows` rows of any width: blocks of 64 columns (four vectors), then the
// rest, fewer than 64 columns, the last vector masked.
template <int Rows, int Stride>
__attribute__((target("avx512f,fma"))) void
wideRowsAvx512(const float *const *taps, const float *weights, int64_t tapCount,
               const int64_t *tapShift, float *out, int64_t outW,
               int64_t stride, int64_t inRowStep, int64_t outRowStep,
               const PlaneEpilogue &e) {
  int64_t ow = 0;
  for (; ow + 64 <= outW; ow += 64)
    blocksAvx512<Rows, 4, Stride>(taps, weights, tapCount, tapShift, out, ow,
                                  outW, stride, inRowStep, outRowStep, e);
  if (outW - ow > 48)
    blocksAvx512<Rows, 4, Stride>(taps, weights, tapCount, tapShift, out, ow,
                                  outW, stride, inRowStep, outRowStep, e);
  else if (outW - ow > 32)
    blocksAvx512<Rows, 3, Stride>(taps, weights, tapCount, tapShift, out, ow,
                                  outW, stride, inRowStep, outRowStep, e);
  else if (outW - ow > 16)
    blocksAvx512<Rows, 2, Stride>(taps, weights, tapCount, tapShift, out, ow,
                                  outW, stride, inRowStep, outRowStep, e);
  else if (outW - ow > 0)
    blocksAvx512<Rows, 1, Stride>(taps, weights, tapCount, tapShift, out, ow,
                                  outW, stride, inRowStep, outRowStep, e);
}

// Rows computed together, so that enough sums are in flight to hide the
// FMA's latency (eight vectors would fill two FMA pipes of four cycles):
// 4 rows of at most 32 columns (one or two vectors each: the 7x7, 14x14
// and 28x28 maps of the last stages), 2 rows of blocks of four vectors
// otherwise. Measured on MobileNetV2's shapes: 2 rows rather than 1 of the
// wide ones took 20-30% off, 4 rather than 2 of the 28-wide ones 10%.
constexpr int64_t rowsAtOnceFor(int64_t outW) { return outW <= 32 ? 4 : 2; }

template <int Rows, int Stride>
__attribute__((target("avx512f,fma"))) void
someRowsAvx512(const float *const *taps, const float *weights, int64_t tapCount,
               const int64_t *tapShift, float *out, int64_t outW,
               int64_t stride, int64_t inRowStep, int64_t outRowStep,
               const PlaneEpilogue &e) {
  if (outW <= 16)
    blocksAvx512<Rows, 1, Stride>(taps, weights, tapCount, tapShift, out, 0,
                                  outW, stride, inRowStep, outRowStep, e);
  else if (outW <= 32)
    blocksAvx512<Rows, 2, Stride>(taps, weights, tapCount, tapShift, out, 0,
                                  outW, stride, inRowStep, outRowStep, e);
  else
    wideRowsAvx512<Rows, Stride>(taps, weights, tapCount, tapShift, out, outW,
                                 stride, inRowStep, outRowStep, e);
}

template <int Stride>
__attribute__((target("avx512f,fma"))) void
rowsAvx512(const float *const *taps, const float *weights, int64_t tapCount,
           const int64_t *tapShift, float *out, int64_t outW, int64_t stride,
           int64_t rows, int64_t inRowStep, int64_t outRowStep,
           const PlaneEpilogue &e) {
  switch (rows) {
  case 4:
    return someRowsAvx512<4, Stride>(taps, weights, tapCount, tapShift, out,
                                     outW, stride, inRowStep, outRowStep, e);
  case 3:
    return someRowsAvx512<3, Stride>(taps, weights, tapCount, tapShift, out,
                                     outW, stride, inRowStep, outRowStep, e);
  case 2:
    return someRowsAvx512<2, Stride>(taps, weights, tapCount, tapShift, out,
                                     outW, stride, inRowStep, outRowStep, e);
  default:
    return someRowsAvx512<1, Stride>(taps, weights, tapCount, tapShift, out,
                                     outW, stride, inRowStep, outRowStep, e);
  }
}

// The rows' kernel for a horizontal stride.
using RowsFn = void (*)(const float *const *, const float *, int64_t,
                        const int64_t *, float *, int64_t, int64_t, int64_t,
                        int64_t, int64_t, const PlaneEpilogue &);
inline RowsFn rowsAvx512For(int64_t stride) {
  return stride == 1   ? rowsAvx512<1>
         : stride == 2 ? rowsAvx512<2>
                       : rowsAvx512<0>;
}

// Taps per plane at most: larger kernels take the general path.
constexpr int64_t kMaxTaps = 64;

// The plane's sums, from the bias when there is one; true when the clamp
// was applied as they were stored (the AVX-512 blocks).
template <bool Avx512>
__attribute__((always_inline)) inline bool planeSums(const DepthwiseJob &job,
                                                     int64_t b, int64_t c) {
  const MemRef<4> &x = *job.x, &y = *job.y;
  const MemRef<3> &w = *job.w;
  int64_t outH = y.sizes[2], outW = y.sizes[3];
  int64_t kernelH = w.sizes[1], kernelW = w.sizes[2];
  const float *xPlane = x.data() + b * x.strides[0] + c * x.strides[1];
  const float *wPlane = w.data() + c * w.strides[0];
  float *yPlane = y.data() + b * y.strides[0] + c * y.strides[1];
  int64_t xsh = x.strides[2], xsw = x.strides[3], ysw = y.strides[3];
  int64_t tapCount = kernelH * kernelW;
  bool direct = xsw == 1 && ysw == 1 && tapCount <= kMaxTaps;
  // The bias starts the plane's sums: the AVX-512 blocks start from it;
  // otherwise it is written here, while the plane is about to be in cache
  // anyway, rather than by a pass over the whole output before the kernel.
  if (job.bias && !(Avx512 && direct))
    for (int64_t oh = 0; oh < outH; ++oh)
      for (int64_t ow = 0; ow < outW; ++ow)
        yPlane[oh * y.strides[2] + ow * ysw] = job.bias[c];
  if (direct) {
    float weights[kMaxTaps];
    int64_t tapShift[kMaxTaps];
    const float *taps[kMaxTaps];
    for (int64_t kh = 0, t = 0; kh < kernelH; ++kh)
      for (int64_t kw = 0; kw < kernelW; ++kw, ++t) {
        weights[t] = wPlane[kh * w.strides[1] + kw * w.strides[2]];
        tapShift[t] = kw * job.dilationW;
      }
    int64_t rowsAtOnce = Avx512 ? rowsAtOnceFor(outW) : 1;
    for (int64_t oh = 0; oh < outH; oh += rowsAtOnce) {
      float *out = yPlane + oh * y.strides[2];
      for (int64_t kh = 0, t = 0; kh < kernelH; ++kh) {
        const float *in =
            xPlane + (oh * job.strideH + kh * job.dilationH) * xsh;
        for (int64_t kw = 0; kw < kernelW; ++kw, ++t)
          taps[t] = in;
      }
      if constexpr (Avx512)
        rowsAvx512For(job.strideW)(
            taps, weights, tapCount, tapShift, out, outW, job.strideW,
            outH - oh < rowsAtOnce ? outH - oh : rowsAtOnce, job.strideH * xsh,
            y.strides[2], {job.bias ? job.bias + c : nullptr, job.clamp});
      else if (job.strideW == 1)
        row<1>(job, taps, weights, tapCount, tapShift, out, outW);
      else if (job.strideW == 2)
        row<2>(job, taps, weights, tapCount, tapShift, out, outW);
      else
        row<0>(job, taps, weights, tapCount, tapShift, out, outW);
    }
    return Avx512;
  }
  // Strided views or huge kernels: one tap at a time.
  for (int64_t oh = 0; oh < outH; ++oh) {
    float *out = yPlane + oh * y.strides[2];
    for (int64_t kh = 0; kh < kernelH; ++kh) {
      const float *in = xPlane + (oh * job.strideH + kh * job.dilationH) * xsh;
      for (int64_t kw = 0; kw < kernelW; ++kw) {
        float weight = wPlane[kh * w.strides[1] + kw * w.strides[2]];
        for (int64_t ow = 0; ow < outW; ++ow)
          out[ow * ysw] +=
              weight * in[(ow * job.strideW + kw * job.dilationW) * xsw];
      }
    }
  }
  return false;
}

// One plane, then its clamp (a fused Relu or Clip) while it is in cache,
// unless the AVX-512 blocks clamped as they stored.
template <bool Avx512>
__attribute__((always_inline)) inline void plane(const DepthwiseJob &job,
                                                 int64_t b, int64_t c) {
  bool clamped = planeSums<Avx512>(job, b, c);
  if (!job.clamp || clamped)
    return;
  const MemRef<4> &y = *job.y;
  float lo = job.clamp[0], hi = job.clamp[1];
  float *yPlane = y.data() + b * y.strides[0] + c * y.strides[1];
  for (int64_t oh = 0; oh < y.sizes[2]; ++oh) {
    float *out = yPlane + oh * y.strides[2];
    for (int64_t ow = 0; ow < y.sizes[3]; ++ow) {
      float v = out[ow * y.strides[3]];
      out[ow * y.strides[3]] = v < lo ? lo : v > hi ? hi : v;
    }
  }
}

__attribute__((target("avx512f,fma"))) void planeAvx512(const DepthwiseJob &job,
                                                        int64_t b, int64_t c) {
  plane<true>(job, b, c);
}
__attribute__((target("avx2,fma"))) void planeAvx2(const DepthwiseJob &job,
                                                   int64_t b, int64_t c) {
  plane<false>(job, b, c);
}
void planeGeneric(const DepthwiseJob &job, int64_t b, int64_t c) {
  plane<false>(job, b, c);
}

// The outputs of a plane computed from one padded copy (paddedPlane).
struct PaddedTile {
  int64_t rows = 0, cols = 0;
};

// A task is a run of consecutive planes (image-major), not one plane: a
// 7x7 plane is some 200 bytes of output, so with one plane per task two
// threads took turns writing the same cache lines and fetching the same
// task counter, and the last stages of MobileNetV2 ran slower on two
// threads than on one.
struct Task {
  const DepthwiseJob *job;
  PlaneFn fn;
  int64_t channels, planes, planesPerTask;
  // Set when fn reads only inside x but the job's window reaches past it
  // (padding): each plane is then computed in tiles from a padded copy in
  // the thread's scratch (kScratchFloats).
  float *const *scratch = nullptr;
  PaddedTile tile;
};

// The input span one output span of `outputs` reads along a dim.
int64_t inputSpan(int64_t outputs, int64_t stride, int64_t kernel,
                  int64_t dilation) {
  return (outputs - 1) * stride + (kernel - 1) * dilation + 1;
}

// The tile of outputs whose window fits a thread's scratch: the widest
// whose one row of outputs does, then as many rows as do. Empty when not
// even one output's window fits (every real filter's does; one of some
// 400 x 400 taps would not).
PaddedTile paddedTileFor(const DepthwiseJob &job) {
  int64_t kernelH = job.w->sizes[1], kernelW = job.w->sizes[2];
  int64_t outH = job.y->sizes[2], outW = job.y->sizes[3];
  auto fits = [&](int64_t rows, int64_t cols) {
    return inputSpan(rows, job.strideH, kernelH, job.dilationH) *
               inputSpan(cols, job.strideW, kernelW, job.dilationW) <=
           int64_t(kScratchFloats);
  };
  PaddedTile tile{1, outW};
  while (tile.cols > 1 && !fits(1, tile.cols))
    tile.cols = (tile.cols + 1) / 2;
  if (!fits(1, tile.cols))
    return {};
  while (tile.rows < outH && fits(tile.rows + 1, tile.cols))
    ++tile.rows;
  return tile;
}

// Whether every input the job reads lies inside x.
bool readsInsideX(const DepthwiseJob &job) {
  const MemRef<4> &x = *job.x, &y = *job.y;
  return job.padTop == 0 && job.padLeft == 0 &&
         inputSpan(y.sizes[2], job.strideH, job.w->sizes[1], job.dilationH) <=
             x.sizes[2] &&
         inputSpan(y.sizes[3], job.strideW, job.w->sizes[2], job.dilationW) <=
             x.sizes[3];
}

// Plane (b, c) through `fn`, which reads only inside x, for a job whose
// window reaches past x: in tiles of output rows and columns (`tile`,
// paddedTileFor's), each tile's window copied into `scratch` with the
// padding's zeros, then computed from there as an unpadded job of its own.
void paddedPlane(const DepthwiseJob &job, PlaneFn fn, PaddedTile tile,
                 int64_t b, int64_t c, float *scratch) {
  const MemRef<4> &x = *job.x, &y = *job.y;
  int64_t kernelH = job.w->sizes[1], kernelW = job.w->sizes[2];
  int64_t outH = y.sizes[2], outW = y.sizes[3];
  int64_t tileH = tile.rows, tileW = tile.cols;
  const float *xPlane = x.data() + b * x.strides[0] + c * x.strides[1];
  for (int64_t oh = 0; oh < outH; oh += tileH) {
    int64_t rows = outH - oh < tileH ? outH - oh : tileH;
    int64_t spanH = inputSpan(rows, job.strideH, kernelH, job.dilationH);
    for (int64_t ow = 0; ow < outW; ow += tileW) {
      int64_t cols = outW - ow < tileW ? outW - ow : tileW;
      int64_t span = inputSpan(cols, job.strideW, kernelW, job.dilationW);
      int64_t row0 = oh * job.strideH - job.padTop;
      int64_t col0 = ow * job.strideW - job.padLeft;
      // Each row: zeros, x's columns that fall inside the window, zeros.
      int64_t from = col0 < 0 ? -col0 : 0;
      int64_t to = x.sizes[3] - col0 < span ? x.sizes[3] - col0 : span;
      for (int64_t i = 0; i < spanH; ++i) {
        float *out = scratch + i * span;
        int64_t ih = row0 + i;
        if (ih < 0 || ih >= x.sizes[2] || to <= from) {
          memset(out, 0, sizeof(float) * span);
          continue;
        }
        memset(out, 0, sizeof(float) * from);
        const float *in =
            xPlane + ih * x.strides[2] + (col0 + from) * x.strides[3];
        if (x.strides[3] == 1)
          memcpy(out + from, in, sizeof(float) * (to - from));
        else
          for (int64_t j = from; j < to; ++j)
            out[j] = in[(j - from) * x.strides[3]];
        memset(out + to, 0, sizeof(float) * (span - to));
      }
      // The tile is a job of one plane: its input the copy, its output a
      // view of y's plane, its filter and bias channel c's.
      MemRef<4> window{
          scratch, scratch, 0, {1, 1, spanH, span}, {0, 0, span, 1}};
      MemRef<4> out = y;
      out.offset += b * y.strides[0] + c * y.strides[1] + oh * y.strides[2] +
                    ow * y.strides[3];
      out.sizes[0] = out.sizes[1] = 1;
      out.sizes[2] = rows;
      out.sizes[3] = cols;
      MemRef<3> filter = *job.w;
      filter.offset += c * filter.strides[0];
      filter.sizes[0] = 1;
      DepthwiseJob tile = job;
      tile.x = &window;
      tile.w = &filter;
      tile.y = &out;
      tile.bias = job.bias ? job.bias + c : nullptr;
      tile.padTop = tile.padLeft = 0;
      fn(tile, 0, 0);
    }
  }
}

void runPlanes(void *raw, int64_t task, int thread) {
  const Task &t = *static_cast<Task *>(raw);
  int64_t first = task * t.planesPerTask;
  int64_t last =
      first + t.planesPerTask < t.planes ? first + t.planesPerTask : t.planes;
  for (int64_t p = first; p < last; ++p) {
    if (t.scratch)
      paddedPlane(*t.job, t.fn, t.tile, p / t.channels, p % t.channels,
                  t.scratch[thread]);
    else
      t.fn(*t.job, p / t.channels, p % t.channels);
  }
}

// Four runs per thread: a few to even out a thread that started late,
// few enough that each is long.
constexpr int64_t kTasksPerThread = 4;

} // namespace
} // namespace qc::kernels

using namespace qc::kernels;

// y[b, c, oh, ow] (+)= sum over (kh, kw) of
//   x[b, c, oh * sh + kh * dh - padTop, ow * sw + kw * dw - padLeft]
//   * w[c, kh, kw],
// an x outside its rows and columns being zero (the padding, implicit: x is
// the unpadded input). A bias of C values is the sum's start (y is
// written, whatever it held); an empty one leaves y's values to add to. A
// clamp of two values (lo, hi) clamps y's final values; an empty one does
// not.
extern "C" __attribute__((visibility("hidden"))) void
_mlir_ciface_qc_kernel_depthwise_conv2d_nchw_f32(
    MemRef<4> *x, MemRef<3> *w, MemRef<4> *y, MemRef<1> *bias, MemRef<1> *clamp,
    int64_t strideH, int64_t strideW, int64_t dilationH, int64_t dilationW,
    int64_t padTop, int64_t padLeft) {
  KernelScope scope;
  bool biased = bias->sizes[0] != 0, clamped = clamp->sizes[0] != 0;
  if (!scope.ok ||
      (biased && (bias->sizes[0] != y->sizes[1] || bias->strides[0] != 1)) ||
      (clamped && (clamp->sizes[0] != 2 || clamp->strides[0] != 1)) ||
      strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1 ||
      padTop < 0 || padLeft < 0) {
    poison(*y);
    return;
  }
  DepthwiseJob job{x,
                   w,
                   y,
                   biased ? bias->data() : nullptr,
                   clamped ? clamp->data() : nullptr,
                   strideH,
                   strideW,
                   dilationH,
                   dilationW,
                   padTop,
                   padLeft};
  bool avx512 = scope.context->isa == Isa::Avx512;
  bool ownPadding = avx512 && depthwise3x3Takes(job);
  PlaneFn fn = ownPadding                        ? depthwise3x3PlaneAvx512
               : avx512                          ? planeAvx512
               : scope.context->isa == Isa::Avx2 ? planeAvx2
                                                 : planeGeneric;
  int64_t planes = y->sizes[0] * y->sizes[1];
  if (planes == 0 || y->sizes[2] == 0 || y->sizes[3] == 0)
    return;
  int64_t tasks = scope.context->threads * kTasksPerThread;
  int64_t planesPerTask = (planes + tasks - 1) / tasks;
  Task task{&job, fn, y->sizes[1], planes, planesPerTask, nullptr, {}};
  if (!ownPadding && !readsInsideX(job)) {
    task.tile = paddedTileFor(job);
    if (!task.tile.rows) {
      poison(*y);
      return;
    }
    task.scratch = scope.context->scratch;
  }
  parallelFor(scope.context->pool, (planes + planesPerTask - 1) / planesPerTask,
              runPlanes, &task);
}
