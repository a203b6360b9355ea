//===- CpuFeatures.h - Which vector ISA this CPU runs -----------*- C++ -*-===//
#ifndef QUANTC_RUNTIME_KERNELS_CPUFEATURES_H
#define QUANTC_RUNTIME_KERNELS_CPUFEATURES_H

namespace qc::kernels {

// The kernel variants the runtime carries, widest last.
enum class Isa { Generic, Avx2, Avx512 };

// The widest variant both the CPU and the OS (saved vector state, XCR0)
// support. Read with cpuid/xgetbv directly: __builtin_cpu_supports needs
// libgcc's __cpu_model, and generated libraries link against libc only.
Isa detectIsa();

const char *isaName(Isa isa);

// Whether the CPU runs AVX-512 VNNI (vpdpbusd), with the byte and 128/256-bit
// forms (BW, VL) its packing uses, and the AVX-512 state saved: the int8
// GEMM's instructions, beside the float kernels' Isa.
bool detectAvx512Vnni();

} // namespace qc::kernels

#endif // QUANTC_RUNTIME_KERNELS_CPUFEATURES_H
