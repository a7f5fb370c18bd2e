"""Helpers shared by the test suite and the benchmarks (bench/): data factories, query counting. Kept out of
the production package: they build rows of every app, and `campaignflow.core` imports no capability app."""
