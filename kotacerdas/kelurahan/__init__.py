"""Cirebon Sedulur: the kelurahan's letters, from the RW computer to the Lurah's signature.

A service (see kotacerdas.web.declarations.ServiceConfig); docs/kelurahan.md tells its story.
"""
