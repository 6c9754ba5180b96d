"""What the pages keep between requests: the profile and links (read once from the settings), the index
and the time the data last changed (both per data generation). Part of the server state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from cwkg.config import Settings
from cwkg.server.pages.index import Index
from cwkg.server.pages.profile import Profile
from cwkg.server.pages.values import Links

__all__ = ["PagesState"]


@dataclass
class PagesState:
    """The profile, the links, the cached index and the modification time of each data generation."""

    profile: Profile
    links: Links
    store: Path
    index: tuple[int, Index] | None = None
    _modified: dict[int, datetime] = field(default_factory=dict)

    @classmethod
    def load(cls, settings: Settings) -> PagesState:
        """The pages' state of a server: the profile read from the ontology and the shapes."""
        return cls(
            Profile.load(settings.ontology_dir, settings.shapes_dir),
            Links(settings.base_url or ""),
            Path(settings.store),
        )

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
