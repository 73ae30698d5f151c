#!/usr/bin/env python3
"""Python anchors for the thread benchmarks: what CPython's own threads do on this machine.

Prints "anchor <name> <value>" lines for bench/run.sh:
  python_thread_pool_empty_task_us   ThreadPoolExecutor(2), 100k empty tasks, submit all then
                                     result() all, microseconds per task (median of 5 runs)
  python_cpu_speedup_threads_2w      prime counting in 32 chunks, ThreadPoolExecutor(1) time /
                                     ThreadPoolExecutor(2) time (median of 3 runs; ~1.0 with the GIL)
Takes well under a minute.
"""
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor

TASKS = 100_000
LIMIT = 120_000  # smaller than the C++ bench: pure Python trial division is ~50x slower
CHUNKS = 32


def empty():
    pass


def empty_task_us(pool):
    start = time.perf_counter()
    futures = [pool.submit(empty) for _ in range(TASKS)]
    for f in futures:
        f.result()
    return (time.perf_counter() - start) / TASKS * 1e6


def count_primes(lo, hi):
    count = 0
    for n in range(max(lo, 0), hi):
        if n < 2:
            continue
        if n % 2 == 0:
            count += n == 2
            continue
        d = 3
        while d * d <= n:
            if n % d == 0:
                break
            d += 2
        else:
            count += 1
    return count


def chunks():
    step = LIMIT // CHUNKS
    return [(i * step, LIMIT if i == CHUNKS - 1 else (i + 1) * step) for i in range(CHUNKS)]


def seconds_with_workers(workers):
    with ThreadPoolExecutor(max_workers=workers) as pool:
        start = time.perf_counter()
        total = sum(pool.map(lambda r: count_primes(*r), chunks()))
        return time.perf_counter() - start, total


def main():
    with ThreadPoolExecutor(max_workers=2) as pool:
        empty_task_us(pool)  # warm-up: starts the workers
        us = statistics.median(empty_task_us(pool) for _ in range(5))
    print(f"anchor python_thread_pool_empty_task_us {us:.3f}")
    sys.stdout.flush()

    ratios = []
    expected = count_primes(0, LIMIT)
    for _ in range(3):
        one, total_one = seconds_with_workers(1)
        two, total_two = seconds_with_workers(2)
        assert total_one == total_two == expected
        ratios.append(one / two)
    print(f"anchor python_cpu_speedup_threads_2w {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
