"""Indicator crosswalk and theme codebook applied to the parsed frame (stub: owned by harmonisation)."""

from __future__ import annotations

import pandas as pd


def harmonise(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` with indicator_id, theme_id, theme_rule, theme_secondary filled."""
    out = frame.copy()
    for col in ("indicator_id", "theme_id", "theme_rule", "theme_secondary"):
        if col not in out:
            out[col] = None
    return out
