"""Nomination rules, free of I/O: the Europe/Prague trading calendar, series validation,
tolerance, gate closure and CSV input. Adapters and resolvers both lean on it."""
