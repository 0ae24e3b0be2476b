"""The failover drills: which ones a target offers, why one is refused, and how an unplanned one starts.

- `forced`: RebootDBInstance ForceFailover (FailoverDBCluster for a cluster), on real AWS and in the demo.
- `host-failure` and `az-outage`: unplanned failures RDS must notice and fail over from by itself. Real
  AWS has no call that kills a host or darkens an AZ, so they run only in the demo, through its own
  control (wizard.demo.drills): the embedded demo's in-process handle, or the demo-only signed action
  `RdsWizardDemoStartDrill` of `rds-wizard demo-server` (loopback only).
"""

from __future__ import annotations

import urllib.request
from typing import Any, Literal
from urllib.parse import urlencode
from xml.etree import ElementTree

from wizard.aws.timing import is_demo

Drill = Literal["forced", "host-failure", "az-outage"]
DRILLS: tuple[Drill, ...] = ("forced", "host-failure", "az-outage")
UNPLANNED: tuple[Drill, ...] = ("host-failure", "az-outage")
DRILL_ACTION = "RdsWizardDemoStartDrill"
FIS_URL = "https://docs.aws.amazon.com/fis/latest/userguide/what-is.html"
DRILL_TIMEOUT_SECONDS = 10.0

DRILL_LABELS: dict[Drill, str] = {
    "forced": "Forced failover (reboot with failover, as the console does)",
    "host-failure": "Host failure (the primary's server dies; RDS must notice)",
    "az-outage": "AZ outage (the primary's whole Availability Zone goes dark)",
}


class DrillRefused(Exception):
    """The drill cannot run here or on this target; the message says why."""


def demo_only_sentence(drill: str) -> str:
    """Why an unplanned drill is refused on real AWS, and what to use there instead."""
    return (f"The {drill} drill needs the demo (--demo, or --endpoint-url of `rds-wizard demo-server`): "
            "real AWS has no call that kills a host or darkens an Availability Zone, so on AWS only the "
            "forced drill runs. AWS Fault Injection Service can run planned experiments on a real account "
            f"({FIS_URL}).")


def offered(gateway: object) -> tuple[Drill, ...]:
    """The drills this target can run: all three in the demo, only `forced` on AWS."""
    return DRILLS if is_demo(gateway) and _control(gateway) is not None else ("forced",)


def refusal(gateway: object, drill: str, *, kind: str, multi_az: bool) -> str | None:
    """Why this drill cannot run on this target (None when it can)."""
    if drill == "forced":
        return None
    if drill not in DRILLS:
        return f"There is no drill {drill!r}: choose {', '.join(DRILLS)}."
    if drill not in offered(gateway):
        return demo_only_sentence(drill)
    if kind == "cluster":
        return (f"The {drill} drill runs on a Multi-AZ DB instance; for a Multi-AZ DB cluster use the forced "
                "drill.")
    if not multi_az:
        if drill == "az-outage":
            return ("An AZ outage against a Single-AZ instance is refused: with no standby in another "
                    "Availability Zone it would simply be down until the AZ returns (that is why Single-AZ "
                    "is not enough). Convert it to Multi-AZ first (modify-db-instance --multi-az).")
        return ("A host failure on a Single-AZ instance is refused: with no standby nothing can take over, "
                "and it would be down until RDS replaces the host. Convert it to Multi-AZ first.")
    return None


def start(gateway: object, identifier: str, drill: Drill) -> str:
    """Start an unplanned drill in the demo; return the AZ of the primary that failed.

    Raises DrillRefused with the demo's own answer when it refuses (not available, Single-AZ, ...).
    """
    control = _control(gateway)
    if control is None:
        raise DrillRefused(demo_only_sentence(drill))
    if callable(getattr(control, "start", None)):
        try:
            answer = control.start(identifier, drill)
        except Exception as exc:  # the demo's DemoApiError: its message is what RDS would say
            raise DrillRefused(str(getattr(exc, "message", exc))) from None
        return str(answer["availability_zone"])
    return _signed_start(str(control), gateway, identifier, drill)


def _control(gateway: object) -> Any:
    """The embedded demo's drill handle, the URL of a demo server, or None (AWS, another endpoint)."""
    handle = getattr(gateway, "drills", None)
    if handle is not None:
        return handle
    if getattr(gateway, "target", None) == "demo-server":
        return getattr(gateway, "endpoint", None)
    return None


def _signed_start(endpoint: str, gateway: object, identifier: str, drill: Drill) -> str:
    """The demo-only action, SigV4-signed as every call the demo server admits (its front door's rule)."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    from wizard.aws.gateway import DemoServer

    body = urlencode({"Action": DRILL_ACTION, "Version": "2014-10-31", "DBInstanceIdentifier": identifier,
                      "Drill": drill})
    request = AWSRequest(method="POST", url=endpoint.rstrip("/") + "/", data=body,
                         headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(Credentials(*DemoServer.CREDENTIALS), "rds", str(getattr(gateway, "region", "us-east-1"))
              ).add_auth(request)
    prepared = urllib.request.Request(endpoint.rstrip("/") + "/", data=body.encode(), method="POST",
                                      headers=dict(request.headers.items()))
    try:
        with urllib.request.urlopen(prepared, timeout=DRILL_TIMEOUT_SECONDS) as reply:
            text = reply.read(65536)
    except urllib.error.HTTPError as error:
        text = error.read(65536)
        said = _xml_text(text, "Message")
        raise DrillRefused(said or f"the demo server answered HTTP {error.code}") from None
    except OSError as error:
        raise DrillRefused(f"the demo server did not answer the drill request ({error})") from None
    return _xml_text(text, "AvailabilityZone") or "?"


def _xml_text(raw: bytes, tag: str) -> str:
    try:
        root = ElementTree.fromstring(raw)
    except ElementTree.ParseError:
        return ""
    found = next((e for e in root.iter() if e.tag.rsplit("}", 1)[-1] == tag), None)
    return (found.text or "") if found is not None else ""
