"""Paper Hub benchmarks: `make bench` (see bench/README.md)."""
