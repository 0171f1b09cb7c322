from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from kotacerdas.messaging.models import Message


@dataclass(frozen=True)
class SendResult:
    """What a gateway said: accepted (with its id), or an error worth a retry or not."""

    accepted: bool
    gateway_id: str = ""
    retry: bool = False
    error: str = ""


class GatewayError(Exception):
    """A gateway could not be reached or answered badly; ``retry`` says if trying again helps."""

    def __init__(self, message: str, *, retry: bool = True) -> None:
        super().__init__(message)
        self.retry = retry


class Adapter(ABC):
    """One way of sending and receiving SMS. Subclasses set ``code`` and ``name``.

    ``send`` hands one stored outbound message to the gateway and returns what
    the gateway answered; it raises nothing for a refused message (that is a
    ``SendResult``) and ``GatewayError`` only when the gateway is unreachable.
    Inbound messages reach ``messaging.actions.receive`` from the adapter's
    own entry point (a webhook view, a poller command, a management command).
    """

    code: ClassVar[str]
    name: ClassVar[str]
    # Whether ``send`` may run in several threads at once (``messaging.outbox``):
    # an HTTP gateway, whose calls share nothing but the server at the other end.
    concurrent: ClassVar[bool] = False

    @abstractmethod
    def send(self, message: Message) -> SendResult: ...
