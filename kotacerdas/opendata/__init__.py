"""Open data built from the services: aggregate datasets, a CKAN-compatible API, a DCAT catalogue.

The top layer: it only reads the services' figures (kotacerdas.web.figures); nothing imports it.
"""
