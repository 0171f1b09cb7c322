"""The fixtures of the services whose meeting these tests check."""

from kotacerdas.births.tests.conftest import *  # noqa: F403 - fixtures, found by name
