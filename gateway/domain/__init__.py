"""Plain typed objects that adapters return and resolvers consume.

No legacy field names, no GraphQL: these are the gateway's own vocabulary.
"""
