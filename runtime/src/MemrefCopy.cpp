//===- MemrefCopy.cpp - the strided copy that MLIR's lowering calls -------===//
//
// finalize-memref-to-llvm lowers a memref.copy between non-contiguous
// memrefs (concatenation and padding write into subviews) to a call of
// `memrefCopy`, which upstream provides in libmlir_c_runner_utils. Generated
// libraries must not depend on that, so the runtime has its own, with the
// same signature and semantics. It copies contiguous innermost runs with
// memcpy, and an innermost dim strided in either memref (a transposed
// convolution's taps, written every other column) element by element in a
// loop of its own: a memcpy call per element made the four taps of PP-OCR
// det's upsampling 12% of the model's time. Hidden: only model code in the
// same library calls it.
//
//===----------------------------------------------------------------------===//
#include <stdint.h>
#include <string.h>

namespace {
/// MLIR's unranked memref: a rank and a pointer to a ranked descriptor
/// {allocated, aligned, offset, sizes[rank], strides[rank]}.
struct UnrankedMemRef {
  int64_t rank;
  void *descriptor;
};

struct DescriptorView {
  char *aligned;
  int64_t offset;
  const int64_t *sizes;
  const int64_t *strides;
  explicit DescriptorView(void *d) {
    char **ptrs = static_cast<char **>(d);
    aligned = ptrs[1];
    const int64_t *ints = reinterpret_cast<const int64_t *>(ptrs + 2);
    offset = ints[0];
    sizes = ints + 1;
    strides = nullptr; // set by the caller: it depends on the rank
  }
};

constexpr int64_t kMaxRank = 32;

// `count` elements of `Size` bytes, `srcStride` and `dstStride` elements
// apart (memcpy of a constant size is a plain load and store).
template <int64_t Size>
void copyElements(char *dst, const char *src, int64_t count, int64_t dstStride,
                  int64_t srcStride) {
  for (int64_t i = 0; i < count; ++i)
    memcpy(dst + i * dstStride * Size, src + i * srcStride * Size, Size);
}

// Copies the innermost dim, `count` elements `srcStride` and `dstStride`
// elements apart.
using InnermostCopy = void (*)(char *dst, const char *src, int64_t count,
                               int64_t dstStride, int64_t srcStride);
InnermostCopy innermostCopyFor(int64_t elemSize) {
  switch (elemSize) {
  case 1:
    return copyElements<1>;
  case 2:
    return copyElements<2>;
  case 4:
    return copyElements<4>;
  case 8:
    return copyElements<8>;
  default:
    return nullptr;
  }
}
} // namespace

extern "C" __attribute__((visibility("hidden"))) void
memrefCopy(int64_t elemSize, UnrankedMemRef *srcArg, UnrankedMemRef *dstArg) {
  int64_t rank = srcArg->rank;
  DescriptorView src(srcArg->descriptor), dst(dstArg->descriptor);
  src.strides = src.sizes + rank;
  dst.strides = dst.sizes + rank;
  char *srcBase = src.aligned + src.offset * elemSize;
  char *dstBase = dst.aligned + dst.offset * elemSize;
  if (rank == 0) {
    memcpy(dstBase, srcBase, elemSize);
    return;
  }
  if (rank > kMaxRank)
    return; // model code never has such ranks; no way to report from here
  for (int64_t i = 0; i < rank; ++i)
    if (src.sizes[i] == 0)
      return;

  // Merge the innermost dims that are contiguous in both into one run.
  int64_t run = 1, outer = rank;
  while (outer > 0 && src.strides[outer - 1] == run &&
         dst.strides[outer - 1] == run) {
    run *= src.sizes[outer - 1];
    --outer;
  }
  int64_t runBytes = run * elemSize;
  if (outer == 0) {
    memcpy(dstBase, srcBase, runBytes);
    return;
  }
  // No contiguous run: the innermost dim is copied by a strided loop, and
  // the odometer goes over the dims outside it.
  InnermostCopy strided = run == 1 ? innermostCopyFor(elemSize) : nullptr;
  int64_t innerCount = 0, innerSrc = 0, innerDst = 0;
  if (strided) {
    --outer;
    innerCount = src.sizes[outer];
    innerSrc = src.strides[outer];
    innerDst = dst.strides[outer];
  }
  int64_t index[kMaxRank] = {0};
  int64_t srcOff = 0, dstOff = 0;
  for (;;) {
    if (strided)
      strided(dstBase + dstOff * elemSize, srcBase + srcOff * elemSize,
              innerCount, innerDst, innerSrc);
    else
      memcpy(dstBase + dstOff * elemSize, srcBase + srcOff * elemSize,
             runBytes);
    // Odometer over the outer dims.
    int64_t d = outer - 1;
    for (; d >= 0; --d) {
      ++index[d];
      srcOff += src.strides[d];
      dstOff += dst.strides[d];
      if (index[d] < src.sizes[d])
        break;
      srcOff -= src.strides[d] * index[d];
      dstOff -= dst.strides[d] * index[d];
      index[d] = 0;
    }
    if (d < 0)
      return;
  }
}
