"""The HTTP surface: /graphql, /documents, /healthz, /readyz, /metrics."""
