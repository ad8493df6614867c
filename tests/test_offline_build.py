"""The build needs no network: with every way to open a connection disabled in this process,
``build.build`` into a temporary root succeeds and gives the same rows as the parsers.

(Reports and their kernels are tested offline in the report tests.)
"""

from __future__ import annotations

import shutil
import socket
from collections import Counter

import pandas as pd
import pytest
from conftest import RAW

from plancompare import build as build_mod
from plancompare import manifest, parse, paths


class NetworkUsed(AssertionError):
    """Raised by the patched socket functions: the code under test tried to go online."""


@pytest.fixture
def no_network(monkeypatch):
    """Patch connect, create_connection and getaddrinfo to raise; record every attempt."""
    attempts: list[tuple] = []

    def refuse(name):
        def _refuse(*args, **kwargs):
            attempts.append((name, args[1:] if name == "connect" else args))
            raise NetworkUsed(f"network access during the build: {name}{args!r}")
        return _refuse

    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    return attempts


def test_patch_is_effective(no_network):
    with pytest.raises(NetworkUsed):
        socket.create_connection(("example.org", 80), timeout=1)
    with pytest.raises(NetworkUsed):
        socket.getaddrinfo("example.org", 80)
    with socket.socket() as sock, pytest.raises(NetworkUsed):
        sock.connect(("127.0.0.1", 9))
    assert len(no_network) == 3
    no_network.clear()


def test_build_runs_offline(tmp_path, no_network):
    root = tmp_path / "proj"
    shutil.copytree(RAW, root / "data" / "raw")
    result = build_mod.build(root, quiet=True)
    assert no_network == []
    # every curated file written and readable
    for name in ("parquet", "csv", "xlsx"):
        assert paths.curated_file(name, root).is_file()
    back = pd.read_parquet(paths.curated_file("parquet", root))
    assert len(back) == len(result.frame) == len(pd.read_csv(paths.curated_file("csv", root)))
    # identical row counts per district and type to what the parsers return directly
    reg = manifest.load(root)
    expected = Counter()
    for district in reg.districts:
        rows = parse.parse_district(district, reg.raw_dir)
        expected.update((r["district_id"], r["item_type"]) for r in rows)
    actual = Counter(zip(result.frame["district_id"], result.frame["item_type"], strict=True))
    assert actual == expected
    assert result.summary.loc["total", "total"] == sum(expected.values())
