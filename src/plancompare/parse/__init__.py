"""The parse stage: raw document -> items, one module per concern.

``ingest`` decodes and flags noise, ``text`` holds the character helpers, ``vocabulary`` loads the
word lists every parser matches on (``parse/vocabulary/*.toml``), ``sections`` splits the document
into parts, ``tables`` / ``targets`` / ``tasks`` / ``projects`` / ``tasklist`` read the facts, and
``run`` runs them over a document (see ``docs/architecture.md``).
"""

from .run import (
    analyse_document,
    check_provenance,
    check_structure,
    district_row,
    parse_district,
    parse_document,
    parse_file,
    to_frame,
)

__all__ = ["analyse_document", "check_provenance", "check_structure", "district_row", "parse_district", "parse_document", "parse_file",
           "to_frame"]
