from __future__ import annotations

from kotacerdas.accounts.access import AnyUser, memberships


def is_sample_officer(user: AnyUser) -> bool:
    return any(m.role == "sample_officer" for m in memberships(user))
