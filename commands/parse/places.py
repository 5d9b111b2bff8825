"""Kommuner, fylker and embeter from what people type.  (INTERFACE STUB — to be implemented)"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from storage.reference import EmbeteRef, FylkeRef, Geography, KommuneRef


@dataclass(frozen=True)
class Scope:
    """What a status question is about."""

    kind: Literal["embete", "fylke", "kommune", "landet"]
    embete: EmbeteRef | None = None
    fylke: FylkeRef | None = None
    kommune: KommuneRef | None = None


def resolve_kommune(text: str, geo: Geography) -> KommuneRef:
    """One kommune by name or number; raises UsageError (unknown with closest names, or
    ambiguous with both and their fylke)."""
    raise NotImplementedError


def resolve_kommuner(text: str, geo: Geography) -> list[KommuneRef]:
    """Several kommuner separated by ``,`` or ``og`` (keeping names like Evje og Hornnes)."""
    raise NotImplementedError


def resolve_embete(text: str, geo: Geography) -> EmbeteRef:
    """An embete by its name, a fylke in it, an old name (Viken, Troms) or a short form."""
    raise NotImplementedError


def resolve_scope(text: str, geo: Geography) -> Scope:
    """``landet``, an embete, a fylke or a kommune (in that order of preference)."""
    raise NotImplementedError
