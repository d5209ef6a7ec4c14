"""Support for tests and benchmarks: real clips, synthetic old-film degradation.

Nothing in the product imports this package.
"""
