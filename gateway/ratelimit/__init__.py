"""The per-client request budget: token buckets charged with each request's cost (buckets.py)."""
