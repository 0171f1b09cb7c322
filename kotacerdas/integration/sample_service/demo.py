from __future__ import annotations

from kotacerdas.accounts.demo import Persona, build_personas
from kotacerdas.web.declarations import DemoContext

PERSONAS = [Persona("sample.officer", "Sample Officer", "sample_officer", "dkis", "sample desk")]


def build_demo(context: DemoContext) -> list[Persona]:
    context.write("Sample service: ready")
    return build_personas(PERSONAS)
