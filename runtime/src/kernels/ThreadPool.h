//===- ThreadPool.h - The context's worker threads --------------*- C++ -*-===//
//
// A pool of `threads - 1` pthreads; the calling thread is thread 0 and works
// too, so a one-thread context creates no thread at all. Tasks of one
// parallelFor are handed out one at a time from an atomic counter. Between
// calls the workers spin briefly (kernels come back to back within a run),
// then sleep on a condition variable.
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

} // namespace qc::kernels

#endif // QUANTC_RUNTIME_KERNELS_THREADPOOL_H
