"""A read replica's lag from CloudWatch's `ReplicaLag` metric (seconds), as RDS publishes it.

"Monitoring read replication"
(https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Monitoring.html): ReplicaLag in
the AWS/RDS namespace, per DBInstanceIdentifier. One GetMetricData call over the last few minutes at a
60-second period: the cheapest period RDS's standard metrics have.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from wizard.aws.timing import GatewayLike

PERIOD_S = 60
WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class LagReading:
    """The newest ReplicaLag datapoint, or why there is none."""

    seconds: float | None
    at: datetime | None
    note: str = ""
    failed: bool = False  # CloudWatch refused or did not answer (not merely "no datapoint yet")

    def render(self) -> str:
        """One line: "Replica lag: 3 s (at 05:41:00 UTC)" or the note."""
        if self.seconds is None:
            return f"Replica lag: {self.note}"
        when = f" (CloudWatch, {self.at:%H:%M:%S} UTC)" if self.at else ""
        return f"Replica lag: {self.seconds:g} s{when}"


NOT_YET = ("not published yet: RDS sends ReplicaLag to CloudWatch once replication runs, a few minutes "
           "after the replica becomes available.")


def read_lag(gateway: GatewayLike, identifier: str, now: datetime | None = None) -> LagReading:
    """The replica's latest ReplicaLag; blocks on AWS (call it from a worker)."""
    from wizard.aws.errors import explain

    # The window ends a period past now: a datapoint of the current minute is binned at the period's
    # start and an EndTime of "now" can cut that newest bin off.
    end = (now or datetime.now(UTC)) + timedelta(seconds=PERIOD_S)
    try:
        found = gateway.client("cloudwatch").get_metric_data(
            MetricDataQueries=[{
                "Id": "lag",
                "MetricStat": {"Metric": {"Namespace": "AWS/RDS", "MetricName": "ReplicaLag",
                                          "Dimensions": [{"Name": "DBInstanceIdentifier",
                                                          "Value": identifier}]},
                               "Period": PERIOD_S, "Stat": "Maximum"},
                "ReturnData": True}],
            StartTime=end - WINDOW, EndTime=end, ScanBy="TimestampDescending")
    except Exception as exc:
        err = explain(exc, identifier=identifier)
        return LagReading(None, None, f"CloudWatch did not answer ({err.title}). {err.next_step}",
                          failed=True)
    for result in found.get("MetricDataResults", []):
        points = sorted(zip(result.get("Timestamps", []), result.get("Values", []), strict=False),
                        reverse=True)
        if points:
            at, value = points[0]
            return LagReading(float(value), at)
    return LagReading(None, None, NOT_YET)
