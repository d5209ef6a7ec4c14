"""The project model: pure data, loadable in a plain Python (no Qt, torch or av)."""
