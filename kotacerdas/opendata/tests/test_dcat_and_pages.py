"""The DCAT-AP catalogue (parsed with rdflib) and the public pages."""

from __future__ import annotations

import pytest
from django.test import Client
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from kotacerdas.opendata.models import Dataset

FOAF = Namespace("http://xmlns.com/foaf/0.1/")


@pytest.mark.parametrize(
    ("path", "fmt"), [("/catalog.ttl", "turtle"), ("/catalog.jsonld", "json-ld")]
)
def test_every_package_list_dataset_is_in_the_catalogue_with_its_distributions(
    published, path, fmt
):
    Dataset.objects.filter(name="reports-reports-received-tahunan").update(status="returned")
    client = Client()
    names = client.get("/api/3/action/package_list").json()["result"]

    response = client.get(path)

    assert response.status_code == 200
    graph = Graph().parse(data=response.content.decode(), format=fmt)
    catalogs = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert len(catalogs) == 1
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == len(names)
    assert set(graph.objects(catalogs[0], DCAT.dataset)) == datasets
    for name in names:
        package = client.get("/api/3/action/package_show", {"id": name}).json()["result"]
        uri = URIRef(package["url"])
        assert uri in datasets, name
        assert str(graph.value(uri, DCTERMS.identifier)) == package["id"]
        assert str(graph.value(uri, DCTERMS.title)) == package["title"]
        publisher = graph.value(uri, DCTERMS.publisher)
        assert (publisher, RDF.type, FOAF.Agent) in graph
        downloads = {
            str(graph.value(distribution, DCAT.downloadURL))
            for distribution in graph.objects(uri, DCAT.distribution)
        }
        assert downloads == {r["url"] for r in package["resources"]}
        for distribution in graph.objects(uri, DCAT.distribution):
            assert str(graph.value(distribution, DCAT.mediaType)) in {
                "text/csv",
                "application/json",
            }
    assert URIRef("http://testserver/data/reports-reports-received-tahunan/") not in datasets


def test_the_catalogue_page_lists_published_datasets_by_agency(published):
    Dataset.objects.filter(name="reports-reports-received-tahunan").update(status="submitted")

    response = Client().get("/data/")

    assert response.status_code == 200
    text = response.content.decode()
    assert "Data terbuka Kota Cirebon" in text
    assert "Dinas Kesehatan" in text and "/data/posyandu-children-weighed-bulanan/" in text
    assert "/data/reports-reports-received-tahunan/" not in text
    assert "tepat waktu" in text


def test_a_dataset_page_shows_metadata_timeliness_downloads_and_the_first_rows(
    published, django_assert_max_num_queries
):
    client = Client()
    with django_assert_max_num_queries(8):
        response = client.get("/data/posyandu-children-weighed-bulanan/")

    assert response.status_code == 200
    text = response.content.decode()
    for words in (
        "Konsep",
        "Satuan",
        "ANAK",
        "Walidata",
        "Ketepatan waktu: tepat waktu",
        "Data spesifik",
    ):
        assert words in text
    assert "posyandu-children-weighed-bulanan.csv" in text
    assert "KEJAKSAN" in text


def test_a_dataset_not_published_has_no_page_and_no_download(published):
    dataset = Dataset.objects.get(name="literacy-wifi-sessions-bulanan")
    resource = dataset.resources.get(format="CSV")
    url = f"/data/{dataset.name}/berkas/{resource.uuid}/unduh/{resource.filename}"
    client = Client()
    assert client.get(url).status_code == 200
    assert client.get(url.replace(".csv", ".json")).status_code == 404  # another file's name

    Dataset.objects.filter(pk=dataset.pk).update(classification="terbatas")

    assert client.get(f"/data/{dataset.name}/").status_code == 404
    assert client.get(url).status_code == 404
    assert client.get("/data/no-such-dataset/").status_code == 404


def test_a_dataset_is_late_once_its_promised_release_passes(published):
    import datetime as dt

    Dataset.objects.filter(name="literacy-wifi-sessions-bulanan").update(
        next_release=dt.date(2020, 1, 5)
    )

    text = Client().get("/data/literacy-wifi-sessions-bulanan/").content.decode()

    assert "Ketepatan waktu: terlambat" in text


def test_the_late_mark_follows_the_schedule():
    import datetime as dt

    from kotacerdas.opendata.schedule import next_release, timeliness

    assert next_release(dt.date(2026, 12, 2), "Bulanan") == dt.date(2027, 1, 5)
    assert next_release(dt.date(2026, 3, 31), "Bulanan") == dt.date(2026, 4, 5)
    assert next_release(dt.date(2026, 3, 31), "Tahunan") == dt.date(2027, 1, 31)
    assert timeliness(dt.date(2026, 4, 5), dt.date(2026, 4, 5)) == "tepat waktu"
    assert timeliness(dt.date(2026, 4, 5), dt.date(2026, 4, 6)) == "terlambat"
    assert timeliness(None) == "belum dijadwalkan"
