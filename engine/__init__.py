"""Relume's engine: everything that computes, with no Qt anywhere below this package."""

__version__ = "0.1.0"
