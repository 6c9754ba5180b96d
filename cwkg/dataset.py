"""The dataset described in DCAT and VoID, by the server (/.well-known/void) and by `cwkg release` alike.

The dataset's IRI is the same wherever it is served (https://w3id.org/cwkg/dataset); each release is a
version of it (https://w3id.org/cwkg/dataset/1.1.0) with dcat:version, dct:issued, dct:modified, its
licence, prov:wasRevisionOf the release before, and one distribution per dump with size and SHA-256.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from cwkg.buildinfo import BuildInfo
from cwkg.namespaces import BASE, DCAT, DCTERMS, PREFIXES, XSD

__all__ = [
    "DATASET",
    "DUMP_KINDS",
    "Distribution",
    "DumpKind",
    "TITLE",
    "distribution_triples",
    "dump_kind",
    "licence_name",
    "version_iri",
    "version_triples",
]

DATASET = BASE + "dataset"
TITLE = "The Children's Workforce Knowledge Graph"
RDF_TYPE = PREFIXES["rdf"] + "type"
SPDX = "http://spdx.org/rdf/terms#"
MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
#: Licences by IRI: the short name people read and the SPDX identifier (CITATION.cff).
LICENCES: dict[str, tuple[str, str]] = {
    "https://creativecommons.org/licenses/by/4.0/": ("CC BY 4.0", "CC-BY-4.0"),
    "https://creativecommons.org/licenses/by-sa/4.0/": ("CC BY-SA 4.0", "CC-BY-SA-4.0"),
    "https://creativecommons.org/publicdomain/zero/1.0/": ("CC0 1.0", "CC0-1.0"),
    "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/": ("OGL v3.0", "OGL-UK-3.0"),
}


def licence_name(iri: str) -> str:
    """A licence as people name it (its IRI when it is not one we know)."""
    return LICENCES.get(iri, (iri, ""))[0]


@dataclass(frozen=True)
class Distribution:
    """One downloadable file of the dataset."""

    iri: str
    download_url: str | None
    title: str
    media_type: str
    encoding: str | None
    size: int
    sha256: str


@dataclass(frozen=True)
class DumpKind:
    """What a dump file is, told by its suffix: the distribution's media type, compression and title."""

    media_type: str
    encoding: str | None
    title: str


#: The dumps of a build by file suffix, as the server lists them and a release describes them.
DUMP_KINDS: dict[str, DumpKind] = {
    ".ttl": DumpKind("text/turtle", None, "Turtle: every triple, in the union of the graphs"),
    ".trig": DumpKind("application/trig", None, "TriG: every quad, with its named graph"),
    ".nt": DumpKind("application/n-triples", None, "N-Triples: one triple a line"),
    ".ttl.gz": DumpKind("text/turtle", "gzip", "Turtle, gzipped"),
    ".trig.gz": DumpKind("application/trig", "gzip", "TriG, gzipped"),
    ".nt.gz": DumpKind("application/n-triples", "gzip", "N-Triples, gzipped"),
}


def dump_kind(name: str) -> DumpKind | None:
    """The kind of a file by its longest matching suffix (`x.ttl.gz` is gzipped Turtle); None if no dump."""
    return next((DUMP_KINDS[s] for s in sorted(DUMP_KINDS, key=len, reverse=True) if name.endswith(s)), None)


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def version_iri(version: str) -> str:
    """The IRI of one version of the dataset."""
    return f"{DATASET}/{version}"


def _date(value: str) -> ox.Literal:
    """An xsd:date, or an xsd:dateTime when the value has a time."""
    return ox.Literal(value, datatype=_n(XSD + ("dateTime" if "T" in value else "date")))


def version_triples(
    subject: str, info: BuildInfo, *, issued: str | None = None, previous: str | None = None
) -> list[ox.Triple]:
    """What a build or release says of its version: its number, dates, and the version it revises."""
    node = _n(subject)
    t = [
        ox.Triple(node, _n(DCAT + "version"), ox.Literal(info.version)),
        ox.Triple(node, _n(DCTERMS + "issued"), _date(issued or info.date)),
        ox.Triple(node, _n(DCTERMS + "modified"), _date(info.built)),
    ]
    if subject != DATASET:
        t.append(ox.Triple(node, _n(DCTERMS + "isVersionOf"), _n(DATASET)))
        t.append(ox.Triple(_n(DATASET), _n(DCTERMS + "hasVersion"), node))
    if previous:
        t.append(ox.Triple(node, _n(PREFIXES["prov"] + "wasRevisionOf"), _n(version_iri(previous))))
    return t


def distribution_triples(dataset: str, dist: Distribution, licence: str) -> list[ox.Triple]:
    """One dcat:Distribution (and void:dataDump) with its media type, byte size, licence and SHA-256."""
    node, checksum = _n(dist.iri), _n(dist.iri + "#sha256")
    t = [
        ox.Triple(_n(dataset), _n(DCAT + "distribution"), node),
        ox.Triple(_n(dataset), _n(PREFIXES["void"] + "dataDump"), _n(dist.download_url or dist.iri)),
        ox.Triple(node, _n(RDF_TYPE), _n(DCAT + "Distribution")),
        ox.Triple(node, _n(DCTERMS + "title"), ox.Literal(dist.title, language="en")),
        ox.Triple(node, _n(DCAT + "mediaType"), _n(MEDIA_TYPES + dist.media_type)),
        ox.Triple(
            node, _n(DCAT + "byteSize"), ox.Literal(str(dist.size), datatype=_n(XSD + "nonNegativeInteger"))
        ),
        ox.Triple(node, _n(DCTERMS + "license"), _n(licence)),
        ox.Triple(node, _n(SPDX + "checksum"), checksum),
        ox.Triple(checksum, _n(RDF_TYPE), _n(SPDX + "Checksum")),
        ox.Triple(checksum, _n(SPDX + "algorithm"), _n(SPDX + "checksumAlgorithm_sha256")),
        ox.Triple(
            checksum, _n(SPDX + "checksumValue"), ox.Literal(dist.sha256, datatype=_n(XSD + "hexBinary"))
        ),
    ]
    if dist.download_url:
        t.append(ox.Triple(node, _n(DCAT + "downloadURL"), _n(dist.download_url)))
    if dist.encoding == "gzip":
        t.append(ox.Triple(node, _n(DCAT + "compressFormat"), _n(MEDIA_TYPES + "application/gzip")))
    return t
