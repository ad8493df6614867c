"""Writing report files: atomic replacement with shareable permissions, and timestamps."""

from __future__ import annotations

from datetime import datetime

from ..files import write_atomic

__all__ = ["_now", "write_atomic"]


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")
