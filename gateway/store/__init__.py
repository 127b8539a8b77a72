"""The SQL store the gateway owns: portal accounts, customer access, sessions, API keys,
audit log and idempotency records. See ``models`` for the tables and ``db`` for the
transaction rule (service functions flush, callers commit)."""
