"""Publishing the output folder whole, so that a crash or a replan never leaves a mix.

Everything is written to a new folder beside the old one, then swapped in on the
same filesystem: a reader sees the old folder or the new one, never half of
each, and no file of the old plan (the agenda of someone who has left the
event) survives in the new one. On Linux the two folders trade places in one
step (renameat2's RENAME_EXCHANGE), so the folder's path never goes missing,
not even for a web server reading it during the swap; elsewhere two renames.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

FILE_MODE = 0o644  # readable by a web server serving the folder
FOLDER_MODE = 0o755
# A folder holding one of these was published by this program: every publish writes
# published.json beside the documents; folders from before it have schedule.json.
MARKERS = ("published.json", "schedule.json")


class NotOurFolder(Exception):
    """The output folder holds files this program did not write; it is never replaced."""


def check_replaceable(folder: Path) -> None:
    """Refuse a folder that exists and is neither empty nor one of ours.

    Publishing replaces the folder whole, so pointing ``--out`` at, say, a home
    folder must stop before anything is deleted.
    """
    if not folder.exists() and not folder.is_symlink():
        return
    if folder.is_symlink() or not folder.is_dir():
        raise NotOurFolder(f"{folder}: not a folder this program wrote (a file or a link); "
                           "choose a new or empty folder for --out")
    if any((folder / marker).is_file() for marker in MARKERS) or not any(folder.iterdir()):
        return
    raise NotOurFolder(f"{folder}: holds other files and no schedule.json, so it is not a schedule folder "
                       "and is not replaced; choose a new or empty folder for --out")


def write_atomically(folder: Path, files: Mapping[str, str | bytes]) -> None:
    """Publish ``files`` as the whole content of ``folder``, replacing what was there.

    The new folder is written beside the old one (same parent, so the swap
    stays on one filesystem), the two trade places, and the old one is removed.
    If anything fails before the swap, the old folder is untouched and the new
    one removed. Where the exchange is not available (not Linux, or a
    filesystem without it), the old folder is renamed aside and the new one
    renamed in: a hard kill between those two renames can leave no ``folder``
    and a hidden ``.NAME.old-*`` beside it; the next publish writes ``folder``
    again.
    """
    folder = Path(os.path.abspath(folder))
    check_replaceable(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.new-"))
    try:
        _write_tree(staging, files)
        _swap_in(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _write_tree(root: Path, files: Mapping[str, str | bytes]) -> None:
    os.chmod(root, FOLDER_MODE)
    for relative, content in files.items():
        if Path(relative).is_absolute() or ".." in Path(relative).parts:
            raise ValueError(f"{relative}: outside the output folder")
        target = root / relative
        for parent in reversed(target.relative_to(root).parents[:-1]):
            if not (root / parent).is_dir():
                (root / parent).mkdir()
                os.chmod(root / parent, FOLDER_MODE)
        data = content.encode("utf-8") if isinstance(content, str) else content
        with open(target, "wb") as stream:
            stream.write(data)
        os.chmod(target, FILE_MODE)
    # On disk before the swap, so a power cut cannot publish empty files; one sync is far
    # quicker than one fsync per file for hundreds of agendas and calendars.
    os.sync()


def _swap_in(staging: Path, folder: Path) -> None:
    if not folder.exists():
        os.rename(staging, folder)
        _fsync_folder(folder.parent)
        return
    if _exchange(staging, folder):
        _fsync_folder(folder.parent)
        shutil.rmtree(staging, ignore_errors=True)  # the old folder, now at the staging path
        return
    aside = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.old-"))
    try:
        os.rename(folder, aside)  # onto the empty folder just made: rename replaces an empty folder
    except BaseException:
        aside.rmdir()
        raise
    try:
        os.rename(staging, folder)
    except BaseException:
        os.rename(aside, folder)
        raise
    _fsync_folder(folder.parent)
    shutil.rmtree(aside, ignore_errors=True)


RENAME_EXCHANGE = 2  # linux/fs.h
AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the system or filesystem
    cannot, so the caller falls back to two renames. Any other failure is raised."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # not glibc 2.28+ or not Linux
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(error, os.strerror(error), str(second))


def _fsync_folder(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
