"""What an operator sees of the gateway: log lines (``log_format``, ``request_record``) and
traces (``tracing``). Metrics are ``gateway.metrics``."""
