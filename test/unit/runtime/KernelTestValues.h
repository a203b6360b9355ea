//===- KernelTestValues.h - What the kernel tests share ---------*- C++ -*-===//
//
// The ISAs this CPU can run, random operands and strided offset tables, for
// the GEMM tests (KernelsTest.cpp, Int4GemmTest.cpp).
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_TEST_UNIT_RUNTIME_KERNELTESTVALUES_H
#define QUANTC_TEST_UNIT_RUNTIME_KERNELTESTVALUES_H

#include "kernels/KernelContext.h"

#include <random>
#include <vector>

namespace qc::kernels::testing {

inline std::vector<Isa> runnableIsas() {
  std::vector<Isa> isas{Isa::Generic};
  Isa best = detectIsa();
  if (best >= Isa::Avx2)
    isas.push_back(Isa::Avx2);
  if (best >= Isa::Avx512)
    isas.push_back(Isa::Avx512);
  return isas;
}

// n values uniform in [-1, 1).
inline std::vector<float> randomValues(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float &x : v)
    x = dist(rng);
  return v;
}

// 0, stride, 2 * stride, ...: n offsets.
inline std::vector<int64_t> strided(int64_t n, int64_t stride) {
  std::vector<int64_t> v(n);
  for (int64_t i = 0; i < n; ++i)
    v[i] = i * stride;
  return v;
}

} // namespace qc::kernels::testing

#endif // QUANTC_TEST_UNIT_RUNTIME_KERNELTESTVALUES_H
