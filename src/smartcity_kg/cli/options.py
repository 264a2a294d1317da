"""Option sets shared by several commands, as decorators."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

TABLE_FORMATS = ("table", "csv", "tsv", "json", "jsonl", "markdown")


def data_option(f: Callable) -> Callable:
    return click.option(
        "--data",
        "data",
        multiple=True,
        type=click.Path(path_type=Path),
        help="An RDF file to add to the shipped knowledge base (repeatable; format by extension: "
        ".ttl .nt .nq .trig .jsonld .rdf). Each file becomes its own named graph.",
    )(f)


def backend_options(f: Callable) -> Callable:
    """``--data``, ``--store``, ``--endpoint``, ``--auth-env`` and ``--timeout`` as one
    ``backend`` argument (a :class:`smartcity_kg.backend.Choice` with ``run(query, params)``)."""
    import functools

    @functools.wraps(f)
    def wrapper(*args, data, store, endpoint, auth_env, timeout, **kwargs):
        from ..backend import Choice

        backend = Choice(data, store, endpoint, auth_env, timeout)
        return f(*args, backend=backend, **kwargs)

    for decorate in reversed(
        (
            data_option,
            click.option(
                "--store",
                type=click.Path(path_type=Path, file_okay=False),
                help="Query this persistent store (made by 'smartcity-kg load --store DIR') "
                "instead of parsing the files.",
            ),
            click.option(
                "--endpoint",
                metavar="URL",
                help="Send the query to this SPARQL 1.1 endpoint instead "
                "(e.g. http://127.0.0.1:7878/query).",
            ),
            click.option(
                "--auth-env",
                metavar="NAME",
                help="Read credentials for --endpoint from this environment variable: "
                "'user:password' (basic/digest) or 'Bearer TOKEN'.",
            ),
            click.option(
                "--timeout",
                type=click.FloatRange(min=0.1),
                default=60.0,
                show_default=True,
                help="Seconds to wait for --endpoint (failures are retried 3 times).",
            ),
        )
    ):
        wrapper = decorate(wrapper)
    return wrapper


class _Silent:
    """Stands in for a progress bar when stderr is not a terminal."""

    def __enter__(self):
        return self

    def __exit__(self, *_):
        return False

    def update(self, n_steps: int, current_item: object = None) -> None:
        pass


def progress(length: int, label: str, **kwargs):
    """A progress bar on stderr when it is a terminal, else nothing."""
    import sys

    if not sys.stderr.isatty():
        return _Silent()
    return click.progressbar(length=max(length, 1), label=label, file=sys.stderr, **kwargs)


def format_option(choices: tuple[str, ...] = TABLE_FORMATS, default: str = "table"):
    def decorate(f: Callable) -> Callable:
        return click.option(
            "--format",
            "-f",
            "fmt",
            type=click.Choice(choices),
            default=default,
            show_default=True,
            help="Output format.",
        )(f)

    return decorate


class LocalSources(tuple):
    """The ``--data`` paths, carrying ``--store`` / ``--endpoint`` when given."""

    store: Path | None = None
    endpoint: str | None = None
    auth_env: str | None = None


def local_kb_options(f: Callable) -> Callable:
    """``--data``, ``--store``, ``--endpoint`` and ``--auth-env`` for commands that walk every
    triple; the command receives them as one ``data`` argument for :func:`load_kb`."""
    import functools

    @functools.wraps(f)
    def wrapper(*args, data, store, endpoint, auth_env, **kwargs):
        sources = LocalSources(data)
        sources.store, sources.endpoint, sources.auth_env = store, endpoint, auth_env
        return f(*args, data=sources, **kwargs)

    options = (
        data_option,
        click.option(
            "--store",
            type=click.Path(path_type=Path, file_okay=False),
            help="Use this persistent store (made by 'smartcity-kg load --store DIR') instead "
            "of parsing the files.",
        ),
        click.option(
            "--endpoint",
            metavar="URL",
            help="Work on the dataset of this SPARQL 1.1 endpoint (its quads are fetched once).",
        ),
        click.option(
            "--auth-env",
            metavar="NAME",
            help="Credentials for --endpoint from this environment variable: 'user:password' "
            "or 'Bearer TOKEN'.",
        ),
    )
    for decorate in reversed(options):
        wrapper = decorate(wrapper)
    return wrapper


def load_kb(data: tuple[Path, ...]):
    """The knowledge base for a command: shipped files plus ``--data``, ``--store``, or a copy
    of an ``--endpoint``'s dataset."""
    from ..backend import Choice

    return Choice(
        data,
        getattr(data, "store", None),
        getattr(data, "endpoint", None),
        getattr(data, "auth_env", None),
    ).kb


def emit(text: str | bytes, output: Path | None = None) -> None:
    """Data to stdout, or atomically to ``output``."""
    if output is not None:
        from ..files import write_atomic

        write_atomic(output, text)
        click.echo(f"Wrote {output}", err=True)
    elif isinstance(text, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(text)
        sys.stdout.buffer.flush()
    else:
        click.echo(text, nl=False)
