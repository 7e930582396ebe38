"""The deck's provenance as CASE/UCO JSON-LD (caseontology.org, version 1.x).

For each exhibit (never an excluded one): its collection as a CASE investigative action (the
performer is the first collector, the other collectors, the witnesses and the holder are its
participants; the tool its instrument; the place its location; the collection time its start
time), the original medium as a device with its facets (the action's object), the files with
their sizes and recorded check values (its results), and a provenance record naming the
exhibit. SM3, which UCO's hash vocabulary lacks, is written as a plain string.

Node ids are UUIDv5 of what they stand for, so two exports of one deck give one graph and a
person named in several exhibits is one node.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

from ..deck import Deck, Exhibit
from ..deck.model import Medium

CONTEXT = {
    "kb": "http://example.org/kb/",
    "action": "https://ontology.unifiedcyberontology.org/uco/action/",
    "core": "https://ontology.unifiedcyberontology.org/uco/core/",
    "identity": "https://ontology.unifiedcyberontology.org/uco/identity/",
    "investigation": "https://ontology.caseontology.org/case/investigation/",
    "location": "https://ontology.unifiedcyberontology.org/uco/location/",
    "observable": "https://ontology.unifiedcyberontology.org/uco/observable/",
    "tool": "https://ontology.unifiedcyberontology.org/uco/tool/",
    "types": "https://ontology.unifiedcyberontology.org/uco/types/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
HASH_NAMES = {"md5": "MD5", "sha1": "SHA1", "sha256": "SHA256"}
"""Names of UCO's HashNameVocab; SM3 is not one (case_validate notes it, as an info)."""
METHODS = {
    "seizure": "Seizure and sealing of the original storage medium (Art. 28)",
    "onsite": "On-site extraction (Art. 28)",
    "online": "Online extraction (Art. 28)",
    "freeze": "Freezing (Art. 28)",
    "retrieval": "Retrieval from a holder (Art. 28)",
}
FILE_TIMES = {
    "created": "observable:observableCreatedTime",
    "modified": "observable:modifiedTime",
    "accessed": "observable:accessedTime",
    "changed": "observable:metadataChangeTime",
}
"""FileFacet's properties for the times a file had at collection ([[source.file]])."""
SOURCE_TAG = "shizheng:source"
"""The tag of the annotation that carries an exhibit's whole `[source]` as JSON: UCO has no
roles for an action's participants (collectors, witnesses, holder) nor a place for the
procedure, documents, changes and defects, so `import` reads them from here."""
_NAMESPACE = uuid.UUID("6f1d7c4e-93b5-5a8e-9a77-0c5e5d1a0b11")


def case_graph(deck: Deck) -> dict[str, Any]:
    graph = _Graph(deck.id, deck.root)
    actions = [graph.collection(exhibit) for exhibit in deck.exhibits if not exhibit.excluded]
    investigation = graph.node(
        "investigation:Investigation",
        "investigation",
        deck.id,
        **{"core:name": deck.case.title},
    )
    if deck.case.number:
        investigation["core:description"] = deck.case.number
    if actions:
        investigation["core:object"] = [{"@id": a} for a in actions]
    return {"@context": CONTEXT, "@graph": graph.nodes}


class _Graph:
    def __init__(self, deck_id: str, root: Path) -> None:
        self.deck_id, self.root = deck_id, root
        self.by_id: dict[str, dict[str, Any]] = {}

    @property
    def nodes(self) -> list[dict[str, Any]]:
        return list(self.by_id.values())

    def id(self, tag: str, key: str) -> str:
        """The node id for what `tag` and `key` name: the same in every export of the deck."""
        return f"kb:{tag}-{uuid.uuid5(_NAMESPACE, f'{self.deck_id}/{tag}/{key}')}"

    def node(self, kind: str, tag: str, key: str, **fields: Any) -> dict[str, Any]:
        """The node of this kind and key (made on first use)."""
        identifier = self.id(tag, key)
        if identifier not in self.by_id:
            self.by_id[identifier] = {"@id": identifier, "@type": kind, **fields}
        return self.by_id[identifier]

    def ref(self, node: dict[str, Any]) -> dict[str, str]:
        return {"@id": node["@id"]}

    def person(self, name: str) -> dict[str, str]:
        return self.ref(self.node("identity:Person", "person", name, **{"core:name": name}))

    def collection(self, exhibit: Exhibit) -> str:
        source = exhibit.source
        key = exhibit.id
        files = [self._file(exhibit, name) for name in exhibit.files]
        objects = list(files)
        device = self._device(exhibit, source.medium) if source.medium else None
        if device:
            objects.insert(0, device)
        record = self.node(
            "investigation:ProvenanceRecord",
            "provenance-record",
            key,
            **{
                "investigation:exhibitNumber": exhibit.id,
                "core:name": exhibit.title,
                # an exhibit with no file (a markdown item): the record of its collection
                "core:object": objects or [{"@id": self.id("investigative-action", key)}],
            },
        )
        action: dict[str, Any] = {
            "core:name": METHODS[source.method],
            "core:description": f"{exhibit.id} {exhibit.title}",
        }
        collectors = [self.person(n) for n in source.collectors]
        if collectors:
            action["action:performer"] = collectors[0]
        participants = collectors[1:] + [self.person(n) for n in source.witnesses]
        if source.holder:
            participants.append(self.person(source.holder))
        if participants:
            action["action:participant"] = participants
        if source.tool:
            tool = self.node("tool:Tool", "tool", source.tool, **{"core:name": source.tool})
            action["action:instrument"] = [self.ref(tool)]
        if source.location:
            place = self.node(
                "location:Location",
                "location",
                source.location,
                **{"core:description": source.location},
            )
            action["action:location"] = [self.ref(place)]
        if source.collected_at is not None:
            action["action:startTime"] = {
                "@type": "xsd:dateTime",
                "@value": _datetime(source.collected_at),
            }
        if device:
            action["action:object"] = [device]
        action["action:result"] = [*files, self.ref(record)]
        action_id = self.node(
            "investigation:InvestigativeAction", "investigative-action", key, **action
        )["@id"]
        self.node(
            "core:Annotation",
            "annotation",
            key,
            **{
                "core:tag": [SOURCE_TAG],
                "core:object": [{"@id": action_id}],
                "core:statement": source_statement(exhibit),
            },
        )
        return action_id

    def _device(self, exhibit: Exhibit, medium: Medium) -> dict[str, str]:
        facet: dict[str, Any] = {}
        if medium.brand:
            maker = self.node(
                "identity:Organization", "organization", medium.brand, **{"core:name": medium.brand}
            )
            facet["observable:manufacturer"] = self.ref(maker)
        if medium.model:
            facet["observable:model"] = medium.model
        if medium.serial:
            facet["observable:serialNumber"] = medium.serial
        key = medium.serial or f"{exhibit.id}/medium"
        facets = []
        if facet:
            facets.append(self._facet("observable:DeviceFacet", "device-facet", key, facet))
        details = " · ".join(p for p in (medium.capacity, medium.identifier) if p)
        fields: dict[str, Any] = {}
        if facets:
            fields["core:hasFacet"] = facets
        if details:
            fields["core:description"] = details
        return self.ref(self.node("observable:Device", "device", key, **fields))

    def _facet(self, kind: str, tag: str, key: str, fields: dict[str, Any]) -> dict[str, Any]:
        return {"@id": self.id(tag, key), "@type": kind, **fields}

    def _file(self, exhibit: Exhibit, name: str) -> dict[str, str]:
        key = f"{exhibit.id}/{name}"
        file_facet: dict[str, Any] = {"observable:fileName": name.rsplit("/", 1)[-1]}
        size = (self.root / name).stat().st_size
        file_facet["observable:sizeInBytes"] = {"@type": "xsd:integer", "@value": str(size)}
        recorded = next((r for r in exhibit.source.files if r.file == name), None)
        for field, prop in FILE_TIMES.items():
            value = getattr(recorded, field, None)
            if value is not None:  # the file's own times, recorded at collection
                file_facet[prop] = {"@type": "xsd:dateTime", "@value": _datetime(value)}
        facets = [self._facet("observable:FileFacet", "file-facet", key, file_facet)]
        hashes = [
            self._hash(key, h.algorithm, h.value) for h in exhibit.source.hashes if h.file == name
        ]
        if hashes:
            facets.append(
                self._facet(
                    "observable:ContentDataFacet",
                    "content-data-facet",
                    key,
                    {"observable:hash": hashes},
                )
            )
        return self.ref(self.node("observable:File", "file", key, **{"core:hasFacet": facets}))

    def _hash(self, key: str, algorithm: str, value: str) -> dict[str, Any]:
        method = HASH_NAMES.get(algorithm, algorithm.upper())  # a string, as of UCO 1.4.0
        return {
            "@id": self.id("hash", f"{key}/{algorithm}"),
            "@type": "types:Hash",
            "types:hashMethod": method,
            "types:hashValue": {"@type": "xsd:hexBinary", "@value": value.upper()},
        }


def source_statement(exhibit: Exhibit) -> str:
    """The exhibit's title, type, view and `[source]` as JSON, keys as the deck writes them,
    times in ISO 8601 with their offsets."""
    source = _pruned(dataclasses.asdict(exhibit.source))
    renamed = {"hashes": "hash", "changes": "change", "defects": "defect", "files": "file"}
    data: dict[str, Any] = {"title": exhibit.title, "type": exhibit.type, "view": exhibit.view}
    data |= {renamed.get(key, key): value for key, value in source.items()}
    return json.dumps(data, ensure_ascii=False, default=_json_time, sort_keys=True)


def _pruned(value: Any) -> Any:
    """`value` without its empty fields, at any depth."""
    if isinstance(value, dict):
        kept = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in (None, "", (), [], {})}
    if isinstance(value, list | tuple):
        return [_pruned(v) for v in value]
    return value


def _json_time(value: object) -> str:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _datetime(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return dt.datetime.combine(value, dt.time()).isoformat()
