//===- depthwise_bench.cpp - The depthwise kernel on MobileNetV2's layers ===//
//
//   build/bin/quantc-depthwise-bench [threads [reps]]
//
// Calls the runtime's depthwise convolution entry (DepthwiseConv.cpp) on
// the 3x3 layers of MobileNetV2 as the compiler emits them (the producer's
// unpadded output, a padding of 1 read implicitly, bias and Relu6 fused) and
// prints, per layer, the median microseconds per call, GFLOP/s and the bytes
// moved per second (input read once, output written once): warm (the same call
// repeated, operands in cache) and cold (a 32 MiB buffer is written between
// calls, untimed, so that the operands come from memory as in a model's run,
// where the layer before wrote them long ago in cache terms). Timings only; no
// pass/fail.
//
//===----------------------------------------------------------------------===//
#include "kernels/DepthwiseConv.h"
#include "kernels/KernelContext.h"

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

struct Layer {
  int64_t channels, outHW, stride, count; // count: how many MobileNetV2 has
};

// MobileNetV2's depthwise layers (all 3x3, padding 1), input 224x224.
constexpr Layer kLayers[] = {
    {32, 112, 1, 1}, {96, 56, 2, 1},  {144, 56, 1, 1}, {144, 28, 2, 1},
    {192, 28, 1, 2}, {192, 14, 2, 1}, {384, 14, 1, 4}, {576, 14, 1, 2},
    {576, 7, 2, 1},  {960, 7, 1, 3},
};

std::vector<char> flushBuffer(32 << 20);
void flushCaches() {
  for (size_t i = 0; i < flushBuffer.size(); i += 64)
    flushBuffer[i] = char(i);
}

// The median microseconds of `reps` calls, each after a cache flush when
// `cold`.
template <typename Call> double medianMicros(int reps, bool cold, Call call) {
  std::vector<double> times;
  call();
  for (int r = 0; r < reps; ++r) {
    if (cold)
      flushCaches();
    double t0 = seconds();
    call();
    times.push_back(seconds() - t0);
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2] * 1e6;
}

} // namespace

int main(int argc, char **argv) {
  int threads = argc > 1 ? std::atoi(argv[1]) : 1;
  int reps = argc > 2 ? std::atoi(argv[2]) : 200;
  KernelContext context;
  if (threads < 1 || reps < 1 || !initKernelContext(&context, threads)) {
    std::fprintf(stderr, "usage: %s [threads >= 1 [reps >= 1]]\n", argv[0]);
    return 1;
  }
  CurrentKernelContext current(&context);
  std::printf("depthwise 3x3, bias + Relu6, %d thread(s), isa %s, median of "
              "%d calls\n",
              threads, isaName(context.isa), reps);
  std::printf("%-22s %9s %8s %8s %9s %8s %8s\n", "layer (C x HxW, s)",
              "warm us", "GFLOP/s", "GB/s", "cold us", "GFLOP/s", "GB/s");
  double warmTotal = 0, coldTotal = 0;
  for (const Layer &l : kLayers) {
    // Padding 1 on each side: the input is outHW * stride wide.
    int64_t out = l.outHW, in = out * l.stride;
    std::vector<float> x(l.channels * in * in, 0.5f), w(l.channels * 9, 0.1f),
        y(l.channels * out * out), bias(l.channels, 0.01f), clamp{0.0f, 6.0f};
    auto xd = MemRef<4>::contiguous(x.data(), {1, l.channels, in, in});
    auto wd = MemRef<3>::contiguous(w.data(), {l.channels, 3, 3});
    auto yd = MemRef<4>::contiguous(y.data(), {1, l.channels, out, out});
    auto bd = MemRef<1>::contiguous(bias.data(), {l.channels});
    auto cd = MemRef<1>::contiguous(clamp.data(), {2});
    auto call = [&] {
      _mlir_ciface_qc_kernel_depthwise_conv2d_nchw_f32(
          &xd, &wd, &yd, &bd, &cd, l.stride, l.stride, 1, 1, 1, 1);
    };
    double flop = 2.0 * 9 * l.channels * out * out;
    double bytes = 4.0 * (x.size() + y.size());
    double warm = medianMicros(reps, false, call);
    double cold = medianMicros(reps / 4 + 1, true, call);
    warmTotal += warm * l.count;
    coldTotal += cold * l.count;
    char name[64];
    std::snprintf(name, sizeof name, "%ldx%ldx%ld s%ld (x%ld)",
                  long(l.channels), long(out), long(out), long(l.stride),
                  long(l.count));
    std::printf("%-22s %9.1f %8.1f %8.1f %9.1f %8.1f %8.1f\n", name, warm,
                flop / warm * 1e-3, bytes / warm * 1e-3, cold,
                flop / cold * 1e-3, bytes / cold * 1e-3);
  }
  std::printf("all of MobileNetV2's depthwise layers: warm %.0f us, cold %.0f "
              "us\n",
              warmTotal, coldTotal);
  return 0;
}
