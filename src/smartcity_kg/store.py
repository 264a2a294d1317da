"""The persistent on-disk store: bulk loading into a folder and opening it again.

A store is an Oxigraph (RocksDB) folder. One process writes at a time; readers open it
read-only and may run side by side. Oxigraph leaves a reader opened during a write undefined, so
a lock file in the folder decides who may open it: the loader takes it exclusively, readers share
it. A second process that cannot get the lock gets a clear error instead of a corrupt view. The
operating system releases the lock when a process dies, and RocksDB recovers from its write-ahead
log, so a loader killed mid-way leaves a store that opens and answers queries.
"""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from . import resources
from .dataset import check_input, graph_iri, parse_error_message, rdf_format, shares_triples
from .errors import InputError

LOCK_NAME = "smartcity-kg.lock"
SHARED_NAME = "smartcity-kg.shared"
_QUAD_FORMATS = (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG)


class StoreLock:
    """A held lock on a store folder; released by ``release()`` or when garbage-collected."""

    def __init__(self, fd: int | None) -> None:
        self.fd: int | None = fd

    def release(self) -> None:
        fd, self.fd = self.fd, None
        _unlock(fd)

    def __del__(self) -> None:
        self.release()


@dataclass
class LoadReport:
    """What ``load_files`` did: files in order with their graphs, and the final size."""

    loaded: list[tuple[Path, str]] = field(default_factory=list)
    quads: int = 0


def is_store(directory: Path) -> bool:
    return (directory / "CURRENT").is_file()


def _lock(directory: Path, exclusive: bool) -> int | None:
    """A held lock on the store folder, or an InputError saying who holds it.

    A reader that may not write in the folder (another user's store, a read-only medium)
    opens the lock file read-only, which is enough for a shared lock; where there is no lock
    file and none can be made, no writer can have one either, and the reader goes without.
    """
    path = directory / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as err:
        if exclusive or err.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise InputError(
                f"{directory}: cannot write to the store ({err.strerror}); check the folder's "
                "permissions, or load into a folder you may write to."
            ) from None
        try:
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            return None
        except OSError as again:
            raise InputError(
                f"{directory}: cannot read the store's lock file ({again.strerror}); check the "
                "folder's permissions."
            ) from None
    try:
        fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        if exclusive:
            raise InputError(
                f"{directory}: the store is open in another process (a query, a server or a "
                "load); stop it or wait until it ends, then load again."
            ) from None
        raise InputError(
            f"{directory}: the store is being written by 'smartcity-kg load' in another "
            "process; wait until it ends and run again."
        ) from None
    return fd


def _unlock(fd: int | None) -> None:
    if fd is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def open_store(directory: Path, *, read_only: bool = True) -> tuple[ox.Store, StoreLock]:
    """The Oxigraph store in ``directory`` and its lock, held as long as the caller keeps it.

    Read-only opening shares the folder with other readers.
    """
    if not is_store(directory):
        raise InputError(
            f"{directory}: not a smartcity-kg store; create it with "
            f"'smartcity-kg load --store {directory} [FILE...]'."
        )
    fd = _lock(directory, exclusive=not read_only)
    try:
        store = ox.Store.read_only(str(directory)) if read_only else ox.Store(str(directory))
    except (OSError, RuntimeError) as err:  # RocksDB reports damage as RuntimeError
        _unlock(fd)
        raise InputError(store_error(directory, err)) from None
    return store, StoreLock(fd)


def check_store(directory: Path) -> None:
    """Open the store read-only and close it again: a damaged or locked store is reported
    before a server starts on it."""
    store, lock = open_store(Path(directory), read_only=True)
    del store
    lock.release()


def store_error(directory: Path, err: Exception) -> str:
    """One line for a store that cannot be opened or read, and what to do."""
    detail = " ".join(str(err).split())
    if "Corruption" in detail or isinstance(err, RuntimeError):
        return (
            f"{directory}: the store is damaged ({detail}); build it again with "
            f"'smartcity-kg load --store NEW-FOLDER [FILE...]'."
        )
    return f"{directory}: cannot open the store: {detail}."


def load_files(
    directory: Path,
    files: Sequence[Path | str] = (),
    *,
    shipped: bool = True,
    progress: Callable[[Path, int], None] | None = None,
    default_files: Sequence[Path | str] = (),
) -> LoadReport:
    """Bulk-load the shipped knowledge base (unless ``shipped=False``), ``files`` and
    ``default_files``.

    Each triple file replaces its own named graph (see docs/model.md), so loading a file again
    updates it; N-Quads and TriG keep the graphs they name. ``default_files`` are added to the
    default graph instead (for W3C dataset semantics; loading them again adds nothing new).
    ``progress(path, size)`` is called after each file.
    """
    paths: list[tuple[Path, bool | None]] = (
        [(p, True) for p in resources.kb_files()] if shipped else []
    )
    paths += [(Path(p), False) for p in files]
    paths += [(Path(p), None) for p in default_files]  # None: into the default graph
    for path, _ in paths:
        fmt = rdf_format(path)
        if not path.is_file():
            raise InputError(f"{path}: no such file; check the path and run again.")
        check_input(path, fmt)
    if directory.exists() and not directory.is_dir():
        raise InputError(f"{directory}: exists and is not a folder; choose another --store.")
    if directory.is_dir() and any(directory.iterdir()) and not is_store(directory):
        raise InputError(
            f"{directory}: the folder is not empty and is not a store; "
            "choose an empty or new folder for --store."
        )
    directory.mkdir(parents=True, exist_ok=True)
    fd = _lock(directory, exclusive=True)
    report = LoadReport()
    try:
        try:
            store = ox.Store(str(directory))
        except (OSError, RuntimeError) as err:
            raise InputError(store_error(directory, err)) from None
        for path, is_shipped in paths:
            graph = _load_one(store, path, is_shipped)
            report.loaded.append((path, graph))
            if progress is not None:
                progress(path, path.stat().st_size)
        store.flush()
        report.quads = len(store)
        _note_shared(directory, store, [graph for _, graph in report.loaded])
        del store
    finally:
        _unlock(fd)
    return report


def _note_shared(directory: Path, store: ox.Store, loaded: list[str]) -> None:
    """Keep in the folder whether some triple stands in two graphs, so readers know whether the
    union default graph needs a copy (see KnowledgeBase.union_store) without looking again."""
    marker = directory / SHARED_NAME
    if marker.exists():
        return  # once shared, a later load of other files does not undo it
    graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph]
    if any(g.startswith("(") for g in loaded):  # a quad file or the default graph: all graphs
        graphs = [ox.DefaultGraph(), *store.named_graphs()]
    else:
        graphs = [ox.NamedNode(g) for g in loaded]
    if any(shares_triples(store, g) for g in graphs):
        marker.write_text("some triples stand in more than one graph\n", encoding="utf-8")


def shares_marked(directory: Path) -> bool:
    return (directory / SHARED_NAME).exists()


def _load_one(store: ox.Store, path: Path, shipped: bool | None) -> str:
    fmt = rdf_format(path)
    target: ox.NamedNode | ox.DefaultGraph | None
    if shipped is None:
        graph, target = "(the default graph)", ox.DefaultGraph()
    else:
        graph, target = graph_iri(path, shipped), None
    if shipped is not None and fmt not in _QUAD_FORMATS:
        target = ox.NamedNode(graph)
        store.clear_graph(ox.NamedNode(graph))
    try:
        store.bulk_load(
            path=str(path), format=fmt, base_iri=path.resolve().as_uri(), to_graph=target
        )
    except SyntaxError as err:
        raise InputError(
            parse_error_message(path, err) + " Files before it are already in the store."
        ) from None
    except (OSError, ValueError) as err:
        raise InputError(f"{path}: cannot load it as {fmt.name}: {err}") from None
    return graph if target is not None else "(graphs named in the file)"
