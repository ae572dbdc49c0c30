"""tRPC framework return codes (ResponseProtocol.ret), numbered as trpc.proto's TrpcRetCode."""

from __future__ import annotations

import enum


class RetCode(enum.IntEnum):
    """Framework codes; `func_ret` (the business code) is free-form and not listed here."""

    OK = 0
    SERVER_DECODE_ERR = 1
    SERVER_ENCODE_ERR = 2
    SERVER_NOSERVICE_ERR = 11
    SERVER_NOFUNC_ERR = 12
    SERVER_TIMEOUT_ERR = 21
    SERVER_OVERLOAD_ERR = 22
    SERVER_LIMITED_ERR = 23
    SERVER_FULL_LINK_TIMEOUT_ERR = 24
    SERVER_SYSTEM_ERR = 31
    SERVER_AUTH_ERR = 41
    SERVER_VALIDATE_ERR = 51
    CLIENT_INVOKE_TIMEOUT_ERR = 101
    CLIENT_FULL_LINK_TIMEOUT_ERR = 102
    CLIENT_CONNECT_ERR = 111
    CLIENT_ENCODE_ERR = 121
    CLIENT_DECODE_ERR = 122
    CLIENT_LIMITED_ERR = 123
    CLIENT_OVERLOAD_ERR = 124
    CLIENT_ROUTER_ERR = 131
    CLIENT_NETWORK_ERR = 141
    CLIENT_VALIDATE_ERR = 151
    CLIENT_CANCELED_ERR = 161
    CLIENT_READ_FRAME_ERR = 171
    INVOKE_UNKNOWN_ERR = 999


def describe(ret: int) -> str:
    """A short lowercase description ("server no such func"), or "" for an unknown code."""
    try:
        name = RetCode(ret).name
    except ValueError:
        return ""
    words = name.removesuffix("_ERR").lower().replace("_", " ")
    return words.replace("nofunc", "no such func").replace("noservice", "no such service")
