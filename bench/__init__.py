"""Benchmarks for `make bench`: the city-scale demo, the residents pages, NIK checks."""
