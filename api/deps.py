"""Shared FastAPI dependencies as short ``Annotated`` aliases.

Dependencies are ``async def``: FastAPI runs a plain ``def`` dependency in its thread
pool, a hop of about 0.1 ms per dependency per request for what is a dictionary lookup.
"""

from __future__ import annotations

from typing import Annotated

import pyoxigraph as ox
from fastapi import Depends, Request

from api.settings import Settings
from helixgraph.sparql import Service
from helixgraph.store.access import Current


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


async def get_store(request: Request) -> ox.Store:
    """The store's current build, read-only (a request keeps the build it started with)."""
    current: Current = request.app.state.store
    return current.get()


SettingsDep = Annotated[Settings, Depends(get_settings)]
ServiceDep = Annotated[Service, Depends(get_service)]
StoreDep = Annotated[ox.Store, Depends(get_store)]
