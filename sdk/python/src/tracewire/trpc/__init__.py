"""tRPC over asyncio: the frame codec (frame, protocol), a server and a client."""

from tracewire.trpc.call import CallResult, ClientRequest, ServerCall, TrpcError
from tracewire.trpc.client import Client, ClientInterceptor
from tracewire.trpc.errors import CodecError, CodecErrorKind
from tracewire.trpc.ret_codes import RetCode
from tracewire.trpc.server import Handler, Server, ServerInterceptor

__all__ = [
    "CallResult",
    "Client",
    "ClientInterceptor",
    "ClientRequest",
    "CodecError",
    "CodecErrorKind",
    "Handler",
    "RetCode",
    "Server",
    "ServerCall",
    "ServerInterceptor",
    "TrpcError",
]
