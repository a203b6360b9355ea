//===- KernelEntries.h - What the kernels' C entry points share -*- C++ -*-===//
//
// The memref descriptor the generated code passes (llvm.emit_c_interface),
// the kernel context of the current run, and what a kernel does when it has
// no memory to work with.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_RUNTIME_KERNELS_KERNELENTRIES_H
#define QUANTC_RUNTIME_KERNELS_KERNELENTRIES_H

#include "kernels/KernelContext.h"

#include <math.h>
#include <stdint.h>

namespace qc::kernels {

template <int Rank, typename T = float> struct MemRef {
  T *allocated;
  T *aligned;
  int64_t offset;
  int64_t sizes[Rank];
  int64_t strides[Rank];

  // A row-major (dense, last dim fastest) memref of `data`.
  static MemRef contiguous(T *data, const int64_t (&sizes)[Rank]) {
    MemRef m{data, data, 0, {}, {}};
    int64_t stride = 1;
    for (int i = Rank - 1; i >= 0; --i) {
      m.sizes[i] = sizes[i];
      m.strides[i] = stride;
      stride *= sizes[i];
    }
    return m;
  }

  T *data() const { return aligned + offset; }
  int64_t elements() const {
    int64_t count = 1;
    for (int i = 0; i < Rank; ++i)
      count *= sizes[i];
    return count;
  }
};

// The run's kernel context, or a one-thread one for a call outside a run.
struct KernelScope {
  KernelContext *context = currentKernelContext();
  KernelContext local;
  bool ok = true;

  KernelScope() {
    if (!context) {
      ok = initKernelContext(&local, 1);
      context = &local;
    }
  }
  ~KernelScope() {
    if (context == &local && ok)
      releaseKernelContext(&local);
  }

  // The context's offset table (offsetTable), NULL when the scope has no
  // context or the memory cannot be had.
  int64_t *offsets(size_t count) {
    return ok ? offsetTable(*context, count) : nullptr;
  }
};

// Out of memory (or an operand it cannot take) in the middle of a run: the
// kernel cannot report an error, so its output becomes NaN (INT32_MIN for
// int32 sums) rather than a silently wrong number.
inline float poisonValue(float *) { return NAN; }
inline int32_t poisonValue(int32_t *) { return INT32_MIN; }
template <int Rank, typename T> void poison(const MemRef<Rank, T> &out) {
  int64_t index[Rank] = {};
  for (int64_t e = 0, n = out.elements(); e < n; ++e) {
    int64_t offset = 0;
    for (int i = 0; i < Rank; ++i)
      offset += index[i] * out.strides[i];
    out.data()[offset] = poisonValue(out.data());
    for (int i = Rank - 1; i >= 0 && ++index[i] == out.sizes[i]; --i)
      index[i] = 0;
  }
}

} // namespace qc::kernels

#endif // QUANTC_RUNTIME_KERNELS_KERNELENTRIES_H
