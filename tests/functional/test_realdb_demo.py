"""End to end on the demo: a Multi-AZ postgres instance is a real pair behind its endpoint."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from wizard.demo.network import InstanceInfo, NodeAddress
from wizard.demo.realdb import _leftovers, realdb_available
from wizard.demo.realdb.network import RealPostgresNetwork, realdb_factory

psycopg = pytest.importorskip("psycopg")
pytest.importorskip("boto3")

PASSWORD = "Demo-pass-4410"


def wait_available(rds: Any, identifier: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        db: dict[str, Any] = rds.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]
        if db["DBInstanceStatus"] == "available":
            return db
        time.sleep(0.05)
    raise AssertionError(f"{identifier} never became available")


@pytest.mark.slow
def test_multi_az_postgres_on_the_demo_fails_over_there_and_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok, reason = realdb_available()
    if not ok:
        pytest.skip(reason)
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    import boto3

    from wizard.demo import start_demo

    built: list[RealPostgresNetwork] = []
    real = realdb_factory(lambda _: PASSWORD, lambda _: "appdb")

    def factory(info: InstanceInfo, addresses: dict[str, NodeAddress]) -> RealPostgresNetwork:
        built.append(real(info, addresses))
        return built[-1]

    demo = start_demo(speed=1000, network_factory=factory)
    try:
        rds = boto3.client(
            "rds",
            endpoint_url=demo.endpoint_url,
            region_name=demo.region,
            aws_access_key_id=demo.credentials[0],
            aws_secret_access_key=demo.credentials[1],
        )
        rds.create_db_instance(
            DBInstanceIdentifier="teaching",
            Engine="postgres",
            DBInstanceClass="db.t3.micro",
            AllocatedStorage=20,
            MasterUsername="postgres",
            MasterUserPassword=PASSWORD,
            MultiAZ=True,
            DBName="appdb",
        )
        db = wait_available(rds, "teaching")
        endpoint = db["Endpoint"]
        assert built and built[0].pair is not None and built[0].pair.in_sync()

        def connect() -> Any:
            host = demo.resolve(endpoint["Address"])[0]
            return psycopg.connect(
                host=host, port=endpoint["Port"], user="postgres", password=PASSWORD, dbname="appdb",
                autocommit=True,
            )  # fmt: skip

        with connect() as conn:
            conn.execute("CREATE TABLE beats (id integer PRIMARY KEY)")
            conn.execute("INSERT INTO beats VALUES (1)")
        first = demo.resolve(endpoint["Address"])
        for row in (2, 3):
            rds.reboot_db_instance(DBInstanceIdentifier="teaching", ForceFailover=True)
            wait_available(rds, "teaching")
            with connect() as conn:
                conn.execute("INSERT INTO beats VALUES (%s)", (row,))
                rows = {r[0] for r in conn.execute("SELECT id FROM beats")}
            assert rows == set(range(1, row + 1))
        assert demo.resolve(endpoint["Address"]) == first  # back in the first AZ
    finally:
        demo.stop()
    pair = built[0].pair
    assert pair is not None
    assert not pair.home.exists()
    assert not any(_leftovers.processes_in(pair.home / node / "data") for node in ("a", "b"))
