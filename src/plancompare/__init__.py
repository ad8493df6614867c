"""plancompare: compare Chinese district education plans as one traceable long-format dataset."""

__version__ = "0.1.0"
