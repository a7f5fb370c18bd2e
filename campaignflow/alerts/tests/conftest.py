"""Shared by the alert tests that feed data through the real ingestion API."""

import datetime as dt

import pytest
from django.utils import timezone


@pytest.fixture
def api(api_for, users):
    """The campaign owner's API client."""
    return api_for(users["owner"])


def day(n: int) -> str:
    """The ISO date n days before today (in the app's time zone)."""
    return (timezone.localdate() - dt.timedelta(days=n)).isoformat()


def metric_rows(channel: str, metrics_by_day: dict) -> list[dict]:
    """Ingestion rows for one channel from {days ago: {metric: value}}."""
    return [
        {"date": day(n), "channel": channel, "metric": metric, "value": value}
        for n, metrics in metrics_by_day.items()
        for metric, value in metrics.items()
    ]
