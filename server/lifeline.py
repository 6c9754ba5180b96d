"""A worker's lifeline to the server process: it ends the worker as soon as the server is gone.

Workers are children of the forkserver, not of the server, so the kernel's parent-death signal alone
would wait for the forkserver, which itself lives as long as any worker holds its pipe open: after
`kill -9` of the server, a busy worker kept evaluating for minutes and the forkserver and resource
tracker stayed orphaned. So each worker opens a pidfd on the server process (it does not depend on
the pid staying unused) and a thread waits on it; pyoxigraph releases the GIL while it evaluates, so
the thread runs even during a long query or update, and `os._exit` ends the process at once, before
an unfinished transaction can commit. The parent-death signal is set too, for the forkserver's death.
Once the workers are gone, the forkserver reads EOF on its pipe and exits, and the resource tracker
after it.
"""

from __future__ import annotations

import ctypes
import os
import select
import signal
import sys
import threading

__all__ = ["hold"]

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent (the forkserver) exits (Linux only)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _watch(pidfd: int) -> None:
    """Wait until the server process ends, then end this one."""
    select.select([pidfd], [], [])
    os._exit(1)


def hold(server_pid: int) -> None:
    """End this process when the server process `server_pid` ends, however it ends (SIGKILL included)."""
    _die_with_parent()
    try:
        pidfd = os.pidfd_open(server_pid)
    except ProcessLookupError:
        os._exit(1)  # the server died before this worker started
    except (AttributeError, OSError):
        return  # no pidfd (not Linux 5.3+): the worker still ends when its pipe to the server breaks
    threading.Thread(target=_watch, args=(pidfd,), name="cwkg-lifeline", daemon=True).start()
