"""Extraction past one machine: article partitions in, partitioned GeoParquet out, on Dask.

- `partitions`: which records of which input files form each partition, and reading them;
- `tables`: the output dataset (incidents as GeoParquet, articles, errors) and reading it back;
- `cluster`: the Dask run (a worker plugin loads the gazetteer and spaCy once per worker);
- `ingest`: the dataset into the store, merging as `incident-map ingest` does.

See docs/scale.md for running on several machines.
"""
