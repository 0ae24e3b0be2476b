"""What the demo's HTTP port answers: the AWS APIs the demo implements and its own info path, nothing else.

moto's server also carries its admin pages (/moto-api/: reset, recorder, data.json, dashboard), echoes
any browser Origin in CORS headers and prints a traceback for a failing request. None of that belongs
on a port the wizard opens on the user's machine: a web page the user visits could drive it, and
anyone could wipe the account or record the next master password. So every request passes this door:

- AWS calls are admitted only as SigV4-signed requests (an `Authorization` header; a browser cannot
  add one to a cross-site request without a CORS preflight, which gets no allow headers) to the path
  `/` for a service in `services`. Anything else is 404, whatever moto would have said.
- No `Access-Control-*` header leaves the port, so no foreign web page can read an answer.
- A request that fails inside moto is a 500 with an AWS error body, logged at debug level, never a
  traceback on the terminal.
"""

from __future__ import annotations

import json
import logging
import sys
import uuid
from collections.abc import Callable, Iterable
from typing import Any

_log = logging.getLogger(__name__)

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

NOT_FOUND = b"Not Found: this demo port serves the AWS APIs the demo implements and its info path only.\n"
_SIGV4 = "AWS4-HMAC-SHA256 "


def signed_service(environ: dict[str, Any]) -> str | None:
    """The service a SigV4-signed request is for, from its credential scope (…/us-east-1/rds/aws4_request);
    None for a request without a SigV4 Authorization header."""
    authorization = str(environ.get("HTTP_AUTHORIZATION", ""))
    if not authorization.startswith(_SIGV4):
        return None
    scope = authorization.partition("Credential=")[2].split(",", 1)[0].split("/")
    return scope[3] if len(scope) > 3 else None


def _is_aws_call(environ: dict[str, Any], services: frozenset[str]) -> bool:
    return (environ.get("REQUEST_METHOD") in ("GET", "POST") and environ.get("PATH_INFO") == "/"
            and signed_service(environ) in services)


def _is_info(environ: dict[str, Any], info_path: str) -> bool:
    path = str(environ.get("PATH_INFO", ""))
    return environ.get("REQUEST_METHOD") == "GET" and (path == info_path or path.startswith(info_path + "/"))


def _not_found(start_response: Callable[..., Any]) -> list[bytes]:
    start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", str(len(NOT_FOUND)))])
    return [NOT_FOUND]


def _without_cors(start_response: Callable[..., Any]) -> Callable[..., Any]:
    def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        kept = [(name, value) for name, value in headers if not name.lower().startswith("access-control-")]
        return start_response(status, kept, exc_info)
    return start


_FAILURE = "The demo AWS could not handle this request."


def _internal_failure(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    """InternalFailure in the request's protocol: JSON for an X-Amz-Target call, else query XML."""
    if environ.get("HTTP_X_AMZ_TARGET"):
        content_type = "application/x-amz-json-1.1"
        body = json.dumps({"__type": "InternalFailure", "message": _FAILURE}).encode()
    else:
        content_type = "text/xml"
        body = (f"<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>{_FAILURE}"
                f"</Message></Error><RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>").encode()
    start_response("500 Internal Server Error",
                   [("Content-Type", content_type), ("Content-Length", str(len(body)))], sys.exc_info())
    return [body]


def front_door(app: WsgiApp, services: frozenset[str], info_path: str) -> WsgiApp:
    """Wrap the demo's WSGI app so only signed AWS calls for `services` and GETs under `info_path` reach
    it, without CORS headers, and a failure inside it is an AWS-style 500 instead of a traceback."""

    def door(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not (_is_aws_call(environ, services) or _is_info(environ, info_path)):
            return _not_found(start_response)
        start = _without_cors(start_response)
        try:
            # Drained here, so a failure while the body is built is caught too.
            return list(app(environ, start))
        except Exception:
            _log.debug("demo request %s %s failed", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"),
                       exc_info=True)
            return _internal_failure(environ, start)

    return door
