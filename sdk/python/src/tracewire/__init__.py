"""tracewire: tRPC over asyncio, traced with OpenTelemetry (see README.md)."""

__version__ = "0.1.0"
