"""Benchmarks of soundtrack (not unit tests): ``speed`` and ``mood_fit``; see ``README.md``."""
