package dev.tracewire.trpc

/** The kinds of src/trpc/frame_format.h's CodecError; [wireName] is its stable name. */
enum class CodecErrorKind(val wireName: String) {
    BAD_MAGIC("bad magic"), // first two bytes are not 0x0930
    BAD_FRAME_TYPE("bad frame type"), // unknown data/stream frame type, or unary/stream mixed
    TOO_LARGE("too large"), // total size above the maximum
    BAD_SIZE("bad size"), // total size below 16, header size past the total, or extra bytes
    TRUNCATED("truncated"), // fewer bytes than the header announces
    BAD_PROTOCOL_HEADER("bad protocol header"), // the protobuf header does not parse
    BAD_ATTACHMENT_SIZE("bad attachment size"), // attachment size past the frame's end
}

/** Thrown by every decoder and encoder of dev.tracewire.trpc on bytes that are not a frame. */
class CodecException(val kind: CodecErrorKind, detail: String = "") :
    Exception(if (detail.isEmpty()) kind.wireName else "${kind.wireName}: $detail")

/** tRPC framework return codes (ResponseProtocol.ret), numbered as trpc.proto's TrpcRetCode. */
object RetCode {
    const val OK = 0
    const val SERVER_DECODE_ERR = 1
    const val SERVER_ENCODE_ERR = 2
    const val SERVER_NOSERVICE_ERR = 11
    const val SERVER_NOFUNC_ERR = 12
    const val SERVER_TIMEOUT_ERR = 21
    const val SERVER_OVERLOAD_ERR = 22
    const val SERVER_SYSTEM_ERR = 31
    const val CLIENT_INVOKE_TIMEOUT_ERR = 101
    const val CLIENT_CONNECT_ERR = 111
    const val CLIENT_ENCODE_ERR = 121
    const val CLIENT_DECODE_ERR = 122
    const val CLIENT_NETWORK_ERR = 141
    const val CLIENT_CANCELED_ERR = 161
    const val INVOKE_UNKNOWN_ERR = 999

    private val names =
        mapOf(
            SERVER_DECODE_ERR to "server decode",
            SERVER_ENCODE_ERR to "server encode",
            SERVER_NOSERVICE_ERR to "server no such service",
            SERVER_NOFUNC_ERR to "server no such func",
            SERVER_TIMEOUT_ERR to "server timeout",
            SERVER_OVERLOAD_ERR to "server overload",
            SERVER_SYSTEM_ERR to "server system",
            CLIENT_INVOKE_TIMEOUT_ERR to "client invoke timeout",
            CLIENT_CONNECT_ERR to "client connect",
            CLIENT_ENCODE_ERR to "client encode",
            CLIENT_DECODE_ERR to "client decode",
            CLIENT_NETWORK_ERR to "client network",
            CLIENT_CANCELED_ERR to "client canceled",
            INVOKE_UNKNOWN_ERR to "invoke unknown",
        )

    /** A short lowercase description ("server no such func"), or "" for an unlisted code. */
    fun describe(ret: Int): String = names[ret] ?: ""
}
