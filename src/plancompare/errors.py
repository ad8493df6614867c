"""The project's exceptions: one base class, rich subclasses that carry their context."""

from __future__ import annotations


class PlanCompareError(Exception):
    """Base class of every error plancompare raises on purpose.

    Subclasses keep their context as attributes and build the message from them, so that the
    message always names the file, the line and the fix.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 fix: str | None = None):
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line
        self.fix = fix
        super().__init__(message, self.path, line, fix)

    def __reduce__(self):
        return (_rebuild, (type(self), self.message, self.path, self.line, self.fix))

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        text = f"{where}{self.message}"
        if self.fix:
            text += f"\n  fix: {self.fix}"
        return text


def _rebuild(cls, message, path, line, fix):
    return cls(message, path=path, line=line, fix=fix)


class InputError(PlanCompareError):
    """A source document cannot be read or parsed."""


class UsageError(PlanCompareError):
    """The command line asks for something impossible (a bad option value, an unknown report)."""


class LockError(PlanCompareError):
    """Another build/report/run holds the project lock (data/.plancompare.lock)."""


class ManifestError(PlanCompareError):
    """The manifest (data/raw/manifest.toml) and the raw files disagree."""


class SchemaError(PlanCompareError):
    """The curated frame violates the data contract (all failures listed at once)."""


class MappingError(PlanCompareError):
    """Reference data (crosswalk, codebook, overrides) does not cover the parsed items."""


class ExportError(PlanCompareError):
    """The curated files could not be written (disk full, permissions); the old ones are intact."""


class ParameterError(PlanCompareError):
    """A report or library function was given a bad parameter."""


class ReportError(PlanCompareError):
    """A notebook failed to execute or render."""


class RegistryError(ReportError):
    """notebooks/reports.toml is malformed (every problem listed at once)."""


class StructureError(PlanCompareError):
    """``--strict``: a document was not fully understood (see its structure report)."""


#: Exit codes of the command line: 0 success, 1 a failure, 2 bad input or usage.
EXIT_OK, EXIT_FAIL, EXIT_INPUT = 0, 1, 2


def exit_code(err: PlanCompareError) -> int:
    """The exit code for ``err``: 2 for bad input or usage, 1 for every other failure."""
    return EXIT_INPUT if isinstance(err, InputError | UsageError) else EXIT_FAIL
