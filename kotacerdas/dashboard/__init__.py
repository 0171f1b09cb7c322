"""The smart city as a whole: one dashboard across every programme, and the collaboration behind it.

The top layer: it only reads the services' figures (kotacerdas.web.figures); nothing imports it.
"""
