//===- DepthwiseConv.cpp - One filter per channel, NCHW -------------------===//
//
// A depthwise convolution does KH*KW multiply-adds per output, too few for a
// GEMM to pay for its packing: each (image, channel) plane is a task of its
// own, and within it every kernel tap adds one shifted input row times one
// weight into the output row, a loop over the output's width that the
// compiler vectorizes (compiled once per ISA, picked by the context's).
//
//===----------------------------------------------------------------------===//
#include "kernels/KernelEntries.h"

namespace qc::kernels {
namespace {

struct DepthwiseJob {
  const MemRef<4> *x;
  const MemRef<3> *w;
  const MemRef<4> *y;
  int64_t strideH, strideW, dilationH, dilationW;
};

using PlaneFn = void (*)(const DepthwiseJob &job, int64_t b, int64_t c);

__attribute__((always_inline)) inline void plane(const DepthwiseJob &job,
                                                 int64_t b, int64_t c) {
  const MemRef<4> &x = *job.x, &y = *job.y;
  const MemRef<3> &w = *job.w;
  int64_t outH = y.sizes[2], outW = y.sizes[3];
  int64_t kernelH = w.sizes[1], kernelW = w.sizes[2];
  const float *xPlane = x.data() + b * x.strides[0] + c * x.strides[1];
  const float *wPlane = w.data() + c * w.strides[0];
  float *yPlane = y.data() + b * y.strides[0] + c * y.strides[1];
  int64_t xsh = x.strides[2], xsw = x.strides[3], ysw = y.strides[3];
  bool unitStrides = job.strideW == 1 && xsw == 1 && ysw == 1;
  for (int64_t oh = 0; oh < outH; ++oh) {
    float *__restrict out = yPlane + oh * y.strides[2];
    for (int64_t kh = 0; kh < kernelH; ++kh) {
      const float *row = xPlane + (oh * job.strideH + kh * job.dilationH) * xsh;
      for (int64_t kw = 0; kw < kernelW; ++kw) {
        float weight = wPlane[kh * w.strides[1] + kw * w.strides[2]];
        const float *__restrict in = row + kw * job.dilationW * xsw;
        if (unitStrides) {
          for (int64_t ow = 0; ow < outW; ++ow)
            out[ow] += weight * in[ow];
        } else {
          int64_t step = job.strideW * xsw;
          for (int64_t ow = 0; ow < outW; ++ow)
            out[ow * ysw] += weight * in[ow * step];
        }
      }
    }
  }
}

__attribute__((target("avx512f,fma"))) void
planeAvx512(const DepthwiseJob &job, int64_t b, int64_t c) {
  plane(job, b, c);
}
__attribute__((target("avx2,fma"))) void planeAvx2(const DepthwiseJob &job,
                                                   int64_t b, int64_t c) {
  plane(job, b, c);
}
void planeGeneric(const DepthwiseJob &job, int64_t b, int64_t c) {
  plane(job, b, c);
}

struct Task {
  const DepthwiseJob *job;
  PlaneFn fn;
  int64_t channels;
};

void runPlane(void *raw, int64_t task, int) {
  const Task &t = *static_cast<Task *>(raw);
  t.fn(*t.job, task / t.channels, task % t.channels);
}

} // namespace
} // namespace qc::kernels

using namespace qc::kernels;

// y[b, c, oh, ow] += sum over (kh, kw) of
//   x[b, c, oh * sh + kh * dh, ow * sw + kw * dw] * w[c, kh, kw]
// (x already padded).
extern "C" __attribute__((visibility("hidden"))) void
_mlir_ciface_qc_kernel_depthwise_conv2d_nchw_f32(
    MemRef<4> *x, MemRef<3> *w, MemRef<4> *y, int64_t strideH,
    int64_t strideW, int64_t dilationH, int64_t dilationW) {
  KernelScope scope;
  if (!scope.ok) {
    poison(*y);
    return;
  }
  DepthwiseJob job{x, w, y, strideH, strideW, dilationH, dilationW};
  PlaneFn fn = scope.context->isa == Isa::Avx512 ? planeAvx512
               : scope.context->isa == Isa::Avx2 ? planeAvx2
                                                 : planeGeneric;
  Task task{&job, fn, y->sizes[1]};
  parallelFor(scope.context->pool, y->sizes[0] * y->sizes[1], runPlane, &task);
}
