//===- Depthwise3x3.cpp - 3x3 depthwise convolution, AVX-512 --------------===//
//
// The 3x3 depthwise layers of mobile networks (stride 1 or 2) are bound by
// loads, not FMAs: computed one tap at a time, each of an output vector's
// nine multiply-adds loads its own inputs, two of the three horizontal taps
// from addresses that cross a cache line, and for stride 2 two loads and a
// shuffle per tap. Here each input row is
// loaded once per block of columns and serves every output row it feeds
// (a block of `Rows` output rows reads (Rows - 1) * stride + 3 input rows,
// not 3 * Rows), and the three horizontal taps are made from the same
// loads in registers: shifted by valignd for stride 1; split into even
// and odd columns (and the evens shifted by one) for stride 2. The nine
// weights stay in registers for the whole plane. The padding is read, not
// stored: a load's lanes left of x's first column or right of its last,
// and the rows above and below x, are masked off (zero), so x is the
// producer's unpadded output and nothing fills a padded copy's border.
//
//===----------------------------------------------------------------------===//
#include "kernels/DepthwiseConv.h"

#include <immintrin.h>

#include <utility>

// GCC 12 warns that _mm512_max_ps/_mm512_min_ps/_mm512_alignr_epi32 use an
// uninitialized value:
// their pass-through operand is _mm512_undefined_ps(), on purpose.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"

// Everything up to depthwise3x3Takes is AVX-512 code, lambdas included
// (which a function's target attribute would not reach); the entry only
// calls it where the CPU has AVX-512F.
#pragma GCC push_options
#pragma GCC target("avx512f")

namespace qc::kernels {
namespace {

// Calls f(std::integral_constant<int, I>) for I = 0 .. N-1: the loops over
// rows, blocks and taps unrolled with their indices known at compile time,
// so that the sums stay in registers and which tap row feeds which output
// row is decided by the compiler.
template <typename F, int... I>
__attribute__((always_inline)) inline void
unrolled(F &&f, std::integer_sequence<int, I...>) {
  (f(std::integral_constant<int, I>{}), ...);
}
template <int N, typename F>
__attribute__((always_inline)) inline void unrolled(F &&f) {
  unrolled(f, std::make_integer_sequence<int, N>{});
}

__attribute__((always_inline)) inline __mmask16 lanes(int64_t count) {
  return count <= 0    ? __mmask16(0)
         : count >= 16 ? __mmask16(0xffff)
                       : __mmask16((1u << count) - 1);
}

// The rows and columns of x a block reads, and which of them are inside
// x: its first input row is x's row `row` (of `height`), its first column
// x's column `column` (of `width`), either possibly outside.
struct Window {
  const float *first; // x's element (row, column), which may lie outside x
  int64_t rowStride;
  int64_t row, height;
  int64_t column, width;
};

// `Rows` output rows of `Blocks` vectors of 16 columns, the last vector
// holding `lastColumns` (1-16), reading `in`; `out` is the first output.
template <int Rows, int Blocks, int Stride>
__attribute__((always_inline)) inline void
block(const Window &in, float *out, int64_t outRowStride, const __m512 (&w)[9],
      int64_t lastColumns, const PlaneEpilogue &e) {
  // Vectors loaded per input row: a block and the next one's first
  // columns (stride 1); twice that (stride 2).
  constexpr int Loads = Stride == 1 ? Blocks + 1 : 2 * Blocks + 1;
  int64_t needed = Stride == 1 ? 16 * (Blocks - 1) + lastColumns + 2
                               : 32 * (Blocks - 1) + 2 * lastColumns + 1;
  // Load k's lanes: those the block needs, inside x's columns (the others
  // are the padding, zero, and never touched in memory).
  __mmask16 loadMask[Loads];
  unrolled<Loads>([&](auto k) {
    int64_t column = in.column + 16 * k;
    int64_t end = in.width - column < needed - 16 * k ? in.width - column
                                                      : needed - 16 * k;
    loadMask[k] = __mmask16(lanes(end) & ~lanes(-column));
  });
  __mmask16 storeMask = lanes(lastColumns);

  __m512 acc[Rows][Blocks];
  unrolled<Rows>([&](auto r) {
    unrolled<Blocks>([&](auto j) {
      __mmask16 m = j == Blocks - 1 ? storeMask : __mmask16(0xffff);
      acc[r][j] =
          e.init ? _mm512_set1_ps(*e.init)
                 : _mm512_maskz_loadu_ps(m, out + r * outRowStride + 16 * j);
    });
  });

  const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20,
                                         22, 24, 26, 28, 30);
  const __m512i odd = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21,
                                        23, 25, 27, 29, 31);
  // Input row i feeds output row r through filter row i - r * Stride.
  unrolled<(Rows - 1) * Stride + 3>([&](auto i) {
    const float *row = in.first + i * in.rowStride;
    bool inside = uint64_t(in.row + i) < uint64_t(in.height);
    __m512 v[Loads];
    unrolled<Loads>([&](auto k) {
      v[k] = _mm512_maskz_loadu_ps(inside ? loadMask[k] : __mmask16(0),
                                   row + 16 * k);
    });
    unrolled<Blocks>([&](auto j) {
      __m512 tap[3];
      if constexpr (Stride == 1) {
        __m512i lo = _mm512_castps_si512(v[j]);
        __m512i hi = _mm512_castps_si512(v[j + 1]);
        tap[0] = v[j];
        tap[1] = _mm512_castsi512_ps(_mm512_alignr_epi32(hi, lo, 1));
        tap[2] = _mm512_castsi512_ps(_mm512_alignr_epi32(hi, lo, 2));
      } else {
        tap[0] = _mm512_permutex2var_ps(v[2 * j], even, v[2 * j + 1]);
        tap[1] = _mm512_permutex2var_ps(v[2 * j], odd, v[2 * j + 1]);
        tap[2] = _mm512_castsi512_ps(_mm512_alignr_epi32(
            _mm512_castps_si512(v[2 * j + 2]), _mm512_castps_si512(tap[0]), 1));
      }
      unrolled<Rows>([&](auto r) {
        constexpr int kh = int(i) - int(r) * Stride;
        if constexpr (kh >= 0 && kh <= 2)
          unrolled<3>([&](auto kw) {
            acc[r][j] = _mm512_fmadd_ps(w[kh * 3 + kw], tap[kw], acc[r][j]);
          });
      });
    });
  });

  __m512 lo = _mm512_set1_ps(e.clamp ? e.clamp[0] : 0.0f);
  __m512 hi = _mm512_set1_ps(e.clamp ? e.clamp[1] : 0.0f);
  unrolled<Rows>([&](auto r) {
    unrolled<Blocks>([&](auto j) {
      __m512 v = acc[r][j];
      if (e.clamp) // max(lo, v) then min(hi, v): a NaN stays NaN
        v = _mm512_min_ps(hi, _mm512_max_ps(lo, v));
      __mmask16 m = j == Blocks - 1 ? storeMask : __mmask16(0xffff);
      _mm512_mask_storeu_ps(out + r * outRowStride + 16 * j, m, v);
    });
  });
}

// `Rows` output rows, 32 columns (two vectors) at a time: eight sums in
// flight, enough to cover the FMA's latency, with the nine weights and the
// row's loads still in registers.
template <int Rows, int Stride>
__attribute__((always_inline)) inline void
rows(Window in, float *out, int64_t outRowStride, int64_t outW,
     const __m512 (&w)[9], const PlaneEpilogue &e) {
  const float *first = in.first;
  int64_t column = in.column;
  int64_t ow = 0;
  for (; ow + 32 < outW; ow += 32) {
    in.first = first + ow * Stride;
    in.column = column + ow * Stride;
    block<Rows, 2, Stride>(in, out + ow, outRowStride, w, 16, e);
  }
  in.first = first + ow * Stride;
  in.column = column + ow * Stride;
  int64_t left = outW - ow;
  if (left > 16)
    block<Rows, 2, Stride>(in, out + ow, outRowStride, w, left - 16, e);
  else
    block<Rows, 1, Stride>(in, out + ow, outRowStride, w, left, e);
}

// Flattened: every lambda of the unrolled loops inlined, so that the sums
// are registers, not a closure's memory.
template <int Stride>
__attribute__((flatten)) void plane(const DepthwiseJob &job, int64_t b,
                                    int64_t c) {
  const MemRef<4> &x = *job.x, &y = *job.y;
  const MemRef<3> &wm = *job.w;
  int64_t outH = y.sizes[2], outW = y.sizes[3];
  const float *xPlane = x.data() + b * x.strides[0] + c * x.strides[1];
  float *yPlane = y.data() + b * y.strides[0] + c * y.strides[1];
  const float *wPlane = wm.data() + c * wm.strides[0];
  __m512 w[9];
  for (int kh = 0; kh < 3; ++kh)
    for (int kw = 0; kw < 3; ++kw)
      w[kh * 3 + kw] =
          _mm512_set1_ps(wPlane[kh * wm.strides[1] + kw * wm.strides[2]]);
  PlaneEpilogue e{job.bias ? job.bias + c : nullptr, job.clamp};
  int64_t xsh = x.strides[2], ysh = y.strides[2];
  // Output row oh's first input: x's row oh * Stride - padTop, column
  // -padLeft, computed as an address even where it lies outside x (only
  // lanes inside x are ever loaded).
  auto window = [&](int64_t oh) {
    int64_t row = oh * Stride - job.padTop;
    return Window{xPlane + row * xsh - job.padLeft,
                  xsh,
                  row,
                  x.sizes[2],
                  -job.padLeft,
                  x.sizes[3]};
  };
  int64_t oh = 0;
  for (; oh + 4 <= outH; oh += 4)
    rows<4, Stride>(window(oh), yPlane + oh * ysh, ysh, outW, w, e);
  float *out = yPlane + oh * ysh;
  switch (outH - oh) {
  case 3:
    return rows<3, Stride>(window(oh), out, ysh, outW, w, e);
  case 2:
    return rows<2, Stride>(window(oh), out, ysh, outW, w, e);
  case 1:
    return rows<1, Stride>(window(oh), out, ysh, outW, w, e);
  default:
    return;
  }
}

} // namespace

void depthwise3x3PlaneAvx512(const DepthwiseJob &job, int64_t b, int64_t c) {
  if (job.strideW == 1)
    plane<1>(job, b, c);
  else
    plane<2>(job, b, c);
}

#pragma GCC pop_options

bool depthwise3x3Takes(const DepthwiseJob &job) {
  const MemRef<3> &w = *job.w;
  return w.sizes[1] == 3 && w.sizes[2] == 3 && job.dilationH == 1 &&
         job.dilationW == 1 && job.strideH == job.strideW &&
         (job.strideW == 1 || job.strideW == 2) && job.x->strides[3] == 1 &&
         job.y->strides[3] == 1;
}

} // namespace qc::kernels
