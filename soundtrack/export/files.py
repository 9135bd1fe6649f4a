"""Safe, atomic writing of a run's output files.

Every run writes all of its files or none: each file is first written to a temporary name beside
its target, and only when all are written are they renamed into place. Files stay inside the
output folder (relative paths are checked). A manifest (:data:`MANIFEST_NAME`) records what
soundtrack wrote and its SHA-256, so a later run may replace its own unchanged files; a file that
soundtrack did not write, or that was changed since, is never replaced unless ``force`` is given.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from soundtrack.errors import ExportError

__all__ = ["MANIFEST_NAME", "OutputFile", "read_manifest", "write_outputs"]

logger = logging.getLogger(__name__)

#: Name of the manifest soundtrack keeps in each folder it writes to.
MANIFEST_NAME = ".soundtrack-manifest.json"


@dataclass(frozen=True, slots=True, kw_only=True)
class OutputFile:
    """A file to write: ``relative_path`` (POSIX, inside the output folder) and its bytes."""

    relative_path: str
    data: bytes


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(folder: Path) -> dict[str, str]:
    """The manifest of ``folder``: relative path -> SHA-256 of what soundtrack wrote there."""
    path = folder / MANIFEST_NAME
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        logger.warning("ignoring unreadable manifest %s", path)
        return {}
    files = content.get("files", {}) if isinstance(content, dict) else {}
    return {str(name): str(digest) for name, digest in files.items()}


def _target(folder: Path, relative_path: str) -> Path:
    """The absolute target of a relative path, refusing anything outside ``folder``."""
    target = (folder / relative_path).resolve()
    if not target.is_relative_to(folder.resolve()) or relative_path.startswith("/"):
        raise ExportError(f"{relative_path}: refusing to write outside the output folder {folder}")
    return target


def write_outputs(folder: Path, files: Sequence[OutputFile], *, force: bool = False) -> list[Path]:
    """Write ``files`` under ``folder`` atomically (all or none).

    Args:
        folder: the output folder (created when missing).
        files: the files, with paths relative to ``folder``.
        force: replace files that soundtrack did not write or that were changed since.

    Returns:
        The written paths.

    Raises:
        ExportError: a file is in the way (one line each), the folder cannot be made, or a write
            fails (nothing is left half-written).
    """
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder}: the output folder is a file; expected a folder")
    manifest = read_manifest(folder) if folder.is_dir() else {}
    targets = [(_target(folder, item.relative_path), item) for item in files]
    blocked = []
    for target, item in targets:
        if target.is_dir():
            blocked.append(f"{target}: a folder is in the way of an output file")
        elif target.exists() and not force:
            recorded = manifest.get(item.relative_path)
            if recorded is None or recorded != _digest(target.read_bytes()):
                blocked.append(
                    f"{target}: exists and was not written by soundtrack (or was changed since); "
                    "expected a new path, or --force to replace it"
                )
    if blocked:
        raise ExportError(blocked)

    temporary: list[tuple[Path, Path]] = []
    try:
        for target, item in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            temp.write_bytes(item.data)
            temporary.append((temp, target))
        new_manifest = dict(manifest)
        for _, item in targets:
            new_manifest[item.relative_path] = _digest(item.data)
        manifest_temp = folder / f".{MANIFEST_NAME}.{os.getpid()}.tmp"
        manifest_temp.write_text(
            json.dumps({"files": dict(sorted(new_manifest.items()))}, indent=1), encoding="utf-8"
        )
        temporary.append((manifest_temp, folder / MANIFEST_NAME))
    except OSError as error:
        for temp, _ in temporary:
            temp.unlink(missing_ok=True)
        raise ExportError(f"{folder}: cannot write output ({error.strerror or error})") from error
    for temp, target in temporary:
        os.replace(temp, target)
    written = [target for _, target in temporary[:-1]]
    logger.info("wrote %d files under %s", len(written), folder)
    return written
