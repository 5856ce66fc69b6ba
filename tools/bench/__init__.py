"""Benchmarks: ``make bench`` (stack_bench.py) and the ``make bench-*`` targets."""
