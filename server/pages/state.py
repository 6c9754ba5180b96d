"""What the pages keep between requests: the profile (read once), the index and the time the data last
changed (both per data generation), on the app's state, made on first use from the settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import Request

from cwkg.server.pages.profile import Profile
from cwkg.server.pages.values import Links
from cwkg.server.state import get_state

if TYPE_CHECKING:
    from cwkg.server.pages.index import Index

__all__ = ["PagesState", "get_pages"]


@dataclass
class PagesState:
    """The profile, the links, the cached index and the modification time of each data generation."""

    profile: Profile
    links: Links
    store: Path
    index: tuple[int, Index] | None = None
    _modified: dict[int, datetime] = field(default_factory=dict)

    def modified(self, generation: int) -> datetime:
        """When the data of a generation was made: the store's mtime, or when an update was first seen."""
        if generation not in self._modified:
            when = datetime.now(UTC)
            if generation == 0:
                mtimes = [p.stat().st_mtime for p in (self.store, *self.store.glob("*")) if p.exists()]
                if mtimes:
                    when = datetime.fromtimestamp(max(mtimes), UTC)
            self._modified[generation] = when.replace(microsecond=0)
        return self._modified[generation]


def get_pages(request: Request) -> PagesState:
    """The pages' state of this app, made from its settings on first use."""
    pages: PagesState | None = getattr(request.app.state, "pages", None)
    if pages is None:
        settings = get_state(request).settings
        pages = PagesState(
            Profile.load(settings.ontology_dir, settings.shapes_dir),
            Links(settings.base_url or ""),
            Path(settings.store),
        )
        request.app.state.pages = pages
    return pages


def modified(request: Request) -> datetime:
    """When the data now served was made."""
    return get_pages(request).modified(get_state(request).reads.generation)
