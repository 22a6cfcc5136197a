"""Reading an input file whole, only if it is a regular file of a bounded size.

A path given on the command line (or named inside a methodology) may be anything the operating
system can open: a named pipe (FIFO) blocks ``open`` until something writes to it, ``/dev/zero``
never ends, a directory cannot be read.  :func:`read_regular` looks at the file before it opens
it (``os.stat``), opens it without blocking (``O_NONBLOCK``, a no-op for regular files) and looks
again at what it opened (``os.fstat``), so neither a pipe nor a device nor a file swapped in
between is ever read; and it reads at most ``limit`` bytes.
"""

from __future__ import annotations

import os
import stat

__all__ = ["FileTooLarge", "NotRegularFile", "read_regular"]


class NotRegularFile(OSError):
    """The path is a directory, a pipe, a device or a socket, not a regular file."""

    def __init__(self, path: str, mode: int) -> None:
        self.kind_zh, self.kind_en = _kind(mode)
        super().__init__(f"{path} is {self.kind_en}, not a regular file")


class FileTooLarge(OSError):
    """The file is larger than the limit given to :func:`read_regular`."""

    def __init__(self, path: str, size: int, limit: int) -> None:
        self.size, self.limit = size, limit
        super().__init__(f"{path} has {size:,} bytes, more than the {limit:,} allowed")


def _kind(mode: int) -> tuple[str, str]:
    if stat.S_ISDIR(mode):
        return "文件夹", "a folder"
    if stat.S_ISFIFO(mode):
        return "命名管道（FIFO）", "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件", "a device"
    if stat.S_ISSOCK(mode):
        return "套接字", "a socket"
    return "特殊文件", "a special file"


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes.

    Raises
    ------
    FileNotFoundError, PermissionError, OSError
        As :func:`open` does.
    NotRegularFile
        ``path`` is a directory, a named pipe, a device or a socket (nothing is read from it).
    FileTooLarge
        The file has more than ``limit`` bytes (at most ``limit + 1`` are read).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     try:
    ...         read_regular(folder, 100)
    ...     except NotRegularFile as error:
    ...         print(error.kind_zh, error.kind_en)
    文件夹 a folder
    """
    name = os.fspath(path)
    mode = os.stat(name).st_mode
    if not stat.S_ISREG(mode):
        raise NotRegularFile(name, mode)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(name, flags)
    with open(descriptor, "rb", closefd=True) as file:
        opened = os.fstat(file.fileno())
        if not stat.S_ISREG(opened.st_mode):  # swapped for something else since the stat
            raise NotRegularFile(name, opened.st_mode)
        if opened.st_size > limit:
            raise FileTooLarge(name, opened.st_size, limit)
        data = file.read(limit + 1)
    if len(data) > limit:  # grew since the fstat
        raise FileTooLarge(name, len(data), limit)
    return data
