"""Tests of atomic, safe output writing."""

from __future__ import annotations

from pathlib import Path

import pytest

from soundtrack.errors import ExportError
from soundtrack.export.files import MANIFEST_NAME, OutputFile, read_manifest, write_outputs


def test_writes_all_files_and_a_manifest(tmp_path: Path) -> None:
    files = [
        OutputFile(relative_path="a.txt", data=b"alpha"),
        OutputFile(relative_path="sub/b.txt", data=b"beta"),
    ]
    written = write_outputs(tmp_path / "out", files)
    assert [path.name for path in written] == ["a.txt", "b.txt"]
    assert (tmp_path / "out" / "sub" / "b.txt").read_bytes() == b"beta"
    assert set(read_manifest(tmp_path / "out")) == {"a.txt", "sub/b.txt"}
    leftovers = [p.name for p in (tmp_path / "out").rglob("*.tmp")]
    assert leftovers == []


def test_replaces_its_own_unchanged_files(tmp_path: Path) -> None:
    write_outputs(tmp_path, [OutputFile(relative_path="a.txt", data=b"one")])
    write_outputs(tmp_path, [OutputFile(relative_path="a.txt", data=b"two")])
    assert (tmp_path / "a.txt").read_bytes() == b"two"


def test_refuses_to_overwrite_a_user_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"mine")
    with pytest.raises(ExportError, match="not written by soundtrack"):
        write_outputs(
            tmp_path,
            [
                OutputFile(relative_path="new.txt", data=b"x"),
                OutputFile(relative_path="a.txt", data=b"y"),
            ],
        )
    assert (tmp_path / "a.txt").read_bytes() == b"mine"
    assert not (tmp_path / "new.txt").exists()  # all or nothing
    assert not (tmp_path / MANIFEST_NAME).exists()


def test_refuses_a_file_changed_since_it_was_written(tmp_path: Path) -> None:
    write_outputs(tmp_path, [OutputFile(relative_path="a.txt", data=b"one")])
    (tmp_path / "a.txt").write_bytes(b"edited by hand")
    with pytest.raises(ExportError):
        write_outputs(tmp_path, [OutputFile(relative_path="a.txt", data=b"two")])
    assert (tmp_path / "a.txt").read_bytes() == b"edited by hand"
    write_outputs(tmp_path, [OutputFile(relative_path="a.txt", data=b"two")], force=True)
    assert (tmp_path / "a.txt").read_bytes() == b"two"


def test_never_writes_outside_the_folder(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="outside"):
        write_outputs(tmp_path / "out", [OutputFile(relative_path="../escape.txt", data=b"x")])
    assert not (tmp_path / "escape.txt").exists()


def test_output_folder_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("x")
    with pytest.raises(ExportError, match="is a file"):
        write_outputs(tmp_path / "out", [OutputFile(relative_path="a.txt", data=b"x")])
