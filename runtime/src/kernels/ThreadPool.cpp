//===- ThreadPool.cpp - pthreads, one job at a time -----------------------===//
#include "kernels/ThreadPool.h"

#include <atomic>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

namespace qc::kernels {

struct ThreadPool {
  int threads;
  pthread_t *workers;
  pthread_mutex_t mutex;
  pthread_cond_t wake;
  pthread_cond_t done;
  // The current job; `generation` changes when a new one is posted.
  std::atomic<uint64_t> generation;
  std::atomic<int64_t> next;
  std::atomic<int> busy; // workers still inside the current job
  std::atomic<bool> running; // a run is under way (PoolRun)
  TaskFunction fn;
  void *arg;
  int64_t count;
  bool stop;
};

namespace {

// How long an idle worker polls for the next job before it sleeps: well
// under a millisecond (a pause is some 65 cycles on recent x86), longer than
// most gaps between two kernels of a run, so that the next kernel does not
// pay a futex wake-up per worker.
constexpr int kSpinIterations = 40000;

inline void cpuRelax() { __builtin_ia32_pause(); }

// One step of a wait that polls `done`: true while it should go on
// polling, false once it should sleep instead (past kSpinIterations
// polls, outside a run). During a run it yields every 1024 polls.
inline bool keepPolling(const ThreadPool *pool, int &polls) {
  if (polls < kSpinIterations) {
    ++polls;
  } else {
    if (!pool->running.load(std::memory_order_acquire))
      return false;
    if (++polls == kSpinIterations + 1024) {
      polls = kSpinIterations;
      sched_yield();
    }
  }
  cpuRelax();
  return true;
}

void runTasks(ThreadPool *pool, int thread) {
  for (;;) {
    int64_t task = pool->next.fetch_add(1, std::memory_order_relaxed);
    if (task >= pool->count)
      return;
    pool->fn(pool->arg, task, thread);
  }
}

struct WorkerStart {
  ThreadPool *pool;
  int thread;
};

void *workerMain(void *raw) {
  WorkerStart start = *static_cast<WorkerStart *>(raw);
  free(raw);
  ThreadPool *pool = start.pool;
  uint64_t seen = 0;
  for (;;) {
    uint64_t generation = pool->generation.load(std::memory_order_acquire);
    for (int polls = 0; generation == seen && keepPolling(pool, polls);)
      generation = pool->generation.load(std::memory_order_acquire);
    if (generation == seen) {
      // Until a job, the end of the pool, or a run's start (then polling
      // again).
      pthread_mutex_lock(&pool->mutex);
      while ((generation = pool->generation.load(std::memory_order_acquire)) ==
                 seen &&
             !pool->stop && !pool->running.load(std::memory_order_acquire))
        pthread_cond_wait(&pool->wake, &pool->mutex);
      pthread_mutex_unlock(&pool->mutex);
    }
    if (pool->stop)
      return nullptr;
    if (generation == seen)
      continue;
    seen = generation;
    runTasks(pool, start.thread);
    if (pool->busy.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      pthread_mutex_lock(&pool->mutex);
      pthread_cond_signal(&pool->done);
      pthread_mutex_unlock(&pool->mutex);
    }
  }
}

} // namespace

ThreadPool *createThreadPool(int threads) {
  if (threads < 2)
    return nullptr;
  auto *pool = static_cast<ThreadPool *>(calloc(1, sizeof(ThreadPool)));
  if (!pool)
    return nullptr;
  pool->workers =
      static_cast<pthread_t *>(calloc(size_t(threads - 1), sizeof(pthread_t)));
  if (!pool->workers) {
    free(pool);
    return nullptr;
  }
  pool->threads = 1;
  pthread_mutex_init(&pool->mutex, nullptr);
  pthread_cond_init(&pool->wake, nullptr);
  pthread_cond_init(&pool->done, nullptr);
  for (int t = 1; t < threads; ++t) {
    auto *start = static_cast<WorkerStart *>(malloc(sizeof(WorkerStart)));
    if (start)
      *start = {pool, t};
    if (!start ||
        pthread_create(&pool->workers[t - 1], nullptr, workerMain, start)) {
      free(start);
      destroyThreadPool(pool);
      return nullptr;
    }
    pool->threads = t + 1;
  }
  return pool;
}

void destroyThreadPool(ThreadPool *pool) {
  if (!pool)
    return;
  pthread_mutex_lock(&pool->mutex);
  pool->stop = true;
  pool->generation.fetch_add(1, std::memory_order_release);
  pthread_cond_broadcast(&pool->wake);
  pthread_mutex_unlock(&pool->mutex);
  for (int t = 1; t < pool->threads; ++t)
    pthread_join(pool->workers[t - 1], nullptr);
  pthread_cond_destroy(&pool->done);
  pthread_cond_destroy(&pool->wake);
  pthread_mutex_destroy(&pool->mutex);
  free(pool->workers);
  free(pool);
}

void parallelFor(ThreadPool *pool, int64_t count, TaskFunction fn, void *arg) {
  if (!pool || count <= 1) {
    for (int64_t task = 0; task < count; ++task)
      fn(arg, task, 0);
    return;
  }
  pool->fn = fn;
  pool->arg = arg;
  pool->count = count;
  pool->next.store(0, std::memory_order_relaxed);
  pool->busy.store(pool->threads - 1, std::memory_order_relaxed);
  pthread_mutex_lock(&pool->mutex);
  pool->generation.fetch_add(1, std::memory_order_release);
  pthread_cond_broadcast(&pool->wake);
  pthread_mutex_unlock(&pool->mutex);
  runTasks(pool, 0);
  for (int polls = 0;
       pool->busy.load(std::memory_order_acquire) && keepPolling(pool, polls);)
    ;
  if (pool->busy.load(std::memory_order_acquire)) {
    pthread_mutex_lock(&pool->mutex);
    while (pool->busy.load(std::memory_order_acquire))
      pthread_cond_wait(&pool->done, &pool->mutex);
    pthread_mutex_unlock(&pool->mutex);
  }
}

PoolRun::PoolRun(ThreadPool *pool) : pool(pool) {
  if (!pool)
    return;
  pool->running.store(true, std::memory_order_release);
  pthread_mutex_lock(&pool->mutex);
  pthread_cond_broadcast(&pool->wake);
  pthread_mutex_unlock(&pool->mutex);
}

PoolRun::~PoolRun() {
  if (pool)
    pool->running.store(false, std::memory_order_release);
}

} // namespace qc::kernels
