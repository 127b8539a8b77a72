"""The cache across requests: a store (in-process or Redis), TTLs per kind of data,
single-flight loading and serve-stale. ``gateway.adapters.cached`` wraps the adapters with it."""
