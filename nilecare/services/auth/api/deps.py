"""Dependencies of the auth routes: the service state, the caller's address, the actor."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from nilecare.kernel.context import current_context
from nilecare.services.auth.service.common import Client
from nilecare.services.auth.state import AuthState


def get_state(request: Request) -> AuthState:
    state: AuthState = request.app.state.auth
    return state


def get_client(request: Request) -> Client:
    ctx = current_context()
    agent = request.headers.get("user-agent")
    return Client(ip=ctx.client_ip if ctx else None, user_agent=agent[:255] if agent else None)


State = Annotated[AuthState, Depends(get_state)]
CallerClient = Annotated[Client, Depends(get_client)]
