"""The only place that knows the legacy back ends.

Each back end has a ``typing.Protocol`` shaped like a DataLoader batch (many keys in,
results in the same order out, ``None`` for an unknown key) and implementations that
speak the back end's protocol. Implementations raise only ``gateway.errors`` types;
nothing legacy (field names, XML, REST paths, back-end messages) leaves this package.
"""
