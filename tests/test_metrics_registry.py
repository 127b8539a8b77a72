"""Every gauge says how several workers' values combine (prometheus-client's multiprocess mode)."""

from __future__ import annotations

from prometheus_client import Gauge

from gateway.metrics import LIVE_GAUGE_MODES, Metrics


def test_every_gauge_combines_only_the_live_workers_values() -> None:
    gauges = {name: value for name, value in vars(Metrics()).items() if isinstance(value, Gauge)}

    assert gauges  # the breaker state and Redis's, at least
    for name, gauge in gauges.items():
        # a dead worker's last value must not stay in the sums ("all", the default, keeps it)
        assert gauge._multiprocess_mode in LIVE_GAUGE_MODES, name
