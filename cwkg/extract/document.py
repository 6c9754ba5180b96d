"""A source document prepared for extraction: normalised text, sections and sentences.

Everything is found on the normalised text (`cwkg.text.normalise`) and carried back to the
original file's offsets through its offset map, the offsets that evidence annotations use.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from cwkg.extract.sections import OPENING, Heading, find_headings
from cwkg.extract.sentences import Sentence, split_sentences
from cwkg.sources import Source
from cwkg.text import NormalisedText, normalise

__all__ = ["Document", "Section", "read_document"]

# a blank line followed by anything but a lower-case letter ends a paragraph
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*(?=[^a-z\s])")
# each line of a table (cells separated by tabs) or of a list stands on its own
_ROW = re.compile(r"\n(?=[^\n]*\t)|(?<=\t)[^\n]*\n|\n(?=\s*(?:[-•*]\s|\|))")


@dataclass(frozen=True, slots=True)
class Section:
    """A section: its title and its half-open span in the normalised text."""

    title: str
    start: int
    end: int


@dataclass(frozen=True)
class Document:
    """One source, normalised, with its sections and sentences."""

    source_id: str
    raw: str
    normalised: NormalisedText
    sections: tuple[Section, ...]
    sentences: tuple[Sentence, ...]

    @property
    def text(self) -> str:
        """The normalised text."""
        return self.normalised.text

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original file that a span of the normalised text comes from."""
        return self.normalised.original_span(start, end)

    def to_normalised(self, raw_offset: int) -> int:
        """The first normalised character at or after an offset of the original file."""
        return bisect.bisect_left(self.normalised.offsets, raw_offset)

    def section_at(self, offset: int) -> str:
        """The title of the section that holds a normalised offset."""
        starts = [s.start for s in self.sections]
        i = bisect.bisect_right(starts, offset) - 1
        return self.sections[i].title if i >= 0 else OPENING

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence that holds a normalised offset, if any."""
        starts = [s.start for s in self.sentences]
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and self.sentences[i].start <= offset < self.sentences[i].end:
            return self.sentences[i]
        return None


def _sections(doc_text: str, headings: list[Heading], to_norm: list[int]) -> tuple[Section, ...]:
    """Sections from the headings that open them; numbered headings win where a document has them."""
    openers = [h for h in headings if h.numbered] or headings
    bounds = [(h.title, to_norm[i]) for i, h in enumerate(headings) if h in openers]
    out: list[Section] = []
    first = bounds[0][1] if bounds else len(doc_text)
    if first > 0:
        out.append(Section(OPENING, 0, first))
    for j, (title, start) in enumerate(bounds):
        end = bounds[j + 1][1] if j + 1 < len(bounds) else len(doc_text)
        out.append(Section(title, start, end))
    return tuple(out)


def prepare(source_id: str, raw: str) -> Document:
    """Normalise a text and find its sections and sentences."""
    normalised = normalise(raw)
    offsets = normalised.offsets

    def to_norm(raw_offset: int) -> int:
        return bisect.bisect_left(offsets, raw_offset)

    headings = find_headings(raw)
    starts = [to_norm(h.start) for h in headings]
    breaks = set(starts) | {to_norm(h.end) for h in headings}
    breaks.update(to_norm(m.end()) for m in _PARAGRAPH.finditer(raw))
    breaks.update(to_norm(m.end()) for m in _ROW.finditer(raw))
    breaks.update(to_norm(m.start()) for m in re.finditer(r"\t", raw))
    sentences = split_sentences(normalised.text, breaks)
    return Document(
        source_id, raw, normalised, _sections(normalised.text, headings, starts), tuple(sentences)
    )


def read_document(source: Source) -> Document:
    """Prepare a source of the manifest (its sha256 is checked on reading)."""
    return prepare(source.id, source.raw)
