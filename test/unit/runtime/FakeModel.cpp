//===- FakeModel.cpp - A hand-written stand-in for compiled model code ----===//
//
// Built with the runtime's flags (libc only) because LinkTest.cpp also links
// it into a real shared library with `ld.lld -z defs`.
//
//===----------------------------------------------------------------------===//

#include "FakeModel.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

extern "C" const char qc_signature[] = "quantc-signature 2\n"
                                       "model fake%20model\n"
                                       "results out-params\n"
                                       "input x f32 2 2 3\n"
                                       "input scale%20factor f32 0\n"
                                       "output y f32 2 2 3\n"
                                       "output positives i64 1 2\n"
                                       "output total f64 0\n";

namespace {
struct Memref0 {
  void *allocated;
  void *aligned;
  int64_t offset;
};
template <int Rank> struct Memref {
  void *allocated;
  void *aligned;
  int64_t offset;
  int64_t sizes[Rank];
  int64_t strides[Rank];
};

void fail(const char *what) {
  fprintf(stderr, "FakeModel: bad descriptor: %s\n", what);
  abort();
}

void checkHeader(void *allocated, void *aligned, int64_t offset) {
  if (!aligned || allocated != aligned || offset != 0)
    fail("allocated/aligned/offset");
}

template <int Rank>
void check(const Memref<Rank> *m, const int64_t (&sizes)[Rank]) {
  checkHeader(m->allocated, m->aligned, m->offset);
  int64_t stride = 1;
  for (int i = Rank - 1; i >= 0; --i) {
    if (m->sizes[i] != sizes[i] || m->strides[i] != stride)
      fail("sizes/strides");
    stride *= sizes[i];
  }
}
} // namespace

extern "C" void qc_entry(void **args) {
  auto *x = static_cast<Memref<2> *>(args[0]);
  auto *scale = static_cast<Memref0 *>(args[1]);
  auto *y = static_cast<Memref<2> *>(args[2]);
  auto *positives = static_cast<Memref<1> *>(args[3]);
  auto *total = static_cast<Memref0 *>(args[4]);
  check(x, {2, 3});
  checkHeader(scale->allocated, scale->aligned, scale->offset);
  check(y, {2, 3});
  check(positives, {2});
  checkHeader(total->allocated, total->aligned, total->offset);

  const float *xs = static_cast<const float *>(x->aligned);
  float s = *static_cast<const float *>(scale->aligned);
  float *ys = static_cast<float *>(y->aligned);
  int64_t *counts = static_cast<int64_t *>(positives->aligned);
  double sum = 0;
  for (int r = 0; r < 2; ++r) {
    counts[r] = 0;
    for (int c = 0; c < 3; ++c) {
      float v = xs[r * 3 + c];
      ys[r * 3 + c] = v * s + 1.0f;
      sum += ys[r * 3 + c];
      counts[r] += v > 0;
    }
  }
  *static_cast<double *>(total->aligned) = sum;
}
