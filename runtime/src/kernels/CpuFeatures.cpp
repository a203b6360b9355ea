//===- CpuFeatures.cpp - cpuid and xgetbv ---------------------------------===//
#include "kernels/CpuFeatures.h"

#include <cpuid.h>
#include <stdint.h>

namespace qc::kernels {
namespace {

uint64_t readXcr0() {
  uint32_t eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (uint64_t(edx) << 32) | eax;
}

} // namespace

Isa detectIsa() {
  unsigned eax, ebx, ecx, edx;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx))
    return Isa::Generic;
  bool fma = ecx & bit_FMA, osxsave = ecx & bit_OSXSAVE, avx = ecx & bit_AVX;
  if (!osxsave || !avx || !fma)
    return Isa::Generic;
  uint64_t xcr0 = readXcr0();
  bool ymmState = (xcr0 & 0x6) == 0x6;     // SSE and AVX state
  bool zmmState = (xcr0 & 0xe6) == 0xe6;   // plus opmask and both ZMM halves
  if (!ymmState || !__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx))
    return Isa::Generic;
  if (zmmState && (ebx & bit_AVX512F))
    return Isa::Avx512;
  if (ebx & bit_AVX2)
    return Isa::Avx2;
  return Isa::Generic;
}

bool detectAvx512Vnni() {
  unsigned eax, ebx, ecx, edx;
  return detectIsa() == Isa::Avx512 &&
         __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) &&
         (ecx & bit_AVX512VNNI) && (ebx & bit_AVX512BW) && (ebx & bit_AVX512VL);
}

const char *isaName(Isa isa) {
  switch (isa) {
  case Isa::Avx512:
    return "avx512";
  case Isa::Avx2:
    return "avx2";
  case Isa::Generic:
    break;
  }
  return "generic";
}

} // namespace qc::kernels
