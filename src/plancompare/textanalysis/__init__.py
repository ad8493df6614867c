"""Text analyses of the plans' task text: segmentation, distinctive terms, policy instruments,
the responsibility network and shared wording (docs/text-analysis.md).

Modules: :mod:`.lexicon` (the one loader of the data files), :mod:`.segment` (sentences with
provenance, jieba tokens), :mod:`.terms` (weighted log-odds), :mod:`.instruments` (rule coding),
:mod:`.network` (departments x tasks), :mod:`.similarity` (character n-grams, shared passages),
:mod:`.charts` and :mod:`.report` (tables for the notebook).
"""
