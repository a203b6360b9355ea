//===- Softmax.cpp - Softmax along rows, one pass of the row in cache -----===//
//
// y[r, :] = exp(x[r, :] - max) / sum(exp(x[r, :] - max)), row by row: the
// row's max, then its exps (written to y) and their sum, then y scaled by
// the sum's reciprocal, while the row is still in L1. Generated as loops,
// the same softmax is five passes over the whole tensor (max, exp, sum,
// reciprocal, scale), each through memory: MiniLM's attention scores are
// 768 KiB per layer.
//
// Its semantics are those of qc-to-linalg's decomposition (and ONNX's):
// the max skips a NaN (maxnumf), a NaN element makes its row NaN through
// the sum, a row of -inf is NaN (-inf - -inf). exp is Cephes' expf on
// AVX-512 and AVX2 (as qc-approximate-math's, a few ulp), libm's in the
// generic loop (any ISA, any strides).
//
//===----------------------------------------------------------------------===//
#include "kernels/KernelEntries.h"
#include "kernels/ThreadPool.h"

#include <immintrin.h>
#include <math.h>

namespace qc::kernels {
namespace {

// The masked forms with an explicit source throughout: GCC 12 warns on the
// plain ones' internal undefined vector (as in Int8Gemm.cpp).
constexpr __mmask16 kAll = 0xFFFF;

// Cephes' expf: exp(x) = 2^n e^r, n = round(x log2(e)), r = x - n ln(2)
// (ln 2 in two parts, exact then the rest), e^r = 1 + r + r^2 P(r).
constexpr float kLog2e = 1.44269504088896341f;
constexpr float kLn2Exact = 0.693359375f, kLn2Rest = -2.12194440e-4f;
constexpr float kExpP[] = {1.9875691500e-4f, 1.3981999507e-3f,
                           8.3334519073e-3f, 4.1665795894e-2f,
                           1.6666665459e-1f, 5.0000001201e-1f};

// The largest of an AVX2 vector's lanes, stored to `lanes` (NaN lanes
// skipped: there are none), and their sum; once per row (the AVX-512 row
// reduces in registers, acrossLanesAvx512).
float maxOfLanes(const float *lanes, int count) {
  float m = lanes[0];
  for (int i = 1; i < count; ++i)
    m = lanes[i] > m ? lanes[i] : m;
  return m;
}
float sumOfLanes(const float *lanes, int count) {
  float s = 0;
  for (int i = 0; i < count; ++i)
    s += lanes[i];
  return s;
}

struct SoftmaxJob {
  const float *x;
  float *y;
  int64_t rows, cols;
  int64_t xRow, xCol, yRow, yCol; // strides
  int64_t rowsPerTask;
  Isa isa; // Generic where a row is not dense
};

// exp(x) for x <= 0 (x - the row's max), NaN kept: Cephes' expf, 2^n
// applied with vscalefps, which flushes to 0 below the float range.
__attribute__((target("avx512f,fma"), always_inline)) inline __m512
expAvx512(__m512 x) {
  // Below -104 exp rounds to 0; clamping keeps n * ln2 finite (-inf would
  // give inf - inf). vmaxps returns its second operand on a NaN: x.
  const __m512 zero = _mm512_setzero_ps();
  x = _mm512_mask_max_ps(zero, kAll, _mm512_set1_ps(-104.0f), x);
  __m512 n = _mm512_mask_roundscale_ps(
      zero, kAll, _mm512_mul_ps(x, _mm512_set1_ps(kLog2e)),
      _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(kLn2Exact), x);
  r = _mm512_fnmadd_ps(n, _mm512_set1_ps(kLn2Rest), r);
  __m512 p = _mm512_set1_ps(kExpP[0]);
  for (int i = 1; i < 6; ++i)
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(kExpP[i]));
  p = _mm512_fmadd_ps(_mm512_mul_ps(p, r), r,
                      _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
  return _mm512_mask_scalef_ps(zero, kAll, p, n);
}

// The max (sum) of a vector's lanes in every lane, without leaving the
// registers: four steps of lanes 8, 4, 2 and 1 apart. Through memory and a
// scalar loop, the two per row cost about as much as the max pass itself
// on MiniLM's rows of 128 (NaN lanes: the max has none, see rowAvx512).
enum Reduction { Max, Add };
template <Reduction R>
__attribute__((target("avx512f"), always_inline)) inline __m512
combineAvx512(__m512 a, __m512 b) {
  if constexpr (R == Max)
    return _mm512_mask_max_ps(a, kAll, a, b);
  else
    return _mm512_add_ps(a, b);
}
template <Reduction R>
__attribute__((target("avx512f"), always_inline)) inline __m512
acrossLanesAvx512(__m512 v) {
  v = combineAvx512<R>(
      v, _mm512_mask_shuffle_f32x4(v, kAll, v, v, _MM_SHUFFLE(1, 0, 3, 2)));
  v = combineAvx512<R>(
      v, _mm512_mask_shuffle_f32x4(v, kAll, v, v, _MM_SHUFFLE(2, 3, 0, 1)));
  v = combineAvx512<R>(
      v, _mm512_mask_permute_ps(v, kAll, v, _MM_SHUFFLE(1, 0, 3, 2)));
  return combineAvx512<R>(
      v, _mm512_mask_permute_ps(v, kAll, v, _MM_SHUFFLE(2, 3, 0, 1)));
}

// One row, both strides 1; the last partial vector through masked loads
// and stores (the lanes past the row read as -inf for the max, 0 else).
__attribute__((target("avx512f,fma"))) void rowAvx512(const float *x, float *y,
                                                      int64_t n) {
  const __m512 negInf = _mm512_set1_ps(-INFINITY);
  int64_t full = n / 16 * 16;
  __mmask16 tail = __mmask16((1u << (n - full)) - 1);
  // maxnumf: a NaN lane keeps the max so far (vmaxps gives its second
  // operand, max, when x is NaN).
  __m512 max = negInf;
  for (int64_t j = 0; j < full; j += 16)
    max = _mm512_mask_max_ps(max, kAll, _mm512_loadu_ps(x + j), max);
  if (full < n)
    max = _mm512_mask_max_ps(max, kAll,
                             _mm512_mask_loadu_ps(negInf, tail, x + full), max);
  __m512 rowMax = acrossLanesAvx512<Max>(max);
  __m512 sum = _mm512_setzero_ps();
  for (int64_t j = 0; j < full; j += 16) {
    __m512 e = expAvx512(_mm512_sub_ps(_mm512_loadu_ps(x + j), rowMax));
    _mm512_storeu_ps(y + j, e);
    sum = _mm512_add_ps(sum, e);
  }
  if (full < n) {
    __m512 e =
        expAvx512(_mm512_sub_ps(_mm512_maskz_loadu_ps(tail, x + full), rowMax));
    _mm512_mask_storeu_ps(y + full, tail, e);
    sum = _mm512_add_ps(sum, _mm512_maskz_mov_ps(tail, e));
  }
  __m512 inverse =
      _mm512_div_ps(_mm512_set1_ps(1.0f), acrossLanesAvx512<Add>(sum));
  for (int64_t j = 0; j < full; j += 16)
    _mm512_storeu_ps(y + j, _mm512_mul_ps(_mm512_loadu_ps(y + j), inverse));
  if (full < n)
    _mm512_mask_storeu_ps(
        y + full, tail,
        _mm512_mul_ps(_mm512_maskz_loadu_ps(tail, y + full), inverse));
}

// exp(x) for x <= 0, NaN kept, on 8 lanes: the same Cephes polynomial,
// 2^n put in the exponent bits, which hold n >= -126 only: below x = -87.3
// the result is set to 0 (exp's f32 value there is 0 or a subnormal).
__attribute__((target("avx2,fma"), always_inline)) inline __m256
expAvx2(__m256 x) {
  __m256 underflow = _mm256_cmp_ps(x, _mm256_set1_ps(-87.3f), _CMP_LT_OQ);
  x = _mm256_max_ps(_mm256_set1_ps(-87.3f), x); // NaN: x
  __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(kLog2e)),
                             _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(kLn2Exact), x);
  r = _mm256_fnmadd_ps(n, _mm256_set1_ps(kLn2Rest), r);
  __m256 p = _mm256_set1_ps(kExpP[0]);
  for (int i = 1; i < 6; ++i)
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(kExpP[i]));
  p = _mm256_fmadd_ps(_mm256_mul_ps(p, r), r,
                      _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
  __m256i bits = _mm256_slli_epi32(
      _mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
  return _mm256_andnot_ps(underflow,
                          _mm256_mul_ps(p, _mm256_castsi256_ps(bits)));
}

// The first `count` (0 to 8) lanes, as maskload's mask.
__attribute__((target("avx2"))) inline __m256i lanesAvx2(int64_t count) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(int(count)),
                            _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// One row, both strides 1; the last partial vector through masked loads
// and stores (the lanes past the row read as -inf for the max, 0 else).
__attribute__((target("avx2,fma"))) void rowAvx2(const float *x, float *y,
                                                 int64_t n) {
  const __m256 negInf = _mm256_set1_ps(-INFINITY);
  int64_t full = n / 8 * 8;
  __m256i tail = lanesAvx2(n - full);
  __m256 max = negInf;
  for (int64_t j = 0; j < full; j += 8)
    max = _mm256_max_ps(_mm256_loadu_ps(x + j), max); // NaN: max
  if (full < n)
    max = _mm256_max_ps(_mm256_blendv_ps(negInf,
                                         _mm256_maskload_ps(x + full, tail),
                                         _mm256_castsi256_ps(tail)),
                        max);
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, max);
  __m256 rowMax = _mm256_set1_ps(maxOfLanes(lanes, 8));
  __m256 sum = _mm256_setzero_ps();
  for (int64_t j = 0; j < full; j += 8) {
    __m256 e = expAvx2(_mm256_sub_ps(_mm256_loadu_ps(x + j), rowMax));
    _mm256_storeu_ps(y + j, e);
    sum = _mm256_add_ps(sum, e);
  }
  if (full < n) {
    __m256 e =
        expAvx2(_mm256_sub_ps(_mm256_maskload_ps(x + full, tail), rowMax));
    _mm256_maskstore_ps(y + full, tail, e);
    sum = _mm256_add_ps(sum, _mm256_and_ps(e, _mm256_castsi256_ps(tail)));
  }
  _mm256_store_ps(lanes, sum);
  __m256 inverse = _mm256_set1_ps(1.0f / sumOfLanes(lanes, 8));
  for (int64_t j = 0; j < full; j += 8)
    _mm256_storeu_ps(y + j, _mm256_mul_ps(_mm256_loadu_ps(y + j), inverse));
  if (full < n)
    _mm256_maskstore_ps(
        y + full, tail,
        _mm256_mul_ps(_mm256_maskload_ps(y + full, tail), inverse));
}

// Any strides, any ISA.
void rowGeneric(const float *x, int64_t xCol, float *y, int64_t yCol,
                int64_t n) {
  float max = -INFINITY;
  for (int64_t j = 0; j < n; ++j)
    max = fmaxf(max, x[j * xCol]); // maxnumf: skips a NaN
  float sum = 0;
  for (int64_t j = 0; j < n; ++j) {
    float e = expf(x[j * xCol] - max);
    y[j * yCol] = e;
    sum += e;
  }
  float inverse = 1.0f / sum;
  for (int64_t j = 0; j < n; ++j)
    y[j * yCol] *= inverse;
}

void runRows(void *arg, int64_t task, int) {
  const SoftmaxJob &job = *static_cast<const SoftmaxJob *>(arg);
  int64_t end = (task + 1) * job.rowsPerTask;
  for (int64_t r = task * job.rowsPerTask; r < end && r < job.rows; ++r) {
    const float *x = job.x + r * job.xRow;
    float *y = job.y + r * job.yRow;
    if (job.isa == Isa::Avx512)
      rowAvx512(x, y, job.cols);
    else if (job.isa == Isa::Avx2)
      rowAvx2(x, y, job.cols);
    else
      rowGeneric(x, job.xCol, y, job.yCol, job.cols);
  }
}

// Rows per task: about 16 KiB of x each, so that a task is long next to
// handing it out, and at least four tasks per thread.
int64_t rowsPerTask(int64_t rows, int64_t cols, int threads) {
  int64_t bySize = cols >= 4096 ? 1 : 4096 / (cols ? cols : 1);
  int64_t byThreads = rows / (4 * int64_t(threads));
  int64_t count = bySize < byThreads ? bySize : byThreads;
  return count < 1 ? 1 : count;
}

} // namespace
} // namespace qc::kernels

using namespace qc::kernels;

// y = softmax(x) along each row of x [rows, cols] (y laid out as x, or x
// itself). Any strides; dense rows take the vector kernels.
extern "C" __attribute__((visibility("hidden"))) void
_mlir_ciface_qc_kernel_softmax_f32(MemRef<2> *x, MemRef<2> *y) {
  KernelScope scope;
  if (!scope.ok || x->sizes[0] != y->sizes[0] || x->sizes[1] != y->sizes[1]) {
    poison(*y);
    return;
  }
  int64_t rows = y->sizes[0], cols = y->sizes[1];
  if (rows == 0 || cols == 0)
    return;
  SoftmaxJob job{x->data(),
                 y->data(),
                 rows,
                 cols,
                 x->strides[0],
                 x->strides[1],
                 y->strides[0],
                 y->strides[1],
                 rowsPerTask(rows, cols, scope.context->threads),
                 (x->strides[1] == 1 || cols == 1) &&
                         (y->strides[1] == 1 || cols == 1)
                     ? scope.context->isa
                     : Isa::Generic};
  parallelFor(scope.context->pool,
              (rows + job.rowsPerTask - 1) / job.rowsPerTask, runRows, &job);
}
