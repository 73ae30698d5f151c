#!/usr/bin/env python3
"""Python anchors for the process benchmarks (bench/*_fork_pool.cpp), same problems, same sizes
where Python can afford them. Prints "anchor <name> <value>" lines (medians); about 30 s.

  python_process_pool_empty_task_us   ProcessPoolExecutor(2).map of 10k empty tasks (chunksize=1), us/task
  python_process_pool_first_result_ms ProcessPoolExecutor(2) construction to first result, ms
  python_cpu_speedup_processes_2w     primes by trial division, 2 processes vs serial, x
"""
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor


def empty_task(x):
    return x


def is_prime(n):
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    d = 3
    while d * d <= n:
        if n % d == 0:
            return False
        d += 2
    return True


def count_primes_strided(first, stride, limit):
    # Every stride-th block of 1000 numbers from block `first`: the C++ bench's chunking.
    count = 0
    block = first
    while block * 1000 < limit:
        count += sum(1 for n in range(block * 1000, min(limit, block * 1000 + 1000)) if is_prime(n))
        block += stride
    return count


def empty_tasks_us(tasks=10000, runs=3):
    samples = []
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(empty_task, range(1000)))  # warm-up: starts the workers
        for _ in range(runs):
            start = time.perf_counter()
            results = list(pool.map(empty_task, range(tasks)))
            samples.append((time.perf_counter() - start) / tasks * 1e6)
            assert results == list(range(tasks))
    return statistics.median(samples)


def first_result_ms(runs=15):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        pool = ProcessPoolExecutor(2)
        assert pool.submit(empty_task, 42).result() == 42
        samples.append((time.perf_counter() - start) * 1e3)
        pool.shutdown(wait=True)
    return statistics.median(samples)


def cpu_speedup(limit=1000000, chunks=40, runs=3):
    firsts = list(range(chunks))
    speedups = []
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(empty_task, range(10)))  # warm-up: starts the workers
        for _ in range(runs):
            start = time.perf_counter()
            serial_total = sum(count_primes_strided(c, chunks, limit) for c in firsts)
            serial = time.perf_counter() - start
            start = time.perf_counter()
            parallel_total = sum(pool.map(count_primes_strided, firsts, [chunks] * chunks, [limit] * chunks))
            parallel = time.perf_counter() - start
            assert serial_total == parallel_total == 78498, (serial_total, parallel_total)
            speedups.append(serial / parallel)
    return statistics.median(speedups)


if __name__ == "__main__":
    print(f"anchor python_process_pool_empty_task_us {empty_tasks_us():.3f}", flush=True)
    print(f"anchor python_process_pool_first_result_ms {first_result_ms():.3f}", flush=True)
    print(f"anchor python_cpu_speedup_processes_2w {cpu_speedup():.2f}", flush=True)
    sys.exit(0)
