"""``-o`` never ends in a traceback and never replaces what is not a regular file: a read-only
folder, a full disk, a device or a named pipe each get one line and exit 2, and a write that
was killed half-way leaves no temporary file behind once the next write ran.

Read-only folders and full disks are real: a read-only bind mount and a 16 KB tmpfs, made in a
private mount namespace (``unshare``) that disappears with the command.
"""

from __future__ import annotations

import os
import resource
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import namespaced

SCRIPT = str(Path(sys.executable).with_name("smartcity-kg"))


@pytest.mark.slow
def test_output_into_a_read_only_folder_is_one_line(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    script = (
        'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && exec "$2" "$3" "$4" -o "$5"'
    )
    done = namespaced(script, str(folder), SCRIPT, "template", "initiatives", f"{folder}/t.csv")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"Error: {folder}/t.csv: cannot write it (Read-only file system); the folder is on a "
        "read-only file system; write somewhere else. Existing files were left unchanged.\n"
    )


@pytest.mark.slow
def test_output_on_a_full_disk_is_one_line_and_keeps_the_old_file(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    script = (
        'mount -t tmpfs -o size=16k none "$1" && printf "keep me" > "$1/kb.ttl" || exit 99\n'
        '"$2" export -o "$1/kb.ttl"; rc=$?\n'
        'cat "$1/kb.ttl"; echo; ls -A "$1"; exit $rc'
    )
    done = namespaced(script, str(disk), SCRIPT)
    assert (done.returncode, done.stdout) == (2, "keep me\nkb.ttl\n")
    assert done.stderr == (
        f"Error: {disk}/kb.ttl: cannot write it (No space left on device); the disk is full; "
        "free some space or write somewhere else. Existing files were left unchanged.\n"
    )


def test_output_onto_a_named_pipe_is_refused(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    done = subprocess.run(
        [SCRIPT, "template", "initiatives", "-o", str(fifo)], capture_output=True, text=True
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"Error: {fifo}: is a named pipe (FIFO), not a regular file; output is written to files "
        "only. Give a file name, or leave out the output option and redirect stdout.\n"
    )
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_output_onto_a_device_is_refused(tmp_path):
    """As root the code before the fix replaced the device node with a regular file, so the
    test makes its own node (/dev/null's numbers) instead of risking /dev/null."""
    if os.geteuid() == 0:
        device = tmp_path / "null"
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    else:
        device = Path("/dev/null")
    done = subprocess.run(
        [SCRIPT, "template", "figures", "-o", str(device)], capture_output=True, text=True
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"Error: {device}: is a device, not a regular file; output is written to files only. "
        "Give a file name, or leave out the output option and redirect stdout.\n"
    )
    assert stat.S_ISCHR(device.stat().st_mode)


#: The CLI's entry point with the kernel's default action for SIGXFSZ (Python ignores it at
#: start-up, turning the file size limit into an error the code handles instead of a kill).
KILLABLE = (
    "import signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_DFL); "
    "from smartcity_kg.cli.main import main; main(sys.argv[1:])"
)


@pytest.mark.slow
def test_a_killed_write_leaves_no_temporary_file_after_the_next_write(tmp_path):
    """The first export is killed by the kernel (SIGXFSZ) when its temporary file passes 64 KB:
    a real interruption in the middle of the write."""
    out = tmp_path / "kb.ttl"

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    killed = subprocess.run(
        [sys.executable, "-c", KILLABLE, "export", "-o", str(out)],
        capture_output=True,
        env=env,
        preexec_fn=small_files,
    )
    assert killed.returncode == -signal.SIGXFSZ
    left = [p.name for p in tmp_path.iterdir()]
    assert len(left) == 1 and left[0].startswith(".kb.ttl.")  # what the kill left behind

    again = subprocess.run([SCRIPT, "export", "-o", str(out)], capture_output=True, text=True)
    assert (again.returncode, again.stderr) == (0, f"Wrote {out}\n")
    assert [p.name for p in tmp_path.iterdir()] == ["kb.ttl"]


def test_stdout_on_a_full_device_is_one_line():
    """``> file`` on a full disk: /dev/full answers every write with ENOSPC."""
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [SCRIPT, "template", "initiatives"], stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert done.returncode == 2
    assert done.stderr == (
        "Error: cannot write to standard output (No space left on device); free some space or "
        "send the output elsewhere.\n"
    )
