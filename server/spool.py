"""A serialised result's bytes: held in memory while small, moved to an anonymous temporary file past that.

Most answers (a label lookup, a resource's description) are a few kilobytes; they go back to the parent
inside the worker's reply, in one message. A large one is spooled to disk as it is written and streamed
to the parent in chunks afterwards, so no large result is ever held in memory.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from typing import IO

__all__ = ["INLINE", "Spool"]

INLINE = 128 * 1024  # bytes: a body up to this size travels inside the reply (under a socket's buffer)


class Spool:
    """A writable body, in memory up to `limit` bytes and in an unnamed temporary file past it.

    >>> spool = Spool(limit=4)
    >>> spool.write(b"abc"), spool.inline()
    (3, b'abc')
    >>> spool.write(b"de"), spool.inline(), spool.size, b"".join(spool.chunks(2))
    (2, None, 5, b'abcde')
    >>> spool.close()
    """

    def __init__(self, limit: int = INLINE) -> None:
        self.limit = limit
        self.size = 0
        self._file: IO[bytes] = io.BytesIO()
        self._on_disk = False

    def write(self, data: bytes) -> int:
        """Append bytes, moving to disk when they pass the limit."""
        if not self._on_disk and self.size + len(data) > self.limit:
            held = self._file.getvalue()  # type: ignore[attr-defined]
            self._file = tempfile.TemporaryFile(prefix="cwkg-result-")
            self._file.write(held)
            self._on_disk = True
        self._file.write(data)
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        """Nothing to flush before reading: reads go through the same file object."""

    def inline(self) -> bytes | None:
        """The whole body if it is still in memory, else None."""
        return None if self._on_disk else self._file.getvalue()  # type: ignore[attr-defined]

    def reader(self) -> IO[bytes]:
        """The body from its first byte, as a file to parse."""
        self._file.seek(0)
        return self._file

    def chunks(self, size: int) -> Iterator[bytes]:
        """The body in chunks of at most `size` bytes."""
        file = self.reader()
        while chunk := file.read(size):
            yield chunk

    def close(self) -> None:
        """Free the memory or delete the file."""
        self._file.close()
