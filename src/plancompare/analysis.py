"""Library functions the notebooks call; each takes the long-format frame first (stub)."""

from __future__ import annotations

import pandas as pd


def load_curated(root=None) -> pd.DataFrame:
    """Load data/curated/plan_items.parquet (the one call notebooks make to get data)."""
    from . import paths

    return pd.read_parquet(paths.curated_file("parquet", root))


def coverage_matrix(frame, *, districts=None, indicators=None):
    raise NotImplementedError


def comparison_table(frame, *, districts=None, indicators=None, lang="zh"):
    raise NotImplementedError


def theme_emphasis(frame, *, districts=None, lang="zh"):
    raise NotImplementedError


def unmapped_names(frame):
    raise NotImplementedError
