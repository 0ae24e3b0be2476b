"""`rds-wizard demo-server`: the embedded demo AWS on a loopback port, in the foreground, until Ctrl+C."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from types import FrameType
from typing import TYPE_CHECKING

from wizard.exit_codes import EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from wizard.demo.simulator import DemoEvent


def _say(line: str = "") -> None:
    print(line, flush=True)


def _print_event(event: DemoEvent) -> None:
    _say(f"{event.date.strftime('%H:%M:%S')}  {event.source_type} {event.source_identifier}: {event.message}")


def run(args: argparse.Namespace) -> int:
    """Serve the demo on 127.0.0.1:PORT and print each RDS event as it happens; Ctrl+C stops it cleanly."""
    port = int(args.port)
    speed = args.demo_speed
    if not 0 <= port <= 65535:
        print(f"--port {port} is not a TCP port: use 1-65535 (or 0 for any free port).", file=sys.stderr)
        return EXIT_USAGE
    if speed is not None and speed <= 0:
        print(f"--demo-speed {speed:g} must be a positive number (1 is real RDS time, 30 the default).",
              file=sys.stderr)
        return EXIT_USAGE
    from wizard.demo import start_demo
    from wizard.demo.faults import ENV_VAR, FaultSpecError
    from wizard.demo.server import INFO_PATH, MULTI_AZ_SUBNET_GROUP, SECURITY_GROUP, SINGLE_AZ_SUBNET_GROUP
    from wizard.shell import command, quote

    _say("Starting the demo AWS ...")
    try:
        demo = start_demo(speed, port=port)
    except FaultSpecError as error:
        print(f"{ENV_VAR}: {error}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        print(f"Cannot listen on 127.0.0.1:{port} ({error.strerror or error}). Another demo server or "
              "LocalStack may hold it: choose another port with --port N.", file=sys.stderr)
        return EXIT_USAGE
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, on_signal)
    try:
        url, region = demo.endpoint_url, demo.region
        key, secret = demo.credentials
        create_minutes = 18 / demo.speed * 60
        _say(f"Demo AWS serving at {url} (region {region}); time runs {demo.speed:g}x faster than real RDS: "
             f"a Multi-AZ create takes about {create_minutes:.0f} s.")
        _say(f"Seeded: DB subnet groups {MULTI_AZ_SUBNET_GROUP} (3 AZs), {SINGLE_AZ_SUBNET_GROUP} (1 AZ) and "
             f"default; security group {SECURITY_GROUP}; default parameter and option groups.")
        if demo.real_databases:
            _say("PostgreSQL DB instances are real PostgreSQL servers on loopback (a synchronous standby for "
                 "Multi-AZ): psql and applications log in with the master user.")
        for notice in demo.notices:
            _say(f"Note: {notice}")
        _say()
        _say("AWS CLI (any access key works; these keep your real ones out of it):")
        _say("  export " + " ".join(f"{name}={quote(value)}" for name, value in (
            ("AWS_ACCESS_KEY_ID", key), ("AWS_SECRET_ACCESS_KEY", secret), ("AWS_DEFAULT_REGION", region))))
        _say("  " + command("aws", "rds", "describe-db-instances", "--endpoint-url", url))
        _say("boto3:")
        _say(f'  boto3.client("rds", endpoint_url="{url}", region_name="{region}",')
        _say(f'               aws_access_key_id="{key}", aws_secret_access_key="{secret}")')
        _say("Another rds-wizard (no credentials needed: it uses the demo's):")
        _say("  " + command("rds-wizard", "--endpoint-url", url))
        _say(f"What a demo endpoint name resolves to: {url}{INFO_PATH}/resolve?host=NAME")
        if os.environ.get(ENV_VAR):
            _say(f"Faults armed ({ENV_VAR}): {os.environ[ENV_VAR]}")
        _say()
        _say("RDS events appear below as they happen. Ctrl+C stops the server.")
        demo.simulator.on_event.append(_print_event)
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        demo.stop()
    _say("Demo server stopped; its endpoints' listeners are closed.")
    return EXIT_OK
