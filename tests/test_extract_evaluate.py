"""The candidate finder against the hand-labelled sample: precision and recall held to a floor."""

from __future__ import annotations

from pathlib import Path

from cwkg.config import Settings
from cwkg.extract.evaluate import evaluate
from cwkg.sources import load_manifest

SAMPLE = Path(__file__).parent / "fixtures" / "extraction" / "sample.yaml"


def test_precision_and_recall_floors(settings: Settings) -> None:
    sources = load_manifest(settings.data_dir / "sources.yaml", settings.sources_dir)
    scores = evaluate(SAMPLE, sources)
    assert scores["lenient"].expected >= 80  # the sample cannot shrink unnoticed
    assert scores["lenient"].precision >= 0.85 and scores["lenient"].recall >= 0.85
    assert scores["strict"].precision >= 0.8 and scores["strict"].recall >= 0.8
