"""`rds-wizard serve --demo`: the same wizard in browser tabs, every tab on one shared demo AWS.

The serve process starts one embedded demo AWS (as `demo-server` does) and textual-serve runs, for each
browser tab, the wizard pointed at it with `--endpoint-url`: a class sees the same instances, and a tab
that quits or closes ends nothing but its own wizard. The tab's command line holds the endpoint only;
the demo's credentials reach the wizard through the demo's info path, never through arguments, and the
environment every tab inherits is `wizard.childenv.child_environment()` (no secret of ours).
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import socket
import sys

from wizard.exit_codes import EXIT_OK, EXIT_USAGE

LOOPBACK_HOST = "127.0.0.1"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_listen(host: str, port: int) -> str | None:
    """Why (host, port) cannot be listened on, in a sentence; None when it can."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as error:
        return (f"--host {host!r} is not an address of this machine ({error}): use 127.0.0.1 (the default) "
                "or an address of one of its interfaces.")
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            return (f"Cannot listen on {host}:{port} ({error.strerror or error}): another program holds "
                    "the port or the address is not this machine's. Choose another with --port N or --host.")
    return None


def tab_command(endpoint_url: str) -> str:
    """The shell command textual-serve runs for each browser tab: the wizard on the shared demo."""
    from wizard.shell import command

    return command(sys.executable, "-m", "wizard", "--endpoint-url", endpoint_url)


def run(args: argparse.Namespace) -> int:
    """Serve the wizard over HTTP on host:port until Ctrl+C, on one demo shared by every tab."""
    if not args.demo:
        print("rds-wizard serve runs the demo only: add --demo (`rds-wizard serve --demo`). A browser tab "
              "has no way to keep real AWS credentials or a master password to itself.", file=sys.stderr)
        return EXIT_USAGE
    host, port = str(args.host), int(args.port)
    if not 1 <= port <= 65535:
        print(f"--port {port} is not a TCP port: use 1-65535.", file=sys.stderr)
        return EXIT_USAGE
    problem = _check_listen(host, port)
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    if not _is_loopback(host):
        print(f"Warning: serving on {host}, beyond this machine. The demo has no authentication: anyone "
              "who reaches the port can open the wizard and create or delete the demo's databases.",
              file=sys.stderr)

    from wizard.childenv import child_environment
    from wizard.demo import start_demo

    # Every tab's wizard inherits this process's environment (textual-serve offers no other hook), so
    # the process keeps only what a child may see before any tab starts.
    for name in set(os.environ) - set(child_environment()):
        del os.environ[name]
    print("Starting the demo AWS ...", flush=True)
    try:
        demo = start_demo(args.demo_speed, port=0)
    except OSError as error:
        print(f"The demo AWS could not start ({error.strerror or error}).", file=sys.stderr)
        return EXIT_USAGE
    try:
        return _serve(host, port, demo.endpoint_url)
    finally:
        demo.stop()


def _serve(host: str, port: int, endpoint_url: str) -> int:
    from textual_serve.server import Server

    shown_host = f"[{host}]" if ":" in host else host
    print(f"Serving the wizard at http://{shown_host}:{port}/ (every tab shares the demo at {endpoint_url}). "
          "Ctrl+C stops it and the demo.", flush=True)
    server = Server(tab_command(endpoint_url), host=host, port=port, title="rds-wizard (demo)")
    try:
        server.serve()
    except OSError as error:
        print(f"Cannot listen on {host}:{port} ({error.strerror or error}). Choose another with --port N.",
              file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        pass
    print("Stopped serving; the demo and everything in it are gone.", flush=True)
    return EXIT_OK
