//===- ThreadPool.cpp - pthreads, one job at a time -----------------------===//
//
// A job is done when its tasks are, whoever ran them: a worker that has
// not woken up yet (or was descheduled) holds nobody up; the caller and the
// workers that are there run every task. A worker takes part in a job by
// joining it (`state` counts the workers inside); the caller rewrites the
// job's description only once it has closed the job to joiners and the
// last one has left, so a worker that wakes late joins whatever job is
// posted then, never a half-written one.
//
//===----------------------------------------------------------------------===//
#include "kernels/ThreadPool.h"

#include <atomic>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>

namespace qc::kernels {

namespace {

// `state`: the job's number (high 32 bits), whether it is closed to
// joiners, and how many workers are inside it.
constexpr uint64_t kClosed = uint64_t(1) << 31;
constexpr uint64_t kInside = kClosed - 1;

uint64_t jobOf(uint64_t state) { return state >> 32; }

} // namespace

struct ThreadPool {
  int threads;
  pthread_t *workers;
  pthread_mutex_t mutex;
  pthread_cond_t wake;
  pthread_cond_t done;
  std::atomic<uint64_t> state;
  // Each thread's share of the job's tasks, the next to hand out and the
  // end, one cache line each: thread t's share is the t-th run of
  // consecutive tasks, so that the kernels' tasks, which split their output
  // in order (a GEMM's row or column parts, a depthwise convolution's
  // channels), give a thread the same part of a layer's output that it
  // wrote of the layer before's. Taken from one counter by whoever came
  // first, half of what a thread read had been written by the other core:
  // MobileNetV2's kernels took 4.90 ms on two threads, 4.38 ms shared out
  // (4.50 and 4.36 ms a run end to end).
  struct alignas(64) Share {
    std::atomic<int64_t> next;
    int64_t end;
  } * shares;
  std::atomic<int64_t> finished; // tasks done
  std::atomic<bool> running;     // a run is under way (PoolRun)
  std::atomic<bool> stop;
  int64_t spinNs; // how long an idle thread polls outside a run
  // The job, written only while it is closed with nobody inside.
  TaskFunction fn;
  void *arg;
  int64_t count;
};

namespace {

// How long an idle thread polls before it sleeps outside a run, unless
// QC_SPIN_MS says otherwise: 40 ms, about what onnxruntime's workers spin
// after a run. On a VM a virtual CPU left idle is soon descheduled by the
// host, and getting it back can take milliseconds: MobileNetV2 on two
// threads, runs 50 ms apart, took 5.1 ms a run with this, 10 ms when the
// worker slept 0.7 ms after its last task (4.5 ms back to back). The cost
// is a core kept busy for as long after each run (none for a one-thread
// context, which has no worker), though one that yields to any other
// thread that wants it (keepPolling).
constexpr int64_t kDefaultSpinNs = 40 * 1000 * 1000;

int64_t monotonicNs() {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return int64_t(t.tv_sec) * 1000000000 + t.tv_nsec;
}

inline void cpuRelax() { __builtin_ia32_pause(); }

// A wait that polls: `since` set at its first check of the clock.
struct Polling {
  int polls = 0;
  int64_t since = 0;
};

// One step of a wait that polls: true while it should go on polling, false
// once it should sleep instead (outside a run, after the pool's spin time,
// or when the pool is ending), looked at every 1024 polls. During a run it
// never yields: a yield there gave the core to whatever else was runnable,
// a background process at the lowest priority included, for up to a
// scheduler tick. Outside a run it yields every 1024 polls, so that
// another model's threads get the core first: two models run in turn on
// two threads each (a detector, then a recognizer) took 9 to 14 ms a run
// beside the other's polling worker, 5 ms with the yield (and without
// polling).
inline bool keepPolling(const ThreadPool *pool, Polling &p) {
  cpuRelax();
  if (++p.polls < 1024)
    return true;
  p.polls = 0;
  if (pool->running.load(std::memory_order_acquire))
    return true;
  if (pool->stop.load(std::memory_order_acquire))
    return false;
  int64_t now = monotonicNs();
  if (!p.since)
    p.since = now;
  if (now - p.since >= pool->spinNs)
    return false;
  sched_yield();
  return true;
}

// Runs tasks of the current job until none is left, its own share first,
// then what is left of the others'; tells a sleeping caller when it
// finishes the last one.
void runTasks(ThreadPool *pool, int thread) {
  for (int i = 0; i < pool->threads; ++i) {
    ThreadPool::Share &share = pool->shares[(thread + i) % pool->threads];
    for (;;) {
      int64_t task = share.next.fetch_add(1, std::memory_order_relaxed);
      if (task >= share.end)
        break;
      pool->fn(pool->arg, task, thread);
      if (pool->finished.fetch_add(1, std::memory_order_acq_rel) + 1 ==
              pool->count &&
          thread != 0) {
        pthread_mutex_lock(&pool->mutex);
        pthread_cond_signal(&pool->done);
        pthread_mutex_unlock(&pool->mutex);
      }
    }
  }
}

// Whether a worker that last took part in job `seen` may join the job
// `state` describes.
bool joinable(uint64_t state, uint64_t seen) {
  return jobOf(state) != seen && !(state & kClosed);
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
    uint64_t state = pool->state.load(std::memory_order_acquire);
    for (Polling p; !joinable(state, seen) && keepPolling(pool, p);)
      state = pool->state.load(std::memory_order_acquire);
    if (!joinable(state, seen)) {
      // Until a job, the end of the pool, or a run's start (then polling
      // again).
      pthread_mutex_lock(&pool->mutex);
      while (!joinable(state = pool->state.load(std::memory_order_acquire),
                       seen) &&
             !pool->stop.load(std::memory_order_acquire) &&
             !pool->running.load(std::memory_order_acquire))
        pthread_cond_wait(&pool->wake, &pool->mutex);
      pthread_mutex_unlock(&pool->mutex);
    }
    if (pool->stop.load(std::memory_order_acquire))
      return nullptr;
    if (!joinable(state, seen) ||
        !pool->state.compare_exchange_weak(state, state + 1,
                                           std::memory_order_acq_rel))
      continue;
    seen = jobOf(state);
    runTasks(pool, start.thread);
    pool->state.fetch_sub(1, std::memory_order_release);
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
  pool->shares = static_cast<ThreadPool::Share *>(aligned_alloc(
      alignof(ThreadPool::Share), size_t(threads) * sizeof(ThreadPool::Share)));
  if (!pool->workers || !pool->shares) {
    free(pool->workers);
    free(pool->shares);
    free(pool);
    return nullptr;
  }
  for (int t = 0; t < threads; ++t) {
    pool->shares[t].next.store(0, std::memory_order_relaxed);
    pool->shares[t].end = 0;
  }
  pool->threads = 1;
  const char *spinMs = getenv("QC_SPIN_MS");
  pool->spinNs =
      spinMs && *spinMs ? int64_t(atof(spinMs) * 1e6) : kDefaultSpinNs;
  // Job 0, closed: nothing to join until the first parallelFor.
  pool->state.store(kClosed, std::memory_order_relaxed);
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
  pool->stop.store(true, std::memory_order_release);
  pthread_cond_broadcast(&pool->wake);
  pthread_mutex_unlock(&pool->mutex);
  for (int t = 1; t < pool->threads; ++t)
    pthread_join(pool->workers[t - 1], nullptr);
  pthread_cond_destroy(&pool->done);
  pthread_cond_destroy(&pool->wake);
  pthread_mutex_destroy(&pool->mutex);
  free(pool->workers);
  free(pool->shares);
  free(pool);
}

void parallelFor(ThreadPool *pool, int64_t count, TaskFunction fn, void *arg) {
  if (!pool || count <= 1) {
    for (int64_t task = 0; task < count; ++task)
      fn(arg, task, 0);
    return;
  }
  // The previous job is closed with nobody inside (see below): its
  // description is ours to rewrite.
  uint64_t job = jobOf(pool->state.load(std::memory_order_acquire)) + 1;
  pool->fn = fn;
  pool->arg = arg;
  pool->count = count;
  for (int t = 0; t < pool->threads; ++t) {
    pool->shares[t].next.store(t * count / pool->threads,
                               std::memory_order_relaxed);
    pool->shares[t].end = (t + 1) * count / pool->threads;
  }
  pool->finished.store(0, std::memory_order_relaxed);
  pool->state.store(job << 32, std::memory_order_release);
  pthread_mutex_lock(&pool->mutex);
  pthread_cond_broadcast(&pool->wake);
  pthread_mutex_unlock(&pool->mutex);
  runTasks(pool, 0);
  // Every task done, by whichever threads took them...
  for (Polling p; pool->finished.load(std::memory_order_acquire) != count &&
                  keepPolling(pool, p);)
    ;
  if (pool->finished.load(std::memory_order_acquire) != count) {
    pthread_mutex_lock(&pool->mutex);
    while (pool->finished.load(std::memory_order_acquire) != count)
      pthread_cond_wait(&pool->done, &pool->mutex);
    pthread_mutex_unlock(&pool->mutex);
  }
  // ...then the job closed to latecomers, once those inside (who found
  // nothing left) are out.
  for (;;) {
    uint64_t state = pool->state.load(std::memory_order_acquire);
    if (!(state & kInside) &&
        pool->state.compare_exchange_weak(state, state | kClosed,
                                          std::memory_order_acq_rel))
      break;
    cpuRelax();
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
  if (!pool)
    return;
  pool->running.store(false, std::memory_order_release);
}

} // namespace qc::kernels
