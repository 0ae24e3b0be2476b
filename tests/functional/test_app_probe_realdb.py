"""The application probe against a real synchronous PostgreSQL pair (helper G's), without the demo API.

A resolver that follows the pair's primary stands in for the endpoint's DNS. The probe writes heartbeat
rows through a real failover (SIGKILL + promote), reconnects, and reads every acknowledged commit back.
"""

from __future__ import annotations

import random
import socket
import time

import pytest
from pydantic import SecretStr

from wizard.aws.probes import AppProbe, DbCredentials, application_rto, compute_outage, driver_for

pytest.importorskip("psycopg")
pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

PASSWORD = "Probe-pass-5521"
ENDPOINT = "probe-db.aaaaaaaaaa.us-east-1.rds.amazonaws.com"


def _free_loopback() -> tuple[str, int]:
    while True:
        host = f"127.{random.randint(100, 250)}.{random.randint(0, 255)}.{random.randint(2, 254)}"
        with socket.socket() as probe:
            try:
                probe.bind((host, 5432))
            except OSError:
                continue
        return host, 5432


def test_the_probe_sees_the_outage_and_finds_every_acknowledged_commit(tmp_path: object) -> None:
    from wizard.demo.realdb import PostgresPair, realdb_available

    ok, reason = realdb_available()
    if not ok:
        pytest.skip(reason)
    with PostgresPair.create(None, _free_loopback(), _free_loopback(), "postgres", PASSWORD, "appdb") as pair:
        def resolve(host: str) -> list[str]:
            return [pair.current_primary_addr()[0]] if host == ENDPOINT else []

        creds = DbCredentials("postgres", SecretStr(PASSWORD), "appdb")
        driver, why = driver_for("postgres", ENDPOINT, 5432, creds)
        assert driver is not None, why
        probe = AppProbe(driver, ENDPOINT, resolve, "run-1", creds)
        assert probe.start_checked() == ""
        time.sleep(0.5)
        times = pair.fail_over()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            attempts = probe.snapshot()
            recovered = attempts[-1].ok and attempts[-1].started > times.promoted_at
            if recovered and any(not a.ok for a in attempts):
                break
            time.sleep(0.05)
        time.sleep(0.3)
        probe.stop()
        probe.join(timeout=5)
        attempts = probe.snapshot()
        found, error = probe.verify(deadline_seconds=20)
    assert error == "" and found is not None
    acknowledged = {a.seq for a in attempts if a.ok}
    assert len(acknowledged) > 10
    assert acknowledged <= found  # RPO = 0: every acknowledged commit survived the failover
    before, after, rto = application_rto(attempts)
    assert before is not None and after is not None and rto is not None
    assert before <= times.killed_at + 0.2 and after >= times.promoted_at
    outage = compute_outage(attempts)
    assert outage is not None and outage.failed_attempts >= 1
    assert all(PASSWORD not in a.error for a in attempts)
