"""Execute the notebooks with papermill and render offline HTML reports (stub: owned by reporting)."""

from __future__ import annotations


def report_all(*, root=None, force=False, jobs=None, only=None, progress=None):
    raise NotImplementedError("reports are not implemented yet")
