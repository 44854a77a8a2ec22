"""Command line: est-emulator --host 127.0.0.1 --port 8765 ..."""
# pylint: disable=disallowed-name  # "_" is the throwaway name here (ansible-test reserves it)

import argparse
import asyncio
import contextlib
import json
import logging
import signal
import socket
import sys

import uvicorn

from . import seed as seeding
from .app import ConnectionReset, State, make_app
from .auth import Keys
from .numbers import PROVISIONING
from .sip.edge import start_edge
from .store import Store
from .tokens import DEFAULT_BUCKET, DEFAULT_REFILL, TokenBuckets


class StartupError(Exception):
    """A bad argument, port or --config: reported as one line naming it, exit status 2."""


def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="est-emulator", description="Local Sinch Elastic SIP Trunking API emulator")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    p.add_argument("--db", default=None, help="SQLite file (default: in memory)")
    p.add_argument("--project-id", default="demo-project")
    p.add_argument("--key-id", default="demo-key")
    p.add_argument("--key-secret", default="demo-secret")
    p.add_argument("--config", default=None,
                   help='JSON: {"projects": [{"id": ..., "keys": [{"id": ..., "secret": ...}]}], '
                        '"token_bucket": 30, "token_refill": 10}')
    p.add_argument("--token-ttl", type=int, default=3599)
    p.add_argument("--seed-numbers", type=int, default=0)
    p.add_argument("--seed-calls", type=int, default=0)
    p.add_argument("--provisioning-delay", type=float, default=0.5)
    p.add_argument("--token-bucket", type=float, default=None,
                   help=f"token requests a key may burst (default {DEFAULT_BUCKET:g}; 0 turns the limit off)")
    p.add_argument("--token-refill", type=float, default=None,
                   help=f"token requests per second refilled into each key's bucket (default {DEFAULT_REFILL:g}; "
                        "0 never refills)")
    p.add_argument("--sip-port", type=int, default=None,
                   help="serve Sinch's SIP edge over UDP and TCP on --host at this port (0: a port free for both)")
    p.add_argument("--edge-delay", type=float, default=0.0,
                   help="seconds before ACL, credential list and binding changes reach the SIP edge (default 0)")
    p.add_argument("--sip-attempt-timeout", type=float, default=2.0,
                   help="seconds the edge waits for one endpoint's final answer on an inbound call (default 2.0)")
    args = p.parse_args(argv)
    if args.edge_delay < 0 or args.sip_attempt_timeout <= 0:
        p.error("--edge-delay must be >= 0 and --sip-attempt-timeout > 0")
    return args


def _config(args) -> dict:
    if not args.config:
        return {}
    try:
        with open(args.config, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as error:
        raise StartupError(f"--config {args.config}: {error.strerror or error}") from None
    except ValueError as error:
        raise StartupError(f"--config {args.config}: not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise StartupError(f"--config {args.config}: must hold a JSON object")
    return data


def check_args(args) -> None:
    """What argparse's types do not say: a port is 0..65535 (0: a free one)."""
    if not 0 <= args.port <= 65535:
        raise StartupError(f"--port {args.port}: not a TCP port (0..65535; 0 picks a free port)")


def token_limit(args, config: dict) -> TokenBuckets:
    """The token rate limit from the flags, else the --config keys token_bucket / token_refill, else Sinch's."""
    values = {}
    for name, flag, default in (("token_bucket", args.token_bucket, DEFAULT_BUCKET),
                                ("token_refill", args.token_refill, DEFAULT_REFILL)):
        value = flag if flag is not None else config.get(name, default)
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
            raise StartupError(f"{name} must be a number >= 0, not {value!r}")
        values[name] = float(value)
    return TokenBuckets(values["token_bucket"], values["token_refill"])


def load_projects(args, data):
    """[(project, [(keyId, secret)])] from the --config data or the single-project flags."""
    if not args.config:
        return [(args.project_id, [(args.key_id, args.key_secret)])]
    out = []
    try:
        for project in data.get("projects", []):
            out.append((str(project["id"]), [(str(k["id"]), str(k["secret"])) for k in project.get("keys", [])]))
    except (KeyError, TypeError, AttributeError) as error:
        raise StartupError(f"--config {args.config}: each project needs an id and keys with an id and a secret "
                           f"({type(error).__name__}: {error})") from None
    if not out:
        raise StartupError(f"--config {args.config}: lists no projects")
    return out


def build_state(args):
    keys = Keys(token_ttl=args.token_ttl)
    store = Store(args.db)
    config = _config(args)
    projects = load_projects(args, config)
    for project, project_keys in projects:
        store.ensure_project(project)
        for key_id, secret in project_keys:
            keys.add(key_id, secret, project)
    # the first configured project is listed first by the admin API
    PROVISIONING["delay"] = args.provisioning_delay
    if args.seed_numbers or args.seed_calls:
        seeding.seed(store, projects[0][0], args.seed_numbers, args.seed_calls, 1)
    return State(store, keys, token_limit(args, config)), projects[0][0]


def _drop_injected_resets(record):
    exc = record.exc_info[1] if record.exc_info else None
    return not isinstance(exc, ConnectionReset)


class _Server(uvicorn.Server):
    """uvicorn server whose SIGTERM/SIGINT stop it cleanly with exit status 0."""

    @contextlib.contextmanager
    def capture_signals(self):
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self.handle_exit, sig, None)
        yield


async def serve(args):
    state, _ = build_state(args)
    sock = socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # accepted sockets inherit it (no Nagle stalls)
    try:
        sock.bind((args.host, args.port))
    except OSError as error:
        sock.close()
        raise StartupError(f"cannot listen on {args.host}:{args.port}: {error.strerror or error}") from None
    sock.listen(1024)
    sock.setblocking(False)
    port = sock.getsockname()[1]
    if args.sip_port is not None:
        state.edge = await start_edge(state.store, args.host, args.sip_port, args.edge_delay, args.sip_attempt_timeout)
    config = uvicorn.Config(make_app(state), log_level="warning", access_log=False, lifespan="off")
    logging.getLogger("uvicorn.error").addFilter(_drop_injected_resets)
    server = _Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started and not task.done():
        await asyncio.sleep(0.01)
    if server.started:
        host = f"[{args.host}]" if ":" in args.host else args.host
        print(f"listening on http://{host}:{port}", flush=True)
        if state.edge is not None:
            print(f"sip on udp://{host}:{state.edge.port} and tcp://{host}:{state.edge.port}", flush=True)
    await task
    if state.edge is not None:
        state.edge.close()
    state.store.db.close()


def main(argv=None):
    args = parse_args(argv)
    try:
        check_args(args)
        asyncio.run(serve(args))
    except KeyboardInterrupt:
        pass
    except StartupError as error:
        print(f"est-emulator: {error}", file=sys.stderr, flush=True)
        sys.exit(2)
    sys.exit(0)


if __name__ == "__main__":
    main()
