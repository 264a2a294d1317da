"""Take the network away from a query worker, whatever query it is asked to run.

The guard refuses ``SERVICE`` and ``LOAD``, but a guard is a second reading of the text and any
disagreement with the engine would let a request reach the network through Oxigraph's HTTP
client. So each worker installs a seccomp filter before it loads any data: from then on the
kernel answers every attempt of that process (all its threads, and anything it starts) to
create a network socket with ``EACCES``. Only ``AF_UNIX`` sockets stay allowed, which the
worker never opens either; its pipe to the server was created before the filter.

Linux on x86_64 and aarch64 only; elsewhere :func:`deny_network` returns False and the server
says so in its log.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import struct
import sys

# Linux constants (linux/filter.h, linux/seccomp.h, linux/audit.h, asm/unistd.h)
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_RET_K = 0x06
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_PR_SET_NO_NEW_PRIVS = 38
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1
_AF_UNIX = 1
_X32_SYSCALL_BIT = 0x40000000

#: machine -> (audit arch, socket, io_uring_setup, seccomp) syscall numbers
_ARCH = {
    "x86_64": (0xC000003E, 41, 425, 317),
    "aarch64": (0xC00000B7, 198, 425, 277),
}


def _program(arch: int, socket_nr: int, uring_nr: int) -> list[tuple[int, int, int, int]]:
    deny = _RET_ERRNO | errno.EACCES
    return [
        (_LD_W_ABS, 0, 0, 4),  # A = seccomp_data.arch
        (_JEQ_K, 1, 0, arch),
        (_RET_K, 0, 0, deny),  # a foreign syscall ABI: refuse everything it asks
        (_LD_W_ABS, 0, 0, 0),  # A = seccomp_data.nr
        (_JGE_K, 0, 1, _X32_SYSCALL_BIT),
        (_RET_K, 0, 0, deny),  # x32 syscalls
        (_JEQ_K, 3, 0, uring_nr),  # io_uring can open sockets without socket(2)
        (_JEQ_K, 0, 3, socket_nr),
        (_LD_W_ABS, 0, 0, 16),  # A = low word of args[0], the address family
        (_JEQ_K, 1, 0, _AF_UNIX),
        (_RET_K, 0, 0, deny),
        (_RET_K, 0, 0, _RET_ALLOW),
    ]


def deny_network() -> bool:
    """Forbid this process (every thread) to open network sockets from now on.

    Returns False where the platform has no seccomp filter we know how to install.
    """
    numbers = _ARCH.get(platform.machine())
    if not sys.platform.startswith("linux") or numbers is None:
        return False
    arch, socket_nr, uring_nr, seccomp_nr = numbers
    program = _program(arch, socket_nr, uring_nr)
    filters = b"".join(struct.pack("=HBBI", *ins) for ins in program)
    buffer = ctypes.create_string_buffer(filters, len(filters))

    class FProg(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = FProg(len(program), ctypes.addressof(buffer))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    result = libc.syscall(
        ctypes.c_long(seccomp_nr),
        ctypes.c_ulong(_SECCOMP_SET_MODE_FILTER),
        ctypes.c_ulong(_SECCOMP_FILTER_FLAG_TSYNC),
        ctypes.byref(prog),
    )
    return result == 0
