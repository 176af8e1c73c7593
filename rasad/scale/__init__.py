"""Scale-out: the batch pipeline on a Dask cluster when one machine is not enough.

``partitions`` cuts the inputs into partitions that name files, byte ranges and Parquet row
groups (never article texts), and reads and processes one partition; it needs no Dask, so the
plan can be checked against the local reader. ``output`` writes partitioned JSONL or Parquet.
``engine`` is the only module that imports Dask (``pip install 'rasad[dask]'``): it connects
to a cluster or starts a local one, warms every worker once, and hands the partitions back in
input order so that ``batch.RunReport`` accounts for them exactly as in a local run.
"""
from __future__ import annotations
