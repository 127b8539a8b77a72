"""Thin resolvers: decode the arguments, authorise, delegate to a per-request loader."""
