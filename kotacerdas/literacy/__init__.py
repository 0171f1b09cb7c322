"""Cirebon Melet: the city's free WiFi points and digital-literacy classes.

A service (see kotacerdas.web.declarations.ServiceConfig); docs/literacy.md tells its story.
"""
