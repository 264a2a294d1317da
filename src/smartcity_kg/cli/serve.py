"""``smartcity-kg serve``: the SPARQL endpoint, linked-data pages and web UI."""

from __future__ import annotations

from dataclasses import replace

import click

from ..errors import InputError
from .options import serve_sources


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: any free port, printed at start).",
)
@serve_sources
@click.option(
    "--lang",
    type=click.Choice(["de", "en"]),
    default="de",
    show_default=True,
    help="Default label language of the HTML pages (?_lang= overrides).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1),
    default=10.0,
    show_default=True,
    help="Seconds a query may run; then it is stopped and 503 is returned.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(1),
    default=10_000,
    show_default=True,
    help="Rows returned at most, unless the request asks for a download.",
)
@click.option(
    "--max-body",
    type=click.IntRange(1),
    default=1_000_000,
    show_default=True,
    help="Largest request body in bytes; larger ones get 413.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="Query worker processes for SPARQL requests, i.e. ad-hoc queries running at the same "
    "time; one more worker is kept for the named queries and pages.",
)
@click.option(
    "--allow-update",
    is_flag=True,
    help="Accept SPARQL Update (/update) and the Graph Store Protocol (/rdf-graphs) "
    "from requests with the bearer token named by --token-env.",
)
@click.option(
    "--token-env", metavar="NAME", help="Environment variable holding the bearer token for updates."
)
def serve(host, port, data, lang, timeout, max_rows, max_body, workers, allow_update, token_env):
    """Serve the knowledge base: a SPARQL 1.1 endpoint at /sparql, a page for every
    https://w3id.org/smartcity-kg/id/... IRI at /id/..., the named queries at /queries,
    a query editor and the ontology documentation. Read-only unless --allow-update.

    Stop it with Ctrl-C or SIGTERM.

    \b
    Example:
      smartcity-kg serve --port 8000
    """
    config, store = checked_config(
        host, port, data, lang, timeout, max_rows, max_body, workers, allow_update, token_env
    )
    sock = listen(config.host, config.port)
    run(replace(config, port=sock.getsockname()[1]), store, sock)


def checked_config(
    host, port, data, lang, timeout, max_rows, max_body, workers, allow_update, token_env
):
    """The server's settings from the options, or the InputError that says what to change
    (before any process or socket is started)."""
    import os

    from ..server.config import ServerConfig

    if data.store is not None and allow_update:
        raise InputError(
            "--allow-update cannot write to a --store opened read-only; serve "
            "the files with --data, or load changes with 'smartcity-kg load'."
        )
    if allow_update and not token_env:
        raise InputError("--allow-update needs --token-env NAME (the variable with the token).")
    if token_env and not allow_update:
        raise InputError("--token-env is used only with --allow-update; add it or drop both.")
    if data.store is not None:
        from ..store import check_store

        check_store(data.store)
    token = os.environ.get(token_env, "") if token_env else None
    if token_env and len(token or "") < 8:
        raise InputError(
            f"environment variable {token_env} must hold the update token (8 characters "
            "or more); set it and start again."
        )
    config = ServerConfig(
        host=host,
        port=port,
        data=tuple(str(d) for d in data.data),
        lang=lang,
        timeout=timeout,
        max_rows=max_rows,
        max_body=max_body,
        workers=workers,
        allow_update=allow_update,
        token=token,
    )
    return config, None if data.store is None else str(data.store)


def listen(host: str, port: int):
    """A socket bound to ``host:port`` (port 0: any free one)."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as err:
        sock.close()
        raise InputError(
            f"cannot listen on {host}:{port}: {err.strerror}; choose another --port or --host."
        ) from None
    return sock


def run(config, store: str | None, sock) -> None:
    """Start the workers, then serve on ``sock`` until Ctrl-C or SIGTERM."""
    import logging
    import signal
    import sys

    import uvicorn

    from ..server.app import create_app
    from ..server.pool import WorkerPool

    pool = WorkerPool(
        config.workers, list(config.data), timeout=config.timeout, store=store, reserve=1
    )
    try:
        pool.start()
    except BaseException:
        sock.close()
        raise

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    logger = logging.getLogger("smartcity_kg.server")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False

    if not pool.isolated:
        logger.warning("query workers run WITH network access: no seccomp on this platform")
    app = create_app(config, pool)
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,
            lifespan="on",
            timeout_graceful_shutdown=2,  # a stop never waits for a long request
        )
    )
    click.echo(f"smartcity-kg serving on {config.base_url}/ (Ctrl-C to stop)", err=True)
    # uvicorn handles SIGINT/SIGTERM with a graceful shutdown, then re-raises the signal to the
    # handler that was installed before it: a no-op, so a requested stop exits 0.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: None)
    try:
        server.run(sockets=[sock])
    finally:
        pool.close()
        sock.close()
        click.echo("smartcity-kg server stopped.", err=True)
