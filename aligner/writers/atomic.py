"""All-or-nothing output files.

Every output is written to a temporary file in the target's directory,
flushed and fsynced, then renamed over the target. A crash, Ctrl-C or any
exception leaves the old file (or no file) in place and removes the
temporary one. An existing target is refused unless ``force`` is given; the
final step uses a hard link when not forcing, so a file that appears while
we write is still not overwritten.

A temporary file is named ``.TARGET.XXXXXXXX.part`` and holds an ``flock``
while it is written. A SIGKILL leaves it behind; the next write of the same
target (and ``aligner batch`` for its whole OUTDIR) removes every such file
whose lock is free. ``remove_live_temps`` lets a SIGTERM handler clean up.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import IO, Iterator, Sequence

from aligner.errors import OutputError, show_path


# Temporary files this process is writing now (a SIGTERM handler removes them before exiting).
LIVE_TEMPS: set[str] = set()
_TEMP_NAME = re.compile(r"^\.(?P<target>.+)\.[A-Za-z0-9_]{8}\.part$")


def remove_live_temps() -> None:
    """Unlink the temporary files of writes in progress (for a signal handler about to exit)."""
    for tmp in list(LIVE_TEMPS):
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def sweep_stale_temps(directory: str | os.PathLike, targets: Sequence[str] | None = None,
                      *, recursive: bool = False) -> list[Path]:
    """Remove ``.TARGET.XXXXXXXX.part`` files left by a killed run (only ours, only unlocked ones).

    Args:
        directory: where to look.
        targets: only temporaries of these file names; None for all.
        recursive: also look in sub-folders.
    Returns:
        The files removed.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no way to tell a live temp from a stale one
        return []
    root = Path(directory)
    wanted = set(targets) if targets is not None else None
    removed = []
    try:
        candidates = root.rglob(".*.part") if recursive else root.glob(".*.part")
        for path in candidates:
            m = _TEMP_NAME.match(path.name)
            if not m or (wanted is not None and m.group("target") not in wanted) or not path.is_file():
                continue
            try:
                fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                os.unlink(path)  # nobody holds it: its writer is gone
                removed.append(path)
            except OSError:
                pass  # a live writer holds the lock, or it is gone already
            finally:
                os.close(fd)
    except OSError:
        pass  # an unreadable folder: nothing we may clean
    return removed


def _lock_temp(tmp: str) -> int | None:
    """Hold an flock on a temporary file until its write ends, so a sweep never takes a live one."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover
        return None
    fd = os.open(tmp, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# A temporary file is named ".TARGET.XXXXXXXX.part" (tempfile.mkstemp): 15 bytes more than TARGET.
TEMP_NAME_EXTRA = len(".") + len(".XXXXXXXX") + len(".part")
_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _name_max(directory: Path) -> int:
    try:
        return os.pathconf(directory, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def check_target(path: str | os.PathLike, *, force: bool = False) -> Path:
    """Fail early, with what to do, when ``path`` cannot or must not be written.

    ``force`` replaces only a regular file (or a symbolic link to one): a device,
    FIFO, socket or directory at ``path`` is never replaced, so ``-o /dev/null
    --force`` cannot destroy /dev/null. The name must leave room for the
    temporary file written next to it (``TEMP_NAME_EXTRA`` more bytes).

    Raises:
        OutputError: the directory is missing, not a directory or not writable;
            the name is too long; the path is a symbolic link loop, a directory or
            not a regular file; or the file exists and ``force`` is false.
    """
    path = Path(path)
    shown = show_path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if path.name in ("", ".", ".."):
        raise OutputError(f"output path {shown} is a directory; give a file name")
    try:
        parent_mode = os.stat(parent).st_mode
    except FileNotFoundError:
        raise OutputError(
            f"output directory {show_path(parent)} does not exist; create it or choose another output path"
        ) from None
    except OSError as exc:
        raise OutputError(
            f"output directory {show_path(parent)} cannot be used ({exc.strerror or exc}); choose another output path"
        ) from None
    if not stat.S_ISDIR(parent_mode):
        raise OutputError(f"output directory {show_path(parent)} is not a directory; choose another output path")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"output directory {show_path(parent)} is not writable; choose another output path")
    name_bytes, name_max = len(os.fsencode(path.name)), _name_max(parent)
    if name_bytes + TEMP_NAME_EXTRA > name_max:
        raise OutputError(
            f"output file name {show_path(path.name)} is {name_bytes} bytes, too long: this file system allows "
            f"{name_max - TEMP_NAME_EXTRA} (its temporary file needs {TEMP_NAME_EXTRA} more); choose a shorter name"
        )
    try:
        mode = os.stat(path).st_mode  # follows a symbolic link: what --force would replace is its target's kind
    except FileNotFoundError:
        if not force and os.path.islink(path):
            raise OutputError(f"{shown} already exists (a dangling symbolic link); pass --force to overwrite it")
        return path
    except OSError as exc:  # a symbolic link loop, a name too long for the path, no search permission
        raise OutputError(f"cannot use output path {shown} ({exc.strerror or exc}); choose another output path") from None
    if stat.S_ISDIR(mode):
        raise OutputError(f"output path {shown} is a directory; give a file name")
    if not stat.S_ISREG(mode):
        raise OutputError(
            f"output path {shown} is {_kind(mode)}, not a regular file; --force replaces only regular files, "
            "so write to a regular file"
        )
    if not force:
        raise OutputError(f"{shown} already exists; pass --force to overwrite it")
    return path


def _commit(tmp: str, path: Path, force: bool) -> None:
    if force:
        check_target(path, force=True)  # again: something else may have appeared there while we worked
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)  # atomic "create only if absent"
    except FileExistsError:
        raise OutputError(f"{show_path(path)} already exists; pass --force to overwrite it") from None
    except OSError as exc:  # no hard links on this file system
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        if os.path.lexists(path):
            raise OutputError(f"{show_path(path)} already exists; pass --force to overwrite it") from None
        os.replace(tmp, path)
        return
    os.unlink(tmp)


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_files(
    paths: Sequence[str | os.PathLike], *, force: bool = False, encoding: str = "utf-8", newline: str = "\n"
) -> Iterator[list[IO[str]]]:
    """Open several text files that appear together, only if the block succeeds.

    Args:
        paths: the final file names (all checked before anything is written).
        force: overwrite existing files.
        encoding, newline: passed to ``open``.

    Yields:
        One writable text handle per path, in the same order.

    Raises:
        OutputError: a target cannot be written (see ``check_target``) or an
            OS error (disk full, permissions) happened while writing.
    """
    targets = [check_target(p, force=force) for p in paths]
    mode = 0o666 & ~_umask()
    temps: list[str] = []
    locks: list[int] = []
    handles: list[IO[str]] = []
    try:
        try:
            for target in targets:
                sweep_stale_temps(target.parent, [target.name])
                fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
                LIVE_TEMPS.add(tmp)
                temps.append(tmp)
                handles.append(os.fdopen(fd, "w", encoding=encoding, newline=newline))
                lock = _lock_temp(tmp)
                if lock is not None:
                    locks.append(lock)
            yield handles
            for fh, tmp in zip(handles, temps):
                fh.flush()
                os.fsync(fh.fileno())
                fh.close()
                os.chmod(tmp, mode)
            for tmp, target in zip(temps, targets):
                _commit(tmp, target, force)
            for directory in {t.parent for t in targets}:
                _fsync_dir(directory)
        except OSError as exc:
            names = {tmp: target for tmp, target in zip(temps, targets)}
            where = names.get(exc.filename, exc.filename or (targets[0] if targets else ""))
            raise OutputError(
                f"could not write {show_path(where)}: {exc.strerror or exc}; check free space and permissions"
            ) from exc
    finally:
        for fh in handles:
            with contextlib.suppress(OSError):
                fh.close()
        for tmp in temps:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            LIVE_TEMPS.discard(tmp)
        for lock in locks:
            os.close(lock)


@contextlib.contextmanager
def atomic_write(
    path: str | os.PathLike, *, force: bool = False, encoding: str = "utf-8", newline: str = "\n"
) -> Iterator[IO[str]]:
    """One file, all or nothing (see ``atomic_files``)."""
    with atomic_files([path], force=force, encoding=encoding, newline=newline) as (fh,):
        yield fh


def atomic_write_text(path: str | os.PathLike, text: str, *, force: bool = False) -> None:
    """Write a whole string as UTF-8, all or nothing."""
    with atomic_write(path, force=force) as fh:
        fh.write(text)
