"""Tests of the tooling: the benchmarks' reports and the operator metrics' parsing."""
