//===- ThreadPool.h - The context's worker threads --------------*- C++ -*-===//
//
// A pool of `threads - 1` pthreads; the calling thread is thread 0 and works
// too, so a one-thread context creates no thread at all. The tasks of one
// parallelFor are shared out as consecutive runs, thread t's run the t-th,
// each handed out one task at a time; a thread done with its own takes the
// others'. Between calls the workers spin, then sleep on a condition
// variable: all along a run (PoolRun), briefly outside one.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_RUNTIME_KERNELS_THREADPOOL_H
#define QUANTC_RUNTIME_KERNELS_THREADPOOL_H

#include <stdint.h>

namespace qc::kernels {

// Runs task `task` (0 <= task < count) on thread `thread` (0 <= thread <
// threads): a thread index selects that thread's scratch memory.
using TaskFunction = void (*)(void *arg, int64_t task, int thread);

struct ThreadPool;

// NULL when the threads cannot be created; threads >= 2.
ThreadPool *createThreadPool(int threads);
void destroyThreadPool(ThreadPool *pool);

// Runs every task and returns when all are done. `pool` may be NULL: then
// the tasks run in order on the calling thread.
void parallelFor(ThreadPool *pool, int64_t count, TaskFunction fn, void *arg);

// A model's run on `pool` (NULL: none), for as long as it lives: the
// workers are woken when it starts, and neither they nor the calling
// thread sleep until it ends. A thread that slept between two kernels
// (after a pause between runs, the worker waited to be woken at the
// first; the caller, for a worker still waking) cost a wake-up each time:
// on these VMs, where an idle virtual CPU is halted, MobileNetV2 on two
// threads took 13 ms with 50 ms pauses between runs, against 4.5 ms
// without.
class PoolRun {
public:
  explicit PoolRun(ThreadPool *pool);
  ~PoolRun();
  PoolRun(const PoolRun &) = delete;
  PoolRun &operator=(const PoolRun &) = delete;

private:
  ThreadPool *pool;
};

} // namespace qc::kernels

#endif // QUANTC_RUNTIME_KERNELS_THREADPOOL_H
