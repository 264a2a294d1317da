"""Option sets shared by several commands, as decorators."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from .. import formats

TABLE_FORMATS = formats.names(formats.TABLE)


def data_option(f: Callable) -> Callable:
    return click.option(
        "--data",
        "data",
        multiple=True,
        type=click.Path(path_type=Path),
        help="An RDF file to add to the shipped knowledge base (repeatable; format by extension: "
        f"{' '.join(formats.extensions(formats.INPUT))}). Each file becomes its own named graph.",
    )(f)


def _source_options(f: Callable, with_timeout: bool = True, remote: bool = True) -> Callable:
    """``--data``, ``--store``, and for commands that can use one, ``--endpoint`` and
    ``--auth-env``, and (unless the command has a ``--timeout`` of its own) ``--timeout``."""
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
            help="Use this SPARQL 1.1 endpoint (e.g. http://127.0.0.1:7878/query): queries are "
            "sent to it; commands that walk every triple fetch its quads once.",
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
    chosen = list(options if with_timeout else options[:-1])
    if not remote:
        chosen = [chosen[0], chosen[1], *chosen[4:]]
    for decorate in reversed(chosen):
        f = decorate(f)  # type: ignore[operator]  # click's decorators are untyped here
    return f


def _as_argument(
    name: str, f: Callable, with_timeout: bool = True, remote: bool = True
) -> Callable:
    """The source options, handed to ``f`` as one :class:`smartcity_kg.datasource.DataSource`."""
    import functools

    @functools.wraps(f)
    def wrapper(*args, data, store, endpoint=None, auth_env=None, **kwargs):
        from ..datasource import DataSource

        timeout = kwargs.pop("timeout") if with_timeout else 60.0
        kwargs[name] = DataSource(data, store, endpoint, auth_env, timeout)
        return f(*args, **kwargs)

    return _source_options(wrapper, with_timeout, remote)


def backend_options(f: Callable) -> Callable:
    """The source options as one ``backend`` argument with ``run(query, params)``, plus the
    dataset choices of ``query``: ``--no-shipped``, ``--default-data``, ``--default-graph``."""
    import functools

    @functools.wraps(f)
    def wrapper(*args, shipped, default_data, default_graph, backend, **kwargs):
        backend.shipped, backend.default_data = shipped, tuple(default_data)
        backend.default_graph = default_graph
        backend.check()
        return f(*args, backend=backend, **kwargs)

    options = (
        click.option(
            "--shipped/--no-shipped",
            default=True,
            show_default=True,
            help="Include the shipped knowledge base; --no-shipped queries only your files.",
        ),
        click.option(
            "--default-data",
            "default_data",
            multiple=True,
            type=click.Path(path_type=Path),
            help="An RDF file merged into the default graph instead of a named graph of its "
            "own (repeatable; W3C dataset semantics: see --default-graph).",
        ),
        click.option(
            "--default-graph",
            "default_graph",
            type=click.Choice(("union", "default")),
            default="union",
            show_default=True,
            help="What a query without FROM sees as its default graph: 'union' = the set "
            "union of all graphs; 'default' = only the dataset's own default graph (the "
            "--default-data files), with every other graph named (W3C semantics).",
        ),
    )
    wrapped = _as_argument("backend", wrapper)
    for decorate in reversed(options):
        wrapped = decorate(wrapped)
    return wrapped


def local_kb_options(f: Callable) -> Callable:
    """The source options as one ``data`` argument for :func:`load_kb`, for commands that walk
    every triple (export, analyze, validate, stats)."""
    return _as_argument("data", f)


def serve_sources(f: Callable) -> Callable:
    """As :func:`local_kb_options`, for ``serve``, whose ``--timeout`` is the query limit and
    which runs its own engine (no ``--endpoint``)."""
    return _as_argument("data", f, with_timeout=False, remote=False)


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


def format_option(choices: tuple[str, ...] = TABLE_FORMATS, default: str | None = "table"):
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


def terminal_width(fmt: str | None, output: Path | None = None) -> int | None:
    """The terminal's width (``COLUMNS`` if set) when a ``table`` is printed on a terminal, so
    long cells are shortened to fit; ``None`` (cells kept whole) for a pipe, a file or any other
    format, where a program reads the cells."""
    if fmt != "table" or output is not None or not sys.stdout.isatty():
        return None
    import shutil

    return shutil.get_terminal_size().columns


def load_kb(data):
    """The knowledge base for a command: a :class:`smartcity_kg.datasource.DataSource` from
    :func:`local_kb_options`, or plain ``--data`` paths."""
    from ..datasource import DataSource

    return (data if isinstance(data, DataSource) else DataSource(data)).kb


def emit(text: str | bytes, output: Path | None = None) -> None:
    """Data to stdout, or atomically to ``output``."""
    if output is not None:
        from ..files import write_atomic

        write_atomic(output, text)
        click.echo(f"Wrote {output}", err=True)
        return
    try:
        if isinstance(text, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
            sys.stdout.buffer.flush()
        else:
            click.echo(text, nl=False)
    except BrokenPipeError:
        raise  # the reader went away (| head): main() exits quietly
    except OSError as err:
        from ..errors import InputError

        raise InputError(
            f"cannot write to standard output ({err.strerror or err}); "
            "free some space or send the output elsewhere."
        ) from None
