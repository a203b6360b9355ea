//===- gemm_bench.cpp - The runtime's GEMM against the FMA peak -----------===//
//
//   build/bin/quantc-gemm-bench [threads [M N K]]
//
// Measures this core's peak f32 FMA rate with the widest vectors the runtime
// uses (independent FMA chains, nothing else), then the runtime's GEMM
// (runtime/src/kernels) on square and model-shaped problems, each as the
// median of repeated calls, and prints GFLOP/s and the fraction of peak
// (peak times the thread count), and one core's copy bandwidth. Then, where
// the CPU has AVX-512 VNNI, the same for the int8 GEMM against the
// vpdpbusd peak: A (the weights) packed at compile time, B packed per call
// (as a convolution's windows are) or beforehand (a MatMul's weight).
// Timings only; no pass/fail.
//
//===----------------------------------------------------------------------===//
#include "kernels/Gemm.h"
#include "kernels/Int8Gemm.h"
#include "kernels/Int8PanelLayout.h"
#include "kernels/PanelLayout.h"

#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace qc::kernels;

namespace {

double seconds() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// 16 independent accumulators: enough to cover FMA latency on two pipes.
__attribute__((target("avx512f,fma"), noinline)) float peakAvx512(long iters) {
  __m512 acc[16], x = _mm512_set1_ps(1.0000001f), y = _mm512_set1_ps(0.9999999f);
  for (auto &a : acc)
    a = _mm512_setzero_ps();
  for (long i = 0; i < iters; ++i)
#pragma GCC unroll 16
    for (int j = 0; j < 16; ++j)
      acc[j] = _mm512_fmadd_ps(x, y, acc[j]);
  __m512 s = acc[0];
  for (int j = 1; j < 16; ++j)
    s = _mm512_add_ps(s, acc[j]);
  return _mm512_reduce_add_ps(s);
}

__attribute__((target("avx2,fma"), noinline)) float peakAvx2(long iters) {
  __m256 acc[12], x = _mm256_set1_ps(1.0000001f), y = _mm256_set1_ps(0.9999999f);
  for (auto &a : acc)
    a = _mm256_setzero_ps();
  for (long i = 0; i < iters; ++i)
#pragma GCC unroll 12
    for (int j = 0; j < 12; ++j)
      acc[j] = _mm256_fmadd_ps(x, y, acc[j]);
  float out[8];
  __m256 s = acc[0];
  for (int j = 1; j < 12; ++j)
    s = _mm256_add_ps(s, acc[j]);
  _mm256_storeu_ps(out, s);
  return out[0];
}

// The median time of `reps` calls of `call`, after one to warm up.
template <typename Call> double medianSeconds(int reps, Call call) {
  std::vector<double> times;
  call();
  for (int r = 0; r < reps; ++r) {
    double t0 = seconds();
    call();
    times.push_back(seconds() - t0);
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

// 16 independent vpdpbusd chains: multiply-accumulates per second.
__attribute__((target("avx512f,avx512vnni"), noinline)) int peakVnni(long iters) {
  __m512i acc[16], x = _mm512_set1_epi8(3), y = _mm512_set1_epi8(5);
  for (auto &a : acc)
    a = _mm512_setzero_si512();
  for (long i = 0; i < iters; ++i) {
#pragma GCC unroll 16
    for (int j = 0; j < 16; ++j)
      acc[j] = _mm512_dpbusd_epi32(acc[j], x, y);
    __asm__ volatile("" : "+v"(x)); // one loop's products are not another's
  }
  __m512i s = acc[0];
  for (int j = 1; j < 16; ++j)
    s = _mm512_add_epi32(s, acc[j]);
  alignas(64) int lanes[16];
  _mm512_store_si512(lanes, s);
  return lanes[0];
}

double peakGmacsVnni() {
  long iters = 20'000'000;
  double best = 0;
  for (int rep = 0; rep < 5; ++rep) {
    double t0 = seconds();
    volatile int sink = peakVnni(iters);
    (void)sink;
    best = std::max(best, iters * 16.0 * 64 / (seconds() - t0) / 1e9);
  }
  return best;
}

// The int8 GEMM, A prepacked; B packed per call or beforehand. Giga
// multiply-accumulates per second.
double int8Gmacs(KernelContext &context, int64_t m, int64_t n, int64_t k,
                 bool bPrepacked) {
  std::vector<int8_t> a(m * k, 3), b(k * n, 5);
  std::vector<int32_t> c(m * n, 0);
  std::vector<int8_t> packedA(int8_panels::packedABytes(m, k), 0);
  int8_panels::packA(m, k, [&](int64_t r, int64_t col) { return a[r * k + col]; },
                     false, packedA.data());
  std::vector<int8_t> packedB(int8_panels::packedBBytes(k, n), 0);
  Int8Matrix A{a.data(), k, 1, false, nullptr, 0, packedA.data()};
  Int8Matrix B{b.data(), n, 1, true, nullptr, 0};
  if (bPrepacked) {
    int8_panels::packB(k, n, [&](int64_t r, int64_t col) { return b[r * n + col]; },
                       true, packedB.data());
    B.packed = packedB.data();
  }
  Int8Output C{c.data(), n, 1, true};
  double macs = double(m) * n * k;
  return macs / medianSeconds(std::max(3, int(4e9 / macs)),
                              [&] { int8Gemm(context, m, n, k, A, B, C); }) /
         1e9;
}

double peakGflops(Isa isa) {
  long iters = 20'000'000;
  double best = 0;
  for (int rep = 0; rep < 5; ++rep) {
    double t0 = seconds();
    volatile float sink =
        isa == Isa::Avx512 ? peakAvx512(iters) : peakAvx2(iters);
    (void)sink;
    double t = seconds() - t0;
    double flops = isa == Isa::Avx512 ? iters * 16.0 * 16 * 2 : iters * 12.0 * 8 * 2;
    best = std::max(best, flops / t / 1e9);
  }
  return best;
}

std::vector<int64_t> strided(int64_t n, int64_t stride) {
  std::vector<int64_t> v(n);
  for (int64_t i = 0; i < n; ++i)
    v[i] = i * stride;
  return v;
}

// Which operand comes packed at compile time (PanelLayout.h), as a weight.
enum class Prepacked { None, A, B };

double gemmGflops(KernelContext &context, int64_t m, int64_t n, int64_t k,
                  Prepacked prepacked) {
  std::vector<float> a(m * k, 0.5f), b(k * n, 0.25f), c(m * n, 0.0f);
  auto aRows = strided(m, k), aCols = strided(k, 1), bRows = strided(k, n),
       bCols = strided(n, 1), cRows = strided(m, n), cCols = strided(n, 1);
  GemmOperand A{a.data(), aRows.data(), aCols.data()},
      B{b.data(), bRows.data(), bCols.data()};
  GemmOutput C{c.data(), cRows.data(), cCols.data()};
  std::vector<float> packed;
  if (prepacked == Prepacked::A) {
    packed.resize(panels::packedAFloats(m, k));
    panels::packA(m, k, [&](int64_t r, int64_t col) { return a[r * k + col]; },
                  packed.data());
    A = {packed.data(), nullptr, nullptr, true};
  } else if (prepacked == Prepacked::B) {
    packed.resize(panels::packedBFloats(k, n));
    panels::packB(k, n, [&](int64_t r, int64_t col) { return b[r * n + col]; },
                  packed.data());
    B = {packed.data(), nullptr, nullptr, true};
  }
  double flops = 2.0 * m * n * k;
  return flops / medianSeconds(std::max(3, int(2e9 / flops)),
                               [&] { gemmAccumulate(context, m, n, k, A, B, C); }) /
         1e9;
}

} // namespace

// One core streaming a copy far larger than the caches: bytes read plus
// bytes written per second, the median of 9 copies. The analytical cost
// model's bandwidth (compiler/costmodel) is this figure.
double copyBandwidthGBs() {
  const size_t floats = size_t(64) << 20; // 256 MiB each way
  std::vector<float> from(floats, 1.0f), to(floats, 0.0f);
  std::vector<double> times;
  for (int rep = 0; rep < 9; ++rep) {
    double start = seconds();
    std::copy(from.begin(), from.end(), to.begin());
    times.push_back(seconds() - start);
  }
  std::sort(times.begin(), times.end());
  return 2.0 * floats * sizeof(float) / times[times.size() / 2] / 1e9;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? std::atoi(argv[1]) : 1;
  KernelContext context;
  if (!initKernelContext(&context, threads)) {
    std::fprintf(stderr, "cannot create %d threads\n", threads);
    return 1;
  }
  if (context.isa == Isa::Generic) {
    std::printf("no AVX2/AVX-512 on this CPU: nothing to compare with\n");
    return 0;
  }
  double peak = peakGflops(context.isa) * context.threads;
  std::printf("ISA %s, micro-kernel %s, %d thread(s)\n", isaName(context.isa),
              context.gemm->name, context.threads);
  std::printf("measured FMA peak: %.1f GFLOP/s\n", peak);
  std::printf("measured copy bandwidth, one core: %.1f GB/s\n\n",
              copyBandwidthGBs());
  std::printf("%-22s %24s %24s %24s\n", "", "packed per call",
              "A packed at compile time", "B packed at compile time");
  std::printf("%-22s %24s %24s %24s\n", "M x N x K", "GFLOP/s  of peak",
              "GFLOP/s  of peak", "GFLOP/s  of peak");
  std::vector<std::vector<int64_t>> shapes = {
      {512, 512, 512},    {1024, 1024, 1024}, {128, 384, 384},
      {128, 1536, 384},   {128, 384, 1536},   {64, 3136, 576},
      {512, 49, 4608},    {256, 784, 1152},
  };
  if (argc == 5)
    shapes = {{std::atoll(argv[2]), std::atoll(argv[3]), std::atoll(argv[4])}};
  for (auto &s : shapes) {
    char label[64];
    std::snprintf(label, sizeof(label), "%lld x %lld x %lld", (long long)s[0],
                  (long long)s[1], (long long)s[2]);
    std::printf("%-22s", label);
    for (Prepacked p : {Prepacked::None, Prepacked::A, Prepacked::B}) {
      double g = gemmGflops(context, s[0], s[1], s[2], p);
      std::printf(" %15.1f %7.0f%%", g, 100.0 * g / peak);
    }
    std::printf("\n");
  }
  if (int8GemmUsesVnni()) {
    double vnniPeak = peakGmacsVnni() * context.threads;
    std::printf("\nmeasured vpdpbusd peak: %.1f GMAC/s\n", vnniPeak);
    std::printf("%-22s %24s %24s\n", "int8, A packed", "B packed per call",
                "B packed beforehand");
    std::printf("%-22s %24s %24s\n", "M x N x K", "GMAC/s  of peak",
                "GMAC/s  of peak");
    // ResNet-50's convolutions as GEMMs (filters x pixels x C*KH*KW).
    std::vector<std::vector<int64_t>> int8Shapes = {
        {64, 3136, 576},  {256, 3136, 64},  {64, 3136, 256}, {128, 784, 1152},
        {512, 784, 128},  {256, 196, 2304}, {1024, 196, 256}, {512, 49, 4608},
        {2048, 49, 512},  {64, 12544, 147},
    };
    if (argc == 5)
      int8Shapes = shapes;
    for (auto &s : int8Shapes) {
      char label[64];
      std::snprintf(label, sizeof(label), "%lld x %lld x %lld", (long long)s[0],
                    (long long)s[1], (long long)s[2]);
      std::printf("%-22s", label);
      for (bool prepacked : {false, true}) {
        double g = int8Gmacs(context, s[0], s[1], s[2], prepacked);
        std::printf(" %15.1f %7.0f%%", g, 100.0 * g / vnniPeak);
      }
      std::printf("\n");
    }
  }
  releaseKernelContext(&context);
  return 0;
}
