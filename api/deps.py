"""Shared FastAPI dependencies as short ``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated

import pyoxigraph as ox
from fastapi import Depends, Request

from api.settings import Settings
from helixgraph.sparql import Service


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def get_store(request: Request) -> ox.Store:
    """The store, opened read-only once at startup (a snapshot of that build)."""
    store: ox.Store = request.app.state.store
    return store


SettingsDep = Annotated[Settings, Depends(get_settings)]
ServiceDep = Annotated[Service, Depends(get_service)]
StoreDep = Annotated[ox.Store, Depends(get_store)]
