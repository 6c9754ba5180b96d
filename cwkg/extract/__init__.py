"""Extraction from the source documents, one module per step.

`document` (normalise + `sections` + `sentences`) -> `candidates` (entity-like and figure spans)
and `mentions` (known entities, as Web Annotations) -> `coverage` (covered, ignored or
uncovered against the compiled graph and `data/extraction-ignore`) -> `report` (the one report,
rendered by `cwkg extract`); `evaluate` scores the candidate finder on a hand-labelled sample.
"""

from __future__ import annotations

from cwkg.extract.mentions import Lexicon, Mention, find_mentions, link_mentions, mention_quads

__all__ = ["Lexicon", "Mention", "find_mentions", "link_mentions", "mention_quads"]
