"""Helpers shared by the test suite and the benchmarks (bench/): data factories, query counting."""
