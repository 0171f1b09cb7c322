"""Tests of how services meet: where one service's work shows in another's.

The services stand on the floor and never import each other (the
import-linter contracts in pyproject.toml); a test that checks, say, that a
birth registered in ``births`` appears as a child in ``posyandu`` needs both,
so it lives here, outside every service and outside the layers.

``sample_service/`` is a throwaway service installed only by
``test_sample_service.py``: it proves that a new service is its folder plus
one line in INSTALLED_APPS.
"""
