"""The cache across requests: a store (in-process or Redis), TTLs per kind of data,
single-flight loading and serve-stale. ``gateway.adapters.cached`` wraps the adapters with it.
``shared_redis`` holds the one Redis connection (and its health) that every user of shared
state goes through: the cache, the login throttle, the request budget, persisted queries."""
