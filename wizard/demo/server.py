"""The running demo: moto behind a loopback HTTP server, the simulator, the faults, and the seed.

Each demo gets its own AWS account id in moto (the front injects moto's `x-moto-account-id` header), so
several demos in one process (tests) never see each other's resources.
"""

from __future__ import annotations

import itertools
import json
import os
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from wizard.demo import DEFAULT_SPEED, catalogdata, motopatches
from wizard.demo.drills import DRILL_ACTION, Drills
from wizard.demo.faults import ENV_VAR, OPERATION_KEY, Faults, middleware, parse_faults
from wizard.demo.frontdoor import front_door, signed_service
from wizard.demo.network import NetworkFactory, NodeAddress
from wizard.demo.simulator import OutageWindow, Simulator

REGION = "us-east-1"
ACCESS_KEY = "AKIADEMODEMODEMODEMO"
SECRET_KEY = "demo-secret-key-not-a-real-one"
_ACCOUNTS = itertools.count(1)
MULTI_AZ_SUBNET_GROUP = "demo-multi-az"
SINGLE_AZ_SUBNET_GROUP = "demo-single-az"
SECURITY_GROUP = "demo-db-access"
# Not an AWS path: where a client in another process asks the demo what a name resolves to.
INFO_PATH = "/rds-wizard-demo"
# The AWS services the wizard calls through the demo (and the seed uses); the port serves no other.
# CloudWatch ("monitoring") carries the read replicas' ReplicaLag, read as on AWS with GetMetricData.
SERVED_SERVICES = frozenset({"rds", "ec2", "secretsmanager", "sts", "monitoring"})
# Set (to anything but 0) to keep simulated listeners behind postgres instances even where real
# PostgreSQL servers could run.
SIMULATED_ENV = "RDS_WIZARD_DEMO_SIMULATED_DB"


class _QuietHandler(WSGIRequestHandler):
    """No access log on the terminal (the wizard owns it); dropped connections are not errors."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Say nothing."""

    def log_error(self, format: str, *args: Any) -> None:
        """Say nothing."""


class DemoAWS:
    """An embedded AWS for the demo: point boto3 at `endpoint_url` with `credentials` and `region`."""

    def __init__(self, speed: float, faults: str | None, network_factory: NetworkFactory | None,
                 host: str = "127.0.0.1", port: int = 0) -> None:
        from moto.moto_api import recorder
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

        # moto's request recorder (on with MOTO_ENABLE_RECORDING) would write every call, master
        # passwords included, to a file anyone may read: nothing the demo serves is ever recorded.
        recorder.stop_recording()

        started = time.monotonic()
        if faults:
            parse_faults(faults)  # a bad spec fails before anything is started
        # Bound first, so a port in use raises OSError before anything runs (werkzeug's own bind would
        # print a message and exit the whole process).
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            listener.bind((host, port))
            listener.listen(64)
        except OSError:
            listener.close()
            raise
        self.speed = speed
        self.region = REGION
        self.account_id = f"{999_000_000_000 + os.getpid() % 100_000 * 1000 + next(_ACCOUNTS):012d}"
        self.credentials = (ACCESS_KEY, SECRET_KEY)
        self.lock = threading.RLock()
        self.faults = Faults()
        # AWS calls served, by "service.Operation" (the seed's own calls are not counted).
        self.calls: Counter[str] = Counter()
        # What the user should know about this demo (shown by the front ends), e.g. simulated databases.
        self.notices: list[str] = []
        self.real_databases = False
        if network_factory is None:
            network_factory = self._default_network()
        self.simulator = Simulator(speed, self.lock, network_factory, self.faults)
        # The failover drills' failures (a host dies, an AZ goes dark), which real AWS cannot be asked for.
        self.drills = Drills(self.simulator)
        if self.real_databases:
            self._real_clusters()
        motopatches.register(self.account_id, self.simulator)
        moto_app = DomainDispatcherApplication(create_backend_app)
        account_id = self.account_id

        def serialized(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            if environ.get("PATH_INFO", "").startswith(INFO_PATH):
                return self._info(environ, start_response)
            if environ.get(OPERATION_KEY) == DRILL_ACTION:  # demo-only, signed like any AWS call
                return self._drill(environ, start_response)
            environ["HTTP_X_MOTO_ACCOUNT_ID"] = account_id
            with self.lock:
                self.calls[f"{signed_service(environ) or 'unknown'}.{environ.get(OPERATION_KEY, '')}"] += 1
                # The body is built inside the lock so a describe never sees half a transition.
                return list(moto_app(environ, start_response))

        app = front_door(middleware(serialized, self.faults), SERVED_SERVICES, INFO_PATH)
        bound_port = int(listener.getsockname()[1])
        with listener:
            # Made now, served only once seeded: a client that connects early waits in the listen queue
            # for the seeded account instead of seeing an empty one.
            self._server: BaseWSGIServer = make_server(
                host, bound_port, app, threaded=True, request_handler=_QuietHandler, fd=listener.fileno())
        self.endpoint_url = f"http://{host}:{bound_port}"
        self._thread: threading.Thread | None = None
        self._stopped = False
        try:
            self._seed_privately(host, app)
        except BaseException:
            self.stop()
            raise
        self.calls.clear()
        if faults:
            self.faults.add(faults)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True, name="demo-aws")
        self._thread.start()
        self.ready_seconds = time.monotonic() - started

    def _default_network(self) -> NetworkFactory | None:
        """Real PostgreSQL servers behind postgres instances where they can run, else simulated
        listeners, with a notice saying why."""
        if os.environ.get(SIMULATED_ENV, "") not in ("", "0"):
            self.notices.append(f"PostgreSQL instances in this demo are simulated listeners ({SIMULATED_ENV} "
                                "is set): a TCP connect works, a database login does not.")
            return None
        from wizard.demo.realdb import realdb_available

        ok, reason = realdb_available()
        if not ok:
            self.notices.append(f"PostgreSQL instances in this demo are simulated listeners, not real "
                                f"databases ({reason}): a TCP connect works, psql and the failover test's "
                                "application probe do not.")
            return None
        from wizard.demo.realdb.network import demo_factory

        self.real_databases = True
        return demo_factory()

    def _real_clusters(self) -> None:
        """Multi-AZ DB clusters (PostgreSQL) on three real servers, like the instances."""
        from wizard.demo.clusters import RealClusters
        from wizard.demo.realdb.cluster_network import cluster_factory

        self.simulator.real_clusters = RealClusters(self.simulator, cluster_factory())

    # -- public -----------------------------------------------------------------------------------
    def client(self, service: str, **config: Any) -> Any:
        """A boto3 client for this demo (tests and seeding; the wizard makes its own through the gateway)."""
        return self._client_at(self.endpoint_url, service, **config)

    def _client_at(self, endpoint_url: str, service: str, **config: Any) -> Any:
        import boto3
        import botocore.session

        # Not the user's profile or config files: a missing AWS_PROFILE would make the client fail.
        core = botocore.session.Session(session_vars={
            "profile": (None, None, None, None),
            "config_file": (None, None, os.devnull, None),
            "credentials_file": (None, None, os.devnull, None),
        })
        session = boto3.Session(botocore_session=core, aws_access_key_id=self.credentials[0],
                                aws_secret_access_key=self.credentials[1], region_name=self.region)
        return session.client(service, endpoint_url=endpoint_url, **config)

    def set_speed(self, speed: float) -> None:
        """Change how fast demo time passes from now on (steps already scheduled keep their time)."""
        if speed <= 0:
            raise ValueError(f"Demo speed must be a positive number, not {speed}.")
        self.speed = speed
        self.simulator.speed = speed

    def resolve(self, hostname: str) -> list[str]:
        """The loopback address(es) a demo endpoint name resolves to now; [] for other names."""
        return self.simulator.resolve(hostname)

    def node(self, hostname: str) -> NodeAddress | None:
        """The node (host, port) that answers for an endpoint name now: where ports differ per AZ (macOS)
        the port is not the instance's Port, so a probe should use this."""
        nodes = self.simulator.nodes(hostname)
        return nodes[0] if nodes else None

    def program(self, name: str) -> str | None:
        """The path of a database client the demo brings along (psql), None if it has none."""
        if not self.real_databases:
            return None
        from wizard.demo.realdb import _runtime

        try:
            path = _runtime.binary(name)
        except FileNotFoundError:
            return None
        return str(path) if path.exists() else None

    @property
    def problems(self) -> list[str]:
        """What went wrong in the background (a real database behind an endpoint that did not start)."""
        return [*self.simulator.problems, *self.simulator.network_problems()]

    def outage_windows(self, identifier: str) -> list[OutageWindow]:
        """The real times an instance's (or cluster's) endpoint refused connections, oldest first."""
        return self.simulator.outage_windows(identifier)

    def _info(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        """The demo's own answers for clients in other processes: its speed and notices, what a name
        resolves to, the outages."""
        query = parse_qs(environ.get("QUERY_STRING", ""))
        what = environ["PATH_INFO"][len(INFO_PATH):].strip("/")
        body: Any
        if what == "info":
            body = {"demo": True, "speed": self.speed, "region": self.region,
                    "real_databases": self.real_databases, "notices": self.notices + self.problems}
        elif what == "resolve" and "host" in query:
            host = query["host"][0]
            node = self.node(host)
            body = {"host": host, "addresses": self.resolve(host),
                    "node": None if node is None else {"host": node.host, "port": node.port, "az": node.az}}
        elif what == "outages" and "id" in query:
            body = [{"kind": o.kind, "from_az": o.from_az, "to_az": o.to_az,
                     "started_at": o.started_at.isoformat(), "seconds": o.seconds,
                     "ended_at": o.ended_at.isoformat() if o.ended_at else None}
                    for o in self.outage_windows(query["id"][0])]
        else:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [f"Use {INFO_PATH}/info, {INFO_PATH}/resolve?host=NAME or {INFO_PATH}/outages?id=ID\n"
                    .encode()]
        data = json.dumps(body).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]

    def _drill(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        """The demo-only `RdsWizardDemoStartDrill` call (see wizard.demo.drills)."""
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        params = {key: values[0] for key, values in parse_qs(raw.decode("utf-8", "replace")).items()}
        self.calls[f"rds.{DRILL_ACTION}"] += 1
        status, body = self.drills.answer(params)
        start_response(f"{status} {'OK' if status == 200 else 'Error'}",
                       [("Content-Type", "text/xml"), ("Content-Length", str(len(body)))])
        return [body]

    def stop(self) -> None:
        """Stop serving, stop the simulator, close every listener. Idempotent."""
        if self._stopped:
            return
        self._stopped = True
        if self._thread is not None:  # shutdown() waits for a serve_forever that has started
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()
        self.simulator.stop()
        motopatches.unregister(self.account_id)

    def __enter__(self) -> DemoAWS:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- seeding ----------------------------------------------------------------------------------
    def _seed_privately(self, host: str, app: Any) -> None:
        """Seed through a second, short-lived listener of the same app, so the public port answers its
        first request only with the account seeded."""
        seed_server = make_server(host, 0, app, threaded=True, request_handler=_QuietHandler)
        seeding = threading.Thread(target=seed_server.serve_forever, kwargs={"poll_interval": 0.05},
                                   daemon=True, name="demo-aws-seed")
        seeding.start()
        try:
            self._seed(f"http://{host}:{seed_server.server_port}")
        finally:
            seed_server.shutdown()
            seed_server.server_close()
            seeding.join(timeout=5)

    def _seed(self, endpoint_url: str) -> None:
        """The account a class starts from: subnet groups, a security group, default parameter and
        option groups. Also warms moto up (its first RDS call imports most of it)."""
        from moto.core.base_backend import AccountSpecificBackend
        from moto.rds.models import OptionGroup

        ec2 = self._client_at(endpoint_url, "ec2")
        rds = self._client_at(endpoint_url, "rds")
        vpc = next(v for v in ec2.describe_vpcs()["Vpcs"] if v.get("IsDefault"))
        subnets = sorted(
            ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["Subnets"],
            key=lambda s: s["AvailabilityZone"])
        by_zone = {s["AvailabilityZone"]: s["SubnetId"] for s in subnets}
        zones = sorted(by_zone)
        rds.create_db_subnet_group(
            DBSubnetGroupName="default", DBSubnetGroupDescription="default",
            SubnetIds=[by_zone[z] for z in zones])
        rds.create_db_subnet_group(
            DBSubnetGroupName=MULTI_AZ_SUBNET_GROUP,
            DBSubnetGroupDescription="Private subnets in three Availability Zones (Multi-AZ ready)",
            SubnetIds=[by_zone[z] for z in zones[:3]])
        rds.create_db_subnet_group(
            DBSubnetGroupName=SINGLE_AZ_SUBNET_GROUP,
            DBSubnetGroupDescription="One subnet in one Availability Zone (too few for RDS)",
            SubnetIds=[by_zone[zones[0]]])
        group = ec2.create_security_group(GroupName=SECURITY_GROUP, VpcId=vpc["VpcId"],
                                          Description="Database access from the application subnets")
        ec2.authorize_security_group_ingress(GroupId=group["GroupId"], IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": port, "ToPort": port,
             "IpRanges": [{"CidrIp": vpc["CidrBlock"], "Description": "application subnets"}]}
            for port in (3306, 5432)])
        backend = motopatches.rds_backend(self.account_id, self.region)
        for data in catalogdata.engines().values():
            for family in dict.fromkeys(v["family"] for v in data.versions):
                rds.create_db_parameter_group(DBParameterGroupName=f"default.{family}",
                                              DBParameterGroupFamily=family,
                                              Description=f"Default parameter group for {family}")
            for major in dict.fromkeys(data.major_version(v["version"]) for v in data.versions):
                name = f"default:{data.engine}-{major.replace('.', '-')}"
                # moto's CreateOptionGroup refuses names starting with "default" (as AWS does).
                backend.option_groups[name] = OptionGroup(
                    backend, option_group_name=name, engine_name=data.engine, major_engine_version=major,
                    option_group_description=f"Default option group for {data.engine} {major}")
        rds.describe_db_instances()
        # moto makes a boto3 Session the first time a backend is used; do it now, while the user's
        # profile settings are out of the way (see wizard.demo.without_user_profile).
        self._client_at(endpoint_url, "sts").get_caller_identity()
        self._client_at(endpoint_url, "secretsmanager").list_secrets()
        AccountSpecificBackend.get_session()


def start_demo(speed: float | None = None, *, faults: str | None = None,
               network_factory: NetworkFactory | None = None, port: int = 0) -> DemoAWS:
    """Start a demo AWS on 127.0.0.1 (blocking, about 1-2 s: run it off the UI thread).

    `speed`: how many times faster than real RDS time passes (default 30: a Multi-AZ create takes about
    36 s). `faults`: a fault spec (see wizard.demo.faults), else RDS_WIZARD_DEMO_FAULTS. `port`: 0 for
    any free port.
    """
    if speed is not None and speed <= 0:
        raise ValueError(f"Demo speed must be a positive number, not {speed}.")
    return DemoAWS(speed or DEFAULT_SPEED, faults if faults is not None else os.environ.get(ENV_VAR),
                   network_factory, port=port)
