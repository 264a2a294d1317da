"""Reading the user's text files and writing output files: a clear error, or complete files.

A write goes to a temporary file beside the target and is renamed over it only when complete,
so a failed command leaves existing files untouched. Temporary files carry the writing
process's id; one left behind by a process that was killed is removed by the next write to the
same target, so interruptions leave no litter.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
from pathlib import Path

from .errors import InputError

#: Suffix of the temporary files made by :func:`write_atomic` (name: ``.TARGET.PID.HEX`` + this).
TMP_SUFFIX = ".sckg-tmp"

_HINTS = {
    errno.ENOSPC: "the disk is full; free some space or write somewhere else",
    errno.EDQUOT: "the disk quota is used up; free some space or write somewhere else",
    errno.EACCES: "the folder is not writable for you; write somewhere else",
    errno.EPERM: "the folder is not writable for you; write somewhere else",
    errno.EROFS: "the folder is on a read-only file system; write somewhere else",
    errno.EFBIG: "the file is larger than this system allows; write somewhere else",
    errno.EISDIR: "it is a folder; give a file name",
}


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it over ``path`` when complete.

    Refuses to replace anything but a regular file: ``-o /dev/sda`` or a named pipe must not
    be swapped for a file (and as root, a device node would be).
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{path}: the folder {folder} does not exist; create it first.")
    refuse_special(path)
    remove_stale(folder, path.name)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    tmp = folder / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{TMP_SUFFIX}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        try:
            os.fchmod(fd, _mode_for(path))
            with os.fdopen(fd, "wb") as handle:
                fd = -1
                handle.write(raw)
                handle.flush()
                os.fsync(handle.fileno())
        finally:
            if fd >= 0:
                os.close(fd)
        os.replace(tmp, path)
    except OSError as err:
        _unlink_quietly(tmp)
        raise InputError(write_error(path, err)) from None
    except BaseException:
        _unlink_quietly(tmp)
        raise


def write_error(path: Path, err: OSError) -> str:
    """One line saying why ``path`` could not be written and what to do."""
    hint = _HINTS.get(err.errno or 0, "check the path and the folder's permissions")
    reason = err.strerror or str(err)
    return f"{path}: cannot write it ({reason}); {hint}. Existing files were left unchanged."


def refuse_special(path: Path) -> None:
    """An error unless ``path`` is missing or a regular file (or a link to one)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as err:
        raise InputError(write_error(path, err)) from None
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise InputError(f"{path}: is a folder; give a file name to write to.")
    kind = (
        "named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "socket"
        if stat.S_ISSOCK(mode)
        else "device"
    )
    raise InputError(
        f"{path}: is a {kind}, not a regular file; output is written to files only. "
        "Give a file name, or leave out the output option and redirect stdout."
    )


def remove_stale(folder: Path, name: str) -> list[Path]:
    """Remove temporary files for ``name`` left by processes that no longer run."""
    pattern = re.compile(rf"\.{re.escape(name)}\.(\d+)\.[0-9a-f]+{re.escape(TMP_SUFFIX)}")
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = pattern.fullmatch(entry.name)
        if m and not _alive(int(m.group(1))):
            _unlink_quietly(Path(entry.path))
            removed.append(Path(entry.path))
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True  # a write of this process may be in flight
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _unlink_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _mode_for(path: Path) -> int:
    """Keep an existing file's mode; a new file gets the usual 0o666 less the umask.

    A 0o600 temporary file would make every export readable by its owner only.
    """
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def read_text(path: Path, *, then: str = "run again") -> str:
    """A user's UTF-8 text file; errors name the file (and line and column for bad bytes)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read it ({err.strerror or err}).") from None
    return decode_utf8(path, raw, then=then)


def decode_utf8(path: Path, raw: bytes, *, then: str = "run again") -> str:
    """``raw`` as UTF-8 (a BOM is dropped), or an error at the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise InputError(
            f"{path}:{line}:{column}: the file is not UTF-8 (byte 0x{raw[err.start]:02x}; "
            f"it looks like Latin-1 or Windows-1252); save it as UTF-8 and {then}."
        ) from None
