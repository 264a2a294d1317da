"""Option sets shared by several commands, as decorators."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from .. import formats, languages
from ..errors import InputError

TABLE_FORMATS = formats.names(formats.TABLE)


def data_option(f: Callable | None = None, *, pass_stdin_format: bool = False) -> Callable:
    """``--data FILE`` (repeatable; ``-`` reads standard input) and ``--stdin-format``.

    Standard input has no file extension to tell its format, so ``--data -`` needs
    ``--stdin-format NAME``. ``pass_stdin_format`` hands the option on to a command that reads
    ``-`` for an argument of its own (``import -``)."""
    if f is None:
        return lambda g: data_option(g, pass_stdin_format=pass_stdin_format)
    import functools

    @functools.wraps(f)
    def wrapper(*args, data, stdin_format, **kwargs):
        from ..files import Stdin

        if any(str(d) == "-" for d in data):
            if list(map(str, data)).count("-") > 1:
                raise InputError("standard input can be read once; give --data - only once.")
            fmt = formats.check(stdin_format_or_fail(stdin_format), formats.INPUT, "--stdin-format")
            data = tuple(Stdin(fmt.name) if str(d) == "-" else d for d in data)
        elif stdin_format and not pass_stdin_format:
            raise InputError(
                "--stdin-format names the format of '-' (standard input); give --data -."
            )
        if pass_stdin_format:
            kwargs["stdin_format"] = stdin_format
        return f(*args, data=data, **kwargs)

    wrapper = click.option(
        "--stdin-format",
        metavar="FORMAT",
        help="The format of what '-' reads from standard input (it has no extension): "
        f"{', '.join(formats.names(formats.INPUT))}"
        + (", or csv, yaml, json for the import table" if pass_stdin_format else "")
        + ".",
    )(wrapper)
    return click.option(
        "--data",
        "data",
        multiple=True,
        type=click.Path(path_type=Path, allow_dash=True),
        help="An RDF file to add to the shipped knowledge base (repeatable; format by extension: "
        f"{' '.join(formats.extensions(formats.INPUT))}). Each file becomes its own named "
        "graph; - reads standard input, in the format --stdin-format names.",
    )(wrapper)


def plain_data_option(f: Callable) -> Callable:
    """``--data FILE`` for ``serve``, whose worker processes each read the files (standard
    input can be read once, by one process)."""
    return click.option(
        "--data",
        "data",
        multiple=True,
        type=click.Path(path_type=Path),
        help="An RDF file to add to the shipped knowledge base (repeatable; format by extension: "
        f"{' '.join(formats.extensions(formats.INPUT))}). Each file becomes its own named graph.",
    )(f)


def stdin_format_or_fail(stdin_format: str | None) -> str:
    """The ``--stdin-format`` given, or an error saying it is needed for ``-``."""
    if not stdin_format:
        raise InputError(
            "standard input (-) has no file extension to tell its format; name it with "
            f"--stdin-format ({', '.join(formats.names(formats.INPUT))})."
        )
    return stdin_format


def _source_options(f: Callable, with_timeout: bool = True, remote: bool = True) -> Callable:
    """``--data``, ``--store``, and for commands that can use one, ``--endpoint`` and
    ``--auth-env``, and (unless the command has a ``--timeout`` of its own) ``--timeout``."""
    options = (
        data_option if remote else plain_data_option,  # serve's workers read files themselves
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
            metavar="SECONDS",
            help="How long a query may run. Embedded and --store queries are stopped past it "
            "(exit 2; default: no limit); --endpoint requests wait this long (default 60; "
            "failures are retried 3 times).",
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

        limit = kwargs.pop("timeout") if with_timeout else None
        source = DataSource(data, store, endpoint, auth_env, 60.0 if limit is None else limit)
        source.limit = limit  # for embedded queries: None is no limit
        kwargs[name] = source
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
    """``-f/--format``; with ``default=None`` the format comes from the ``-o`` extension (see
    :func:`resolve_output`), else a table."""

    def decorate(f: Callable) -> Callable:
        return click.option(
            "--format",
            "-f",
            "fmt",
            type=click.Choice(choices),
            default=default,
            show_default=default is not None,
            help="Output format."
            + ("" if default else " Default: from the -o extension, else a table (or Turtle)."),
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


def output_option(
    help_text: str = "Write to this file (atomically) instead of stdout; - is stdout.",
):
    """``-o/--output FILE``, the same on every command that writes (``-`` is stdout)."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
        help=help_text,
    )


def resolve_output(
    output: Path | None, fmt: str | None, kind: str, default: str | None
) -> tuple[str | None, Path | None]:
    """The format to write and the file (``None``: stdout) for ``--format`` and ``-o``.

    Without ``--format`` the extension of ``-o`` chooses it (from the format registry), else
    ``default``. A ``--format`` that contradicts the extension is an error rather than, say, a
    GraphML file named ``.ttl``, and so is an extension of a format this output cannot be
    written in; an extension no format claims (``.txt``) is left to the user.
    """
    if output is not None and str(output) == "-":
        output = None
    if output is None:
        return fmt or default, None
    found = formats.by_extension(output.name, kind)
    claimed = found or _any_format(output.name)
    if fmt is None:
        if found is None and claimed is not None:
            raise InputError(
                f"the extension {_extension(output.name, claimed.extensions)} of {output} is "
                f"{claimed.name}, which this output cannot be written as; use one of "
                f"{', '.join(formats.names(kind))} (--format), or another file name."
            )
        return (found.name if found else default), output
    own = formats.get(fmt).extensions if fmt in _NAMES else ()
    if claimed is not None and claimed.name != fmt and _extension(output.name, own) is None:
        ext = _extension(output.name, claimed.extensions)
        rename = f", or a file name ending in {own[0]}" if own else ""
        hint = f"use --format {claimed.name}" if found is not None else "leave out --format"
        if found is None:
            hint = "give another file name" if not own else "use a file name ending in " + own[0]
            rename = ""
        raise InputError(
            f"format {fmt} does not match the extension {ext} of {output} ({claimed.name}); "
            f"{hint}{rename}."
        )
    return fmt, output


def _any_format(name: str) -> formats.Format | None:
    """The format of any kind whose extension ``name`` ends with (the longest match wins)."""
    hits = [(len(e), f) for f in formats.REGISTRY for e in f.extensions if name.lower().endswith(e)]
    return max(hits, key=lambda h: h[0])[1] if hits else None


_NAMES = {f.name for f in formats.REGISTRY}


def _extension(name: str, extensions: tuple[str, ...]) -> str | None:
    """The longest of ``extensions`` that ``name`` ends with."""
    hits = [e for e in extensions if name.lower().endswith(e)]
    return max(hits, key=len) if hits else None


def _check_lang(ctx, param, value):
    return None if value is None else languages.check(value)


def lang_option(default: str | None = languages.DEFAULT, help_text: str = "Language of labels."):
    """``--lang de|en``: one option, one default (:data:`smartcity_kg.languages.DEFAULT`) and
    one error for an unknown language on every command that prints labels."""
    shown = f" [default: {default}]" if default else ""
    return click.option(
        "--lang",
        metavar="|".join(languages.LANGS),
        default=default,
        callback=_check_lang,
        help=help_text + shown,
    )
