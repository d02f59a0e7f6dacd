"""Shared paths: the tests read the repository's fixtures beside the package."""

import os
import pathlib
import shutil

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def root() -> pathlib.Path:
    return ROOT


@pytest.fixture(scope="session")
def clean_bin() -> pathlib.Path:
    """The `clean` binary of this checkout, to compare messages and reports
    with; built by the root's `cargo test` (as CI does before these tests)."""
    given = os.environ.get("ARTICLEAN_CLEAN_BIN")
    candidates = [pathlib.Path(given)] if given else [
        ROOT / "target" / "debug" / "clean",
        ROOT / "target" / "release" / "clean",
    ]
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return path
    found = shutil.which("clean") if given is None else None
    if found is None:
        pytest.skip("no clean binary (run `cargo build` at the root, or set ARTICLEAN_CLEAN_BIN)")
    return pathlib.Path(found)
