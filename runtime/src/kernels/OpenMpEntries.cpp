//===- OpenMpEntries.cpp - The libomp entry points compiled loops call ----===//
//
// qc-parallelize-loops turns a model's large elementwise loops into an
// omp.parallel region holding one static worksharing loop with `nowait`.
// LLVM's OpenMP IR builder emits that as calls into libomp's ABI; these are
// the calls, served by the context's own thread pool rather than a second
// one (two pools on two cores would spin against each other):
//
//   __kmpc_fork_call          run the outlined region once per team member
//   __kmpc_global_thread_num  the member the calling thread is running
//   __kmpc_for_static_init_*  that member's contiguous share of the loop
//   __kmpc_for_static_fini    (nothing to do)
//
// A team member is a task of the pool, not a thread: with no barrier in the
// region (`nowait`, and the region ends with the loop), any thread may run
// any member's share, so a worker that is late to wake costs nothing but
// its share, which the calling thread then runs itself. There is no
// __kmpc_barrier, so IR that needs one fails to link rather than
// deadlocking. Only what that IR uses is here: schedule(static) without a
// chunk, no nested teams (a region inside a region runs as a team of one),
// at most kMaxArgs captured arguments (the IR builder passes one, a struct;
// more traps). Outside a run (no current context) a region runs on the
// calling thread. Hidden like the rest of the runtime, so a libomp loaded by
// the host process never interposes.
//
//===----------------------------------------------------------------------===//
#include "kernels/KernelContext.h"

#include <stdarg.h>
#include <stdint.h>

namespace qc::kernels {
namespace {

using Microtask = void (*)(int32_t *, int32_t *, ...);
constexpr int kMaxArgs = 8;

// The team member the calling thread is running, for its duration.
struct Team {
  int32_t member = 0, size = 1;
  bool inRegion = false;
};
thread_local Team currentTeam;

struct Fork {
  Microtask fn;
  int argc;
  void *args[kMaxArgs];
  int size;
};

void invoke(const Fork &f, int32_t thread) {
  int32_t gtid = thread, btid = thread;
  void *const *a = f.args;
  using F0 = void (*)(int32_t *, int32_t *);
  using F1 = void (*)(int32_t *, int32_t *, void *);
  using F2 = void (*)(int32_t *, int32_t *, void *, void *);
  using F3 = void (*)(int32_t *, int32_t *, void *, void *, void *);
  using F4 = void (*)(int32_t *, int32_t *, void *, void *, void *, void *);
  using F5 = void (*)(int32_t *, int32_t *, void *, void *, void *, void *,
                      void *);
  using F6 = void (*)(int32_t *, int32_t *, void *, void *, void *, void *,
                      void *, void *);
  using F7 = void (*)(int32_t *, int32_t *, void *, void *, void *, void *,
                      void *, void *, void *);
  using F8 = void (*)(int32_t *, int32_t *, void *, void *, void *, void *,
                      void *, void *, void *, void *);
  auto fn = reinterpret_cast<void *>(f.fn);
  switch (f.argc) {
  case 0: return reinterpret_cast<F0>(fn)(&gtid, &btid);
  case 1: return reinterpret_cast<F1>(fn)(&gtid, &btid, a[0]);
  case 2: return reinterpret_cast<F2>(fn)(&gtid, &btid, a[0], a[1]);
  case 3: return reinterpret_cast<F3>(fn)(&gtid, &btid, a[0], a[1], a[2]);
  case 4:
    return reinterpret_cast<F4>(fn)(&gtid, &btid, a[0], a[1], a[2], a[3]);
  case 5:
    return reinterpret_cast<F5>(fn)(&gtid, &btid, a[0], a[1], a[2], a[3],
                                    a[4]);
  case 6:
    return reinterpret_cast<F6>(fn)(&gtid, &btid, a[0], a[1], a[2], a[3],
                                    a[4], a[5]);
  case 7:
    return reinterpret_cast<F7>(fn)(&gtid, &btid, a[0], a[1], a[2], a[3],
                                    a[4], a[5], a[6]);
  default:
    return reinterpret_cast<F8>(fn)(&gtid, &btid, a[0], a[1], a[2], a[3],
                                    a[4], a[5], a[6], a[7]);
  }
}

void runMember(void *raw, int64_t member, int) {
  const Fork &f = *static_cast<Fork *>(raw);
  Team saved = currentTeam;
  currentTeam = {int32_t(member), f.size, true};
  invoke(f, int32_t(member));
  currentTeam = saved;
}

// Iterations [*lower, *upper] (inclusive, step `incr`) shared in contiguous
// parts, one per team thread, the first (trip % size) parts one longer.
template <typename T, typename S>
void staticShare(int32_t gtid, int32_t *lastIter, T *lower, T *upper,
                 S *stride, S incr) {
  T trip = T((*upper - *lower) / T(incr) + 1);
  if (incr > 0 ? *upper < *lower : *upper > *lower)
    trip = 0;
  T size = T(currentTeam.size), thread = T(gtid);
  if (thread >= size) // not in a region: the whole loop
    size = 1, thread = 0;
  T share = trip / size, extra = trip % size;
  T first = thread * share + (thread < extra ? thread : extra);
  T count = share + (thread < extra ? 1 : 0);
  if (lastIter)
    *lastIter = count > 0 && first + count == trip;
  *stride = S(trip * T(incr));
  T begin = *lower;
  *lower = T(begin + first * T(incr));
  // An empty share ends before it starts, as libomp leaves it.
  *upper = count ? T(*lower + (count - 1) * T(incr)) : T(*lower - T(incr));
}

} // namespace
} // namespace qc::kernels

using namespace qc::kernels;

extern "C" {

struct ident_t;

__attribute__((visibility("hidden"))) int32_t
__kmpc_global_thread_num(ident_t *) {
  return currentTeam.member;
}

__attribute__((visibility("hidden"))) void
__kmpc_fork_call(ident_t *, int32_t argc, Microtask fn, ...) {
  // More arguments than invoke() forwards would run the region on garbage;
  // the IR builder passes one (its struct of captures), so this is a
  // compiler bug, not bad input.
  if (argc < 0 || argc > kMaxArgs)
    __builtin_trap();
  Fork f;
  f.fn = fn;
  f.argc = argc;
  va_list ap;
  va_start(ap, fn);
  for (int i = 0; i < f.argc; ++i)
    f.args[i] = va_arg(ap, void *);
  va_end(ap);
  KernelContext *context = currentKernelContext();
  ThreadPool *pool =
      context && !currentTeam.inRegion ? context->pool : nullptr;
  f.size = pool ? context->threads : 1;
  parallelFor(pool, f.size, runMember, &f);
}

__attribute__((visibility("hidden"))) void
__kmpc_for_static_init_8u(ident_t *, int32_t gtid, int32_t, int32_t *lastIter,
                          uint64_t *lower, uint64_t *upper, int64_t *stride,
                          int64_t incr, int64_t) {
  staticShare(gtid, lastIter, lower, upper, stride, incr);
}

__attribute__((visibility("hidden"))) void
__kmpc_for_static_init_8(ident_t *, int32_t gtid, int32_t, int32_t *lastIter,
                         int64_t *lower, int64_t *upper, int64_t *stride,
                         int64_t incr, int64_t) {
  staticShare(gtid, lastIter, lower, upper, stride, incr);
}

__attribute__((visibility("hidden"))) void
__kmpc_for_static_init_4u(ident_t *, int32_t gtid, int32_t, int32_t *lastIter,
                          uint32_t *lower, uint32_t *upper, int32_t *stride,
                          int32_t incr, int32_t) {
  staticShare(gtid, lastIter, lower, upper, stride, incr);
}

__attribute__((visibility("hidden"))) void
__kmpc_for_static_init_4(ident_t *, int32_t gtid, int32_t, int32_t *lastIter,
                         int32_t *lower, int32_t *upper, int32_t *stride,
                         int32_t incr, int32_t) {
  staticShare(gtid, lastIter, lower, upper, stride, incr);
}

__attribute__((visibility("hidden"))) void __kmpc_for_static_fini(ident_t *,
                                                                  int32_t) {}

} // extern "C"
