"""The DCAT-AP catalogue of the published datasets, as Turtle and as JSON-LD.

Written by plain code (rdflib is only a development dependency: the tests
parse both with it). One ``dcat:Dataset`` per published dataset, one
``dcat:Distribution`` per file, the producing agency as ``dct:publisher``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.urls import reverse

from kotacerdas.opendata.ckan import MIMETYPES, published
from kotacerdas.opendata.models import Dataset, Resource

Absolute = Callable[[str], str]
PREFIXES = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
}
FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/MONTHLY"
FORMATS = "http://publications.europa.eu/resource/authority/file-type/"


def _text(value: str) -> dict[str, str]:
    return {"@value": value, "@language": "id"}


def _graph(absolute: Absolute) -> list[dict[str, Any]]:
    """The catalogue as JSON-LD nodes (the Turtle is written from the same nodes)."""
    catalog: dict[str, Any] = {
        "@id": absolute(reverse("opendata:catalog", args=["ttl"]).rsplit(".", 1)[0]),
        "@type": "dcat:Catalog",
        "dct:title": _text("Data Terbuka Kota Cirebon"),
        "dct:description": _text("Data agregat layanan Kota Cerdas Cirebon per kelurahan."),
        "dct:language": {"@id": "http://id.loc.gov/vocabulary/iso639-1/id"},
        "dcat:dataset": [],
    }
    nodes: list[dict[str, Any]] = [catalog]
    for dataset in published().order_by("name"):
        dataset_nodes = _dataset_nodes(dataset, absolute)
        catalog["dcat:dataset"].append({"@id": dataset_nodes[0]["@id"]})
        nodes += dataset_nodes
    return nodes


def _dataset_nodes(dataset: Dataset, absolute: Absolute) -> list[dict[str, Any]]:
    """The dataset, its publisher and its distributions."""
    uri = absolute(reverse("opendata:dataset", args=[dataset.name]))
    catalogue = absolute(reverse("opendata:catalogue"))
    publisher = {
        "@id": f"{catalogue}#organisasi-{dataset.organization.name}",
        "@type": "foaf:Agent",
        "foaf:name": _text(dataset.organization.title),
    }
    distributions = [
        _distribution(dataset, resource, uri, absolute) for resource in dataset.resources.all()
    ]
    node = {
        "@id": uri,
        "@type": "dcat:Dataset",
        "dct:identifier": str(dataset.uuid),
        "dct:title": _text(dataset.title),
        "dct:description": _text(dataset.definition),
        "dcat:keyword": [_text(dataset.app)],
        "dcat:landingPage": {"@id": uri},
        "dct:issued": _date(dataset.first_issued or dataset.metadata_created),
        "dct:modified": _date(dataset.metadata_modified),
        "dct:publisher": {"@id": publisher["@id"]},
        "dct:accrualPeriodicity": {"@id": FREQUENCY},
        "dct:spatial": _text(dataset.coverage),
        "dcat:distribution": [{"@id": d["@id"]} for d in distributions],
    }
    return [node, publisher, *distributions]


def _distribution(
    dataset: Dataset, resource: Resource, uri: str, absolute: Absolute
) -> dict[str, Any]:
    url = absolute(
        reverse("opendata:download", args=[dataset.name, str(resource.uuid), resource.filename])
    )
    return {
        "@id": f"{uri}#{resource.format.lower()}",
        "@type": "dcat:Distribution",
        "dct:title": _text(f"{dataset.title} ({resource.format})"),
        "dcat:downloadURL": {"@id": url},
        "dcat:accessURL": {"@id": uri},
        "dcat:mediaType": MIMETYPES[resource.format],
        "dct:format": {"@id": FORMATS + resource.format},
        "dcat:byteSize": {"@value": str(resource.size), "@type": "xsd:decimal"},
        "dct:modified": _date(resource.last_modified),
        "dct:license": {"@id": "http://www.opendefinition.org/licenses/cc-by"},
    }


def _date(moment: Any) -> dict[str, str]:
    return {"@value": moment.isoformat(), "@type": "xsd:dateTime"}


def jsonld(absolute: Absolute) -> str:
    document = {"@context": PREFIXES, "@graph": _graph(absolute)}
    return json.dumps(document, ensure_ascii=False, indent=1)


def turtle(absolute: Absolute) -> str:
    lines = [f"@prefix {name}: <{uri}> ." for name, uri in PREFIXES.items()]
    seen: set[str] = set()
    for node in _graph(absolute):
        if node["@id"] in seen:  # an agency publishing several datasets
            continue
        seen.add(node["@id"])
        lines.append("")
        lines.append(f"{_iri(node['@id'])} a {node['@type']}")
        for key, value in node.items():
            if key.startswith("@"):
                continue
            values = value if isinstance(value, list) else [value]
            if values:
                objects = ", ".join(_object(v) for v in values)
                lines.append(f"    ; {key} {objects}")
        lines.append("    .")
    return "\n".join(lines) + "\n"


def _iri(uri: str) -> str:
    return "<" + uri.replace(">", "%3E").replace(" ", "%20") + ">"


def _literal(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


def _object(value: Any) -> str:
    if isinstance(value, str):
        return _literal(value)
    if "@id" in value:
        return _iri(value["@id"])
    text = _literal(str(value["@value"]))
    if "@language" in value:
        return f"{text}@{value['@language']}"
    if "@type" in value:
        return f"{text}^^{value['@type']}"
    return text
