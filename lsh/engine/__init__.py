"""The experiment engine: the protocol's tasks, a fast exact runner, cached resumable results.

- ``grid``: the 139 classifier configurations; ``metrics``: the eight metrics;
- ``tasks``: tasks (scenario, dataset, method, ratio), data and per-part oversampling;
- ``evaluate``: the fast exact evaluation of one task; ``naive``: the GridSearchCV reference;
- ``cache``: per-task parquet files and their keys; ``runner``: plan, parallel run, verify;
- ``select``: the reported configuration per dataset and method (faithful or default ties).
"""
