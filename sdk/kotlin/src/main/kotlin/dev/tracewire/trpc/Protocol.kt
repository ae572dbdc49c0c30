package dev.tracewire.trpc

import dev.tracewire.trpc.Wire.LEN
import dev.tracewire.trpc.Wire.VARINT
import java.io.ByteArrayOutputStream

/*
 * The protobuf headers of tRPC frames (trpc.proto of trpc-group/trpc; field numbers and types as
 * there), coded by hand. uint32 fields are Long (0..2^32-1), int32 fields Int. Strings are UTF-8;
 * trans_info values are bytes, kept in wire order. Encoding writes fields in field-number order
 * and omits zero scalars and empty bytes (as libprotobuf and trpc-go do); map entries always hold
 * key and value. Decoding keeps the last of a repeated scalar, merges repeated sub-messages,
 * skips unknown fields of valid wire types, and throws BAD_PROTOCOL_HEADER otherwise.
 */

private fun u32(v: Long) = v and 0xFFFFFFFFL

private fun str(f: Wire.Field) = f.bytes!!.decodeToString()

private fun putEntry(map: MutableMap<String, ByteArray>, f: Wire.Field) {
    val (k, v) = Wire.mapEntry(f.bytes!!)
    map[k] = v
}

/** trpc.RequestProtocol. [timeout] is in ms (0 = none); [callType] 0 unary, 1 oneway. */
data class RequestHead(
    var version: Long = 0,
    var callType: Long = 0,
    var requestId: Long = 0,
    var timeout: Long = 0,
    var caller: String = "",
    var callee: String = "",
    var func: String = "",
    var messageType: Long = 0,
    var transInfo: MutableMap<String, ByteArray> = LinkedHashMap(),
    var contentType: Long = 0,
    var contentEncoding: Long = 0,
    var attachmentSize: Long = 0,
) {
    fun encode(): ByteArray {
        val out = ByteArrayOutputStream(64 + func.length * 2)
        Wire.putU32(out, 1, version)
        Wire.putU32(out, 2, callType)
        Wire.putU32(out, 3, requestId)
        Wire.putU32(out, 4, timeout)
        Wire.putString(out, 5, caller)
        Wire.putString(out, 6, callee)
        Wire.putString(out, 7, func)
        Wire.putU32(out, 8, messageType)
        Wire.putMap(out, 9, transInfo)
        Wire.putU32(out, 10, contentType)
        Wire.putU32(out, 11, contentEncoding)
        Wire.putU32(out, 12, attachmentSize)
        return out.toByteArray()
    }

    companion object {
        private val SCHEMA = (1..12).associateWith { if (it in setOf(5, 6, 7, 9)) LEN else VARINT }

        fun decode(data: ByteArray, from: Int = 0, to: Int = data.size): RequestHead {
            val h = RequestHead()
            for (f in Wire.fields(data, from, to, SCHEMA)) {
                when (f.number) {
                    1 -> h.version = u32(f.varint)
                    2 -> h.callType = u32(f.varint)
                    3 -> h.requestId = u32(f.varint)
                    4 -> h.timeout = u32(f.varint)
                    5 -> h.caller = str(f)
                    6 -> h.callee = str(f)
                    7 -> h.func = str(f)
                    8 -> h.messageType = u32(f.varint)
                    9 -> putEntry(h.transInfo, f)
                    10 -> h.contentType = u32(f.varint)
                    11 -> h.contentEncoding = u32(f.varint)
                    12 -> h.attachmentSize = u32(f.varint)
                }
            }
            return h
        }
    }
}

/** trpc.ResponseProtocol (there is no field 11). [ret] is the framework code, [funcRet] the business one. */
data class ResponseHead(
    var version: Long = 0,
    var callType: Long = 0,
    var requestId: Long = 0,
    var ret: Int = 0,
    var funcRet: Int = 0,
    var errorMsg: String = "",
    var messageType: Long = 0,
    var transInfo: MutableMap<String, ByteArray> = LinkedHashMap(),
    var contentType: Long = 0,
    var contentEncoding: Long = 0,
    var attachmentSize: Long = 0,
) {
    fun encode(): ByteArray {
        val out = ByteArrayOutputStream(64 + errorMsg.length * 2)
        Wire.putU32(out, 1, version)
        Wire.putU32(out, 2, callType)
        Wire.putU32(out, 3, requestId)
        Wire.putI32(out, 4, ret)
        Wire.putI32(out, 5, funcRet)
        Wire.putString(out, 6, errorMsg)
        Wire.putU32(out, 7, messageType)
        Wire.putMap(out, 8, transInfo)
        Wire.putU32(out, 9, contentType)
        Wire.putU32(out, 10, contentEncoding)
        Wire.putU32(out, 12, attachmentSize)
        return out.toByteArray()
    }

    companion object {
        private val SCHEMA = listOf(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12).associateWith { if (it == 6 || it == 8) LEN else VARINT }

        fun decode(data: ByteArray, from: Int = 0, to: Int = data.size): ResponseHead {
            val h = ResponseHead()
            for (f in Wire.fields(data, from, to, SCHEMA)) {
                when (f.number) {
                    1 -> h.version = u32(f.varint)
                    2 -> h.callType = u32(f.varint)
                    3 -> h.requestId = u32(f.varint)
                    4 -> h.ret = f.varint.toInt()
                    5 -> h.funcRet = f.varint.toInt()
                    6 -> h.errorMsg = str(f)
                    7 -> h.messageType = u32(f.varint)
                    8 -> putEntry(h.transInfo, f)
                    9 -> h.contentType = u32(f.varint)
                    10 -> h.contentEncoding = u32(f.varint)
                    12 -> h.attachmentSize = u32(f.varint)
                }
            }
            return h
        }
    }
}

/** trpc.TrpcStreamInitRequestMeta. */
data class StreamInitRequestMeta(
    var caller: String = "",
    var callee: String = "",
    var func: String = "",
    var messageType: Long = 0,
    var transInfo: MutableMap<String, ByteArray> = LinkedHashMap(),
) {
    fun encode(): ByteArray {
        val out = ByteArrayOutputStream()
        Wire.putString(out, 1, caller)
        Wire.putString(out, 2, callee)
        Wire.putString(out, 3, func)
        Wire.putU32(out, 4, messageType)
        Wire.putMap(out, 5, transInfo)
        return out.toByteArray()
    }

    fun merge(data: ByteArray) {
        for (f in Wire.fields(data, mapOf(1 to LEN, 2 to LEN, 3 to LEN, 4 to VARINT, 5 to LEN))) {
            when (f.number) {
                1 -> caller = str(f)
                2 -> callee = str(f)
                3 -> func = str(f)
                4 -> messageType = u32(f.varint)
                5 -> putEntry(transInfo, f)
            }
        }
    }
}

/** trpc.TrpcStreamInitResponseMeta. */
data class StreamInitResponseMeta(var ret: Int = 0, var errorMsg: String = "") {
    fun encode(): ByteArray {
        val out = ByteArrayOutputStream()
        Wire.putI32(out, 1, ret)
        Wire.putString(out, 2, errorMsg)
        return out.toByteArray()
    }

    fun merge(data: ByteArray) {
        for (f in Wire.fields(data, mapOf(1 to VARINT, 2 to LEN))) {
            if (f.number == 1) ret = f.varint.toInt() else errorMsg = str(f)
        }
    }
}

/** trpc.TrpcStreamInitMeta; [initWindowSize] in bytes. Present sub-messages are written even when empty. */
data class StreamInitMeta(
    var requestMeta: StreamInitRequestMeta? = null,
    var responseMeta: StreamInitResponseMeta? = null,
    var initWindowSize: Long = 0,
    var contentType: Long = 0,
    var contentEncoding: Long = 0,
) {
    fun encode(): ByteArray {
        val out = ByteArrayOutputStream()
        requestMeta?.let { Wire.putLen(out, 1, it.encode()) }
        responseMeta?.let { Wire.putLen(out, 2, it.encode()) }
        Wire.putU32(out, 3, initWindowSize)
        Wire.putU32(out, 4, contentType)
        Wire.putU32(out, 5, contentEncoding)
        return out.toByteArray()
    }

    companion object {
        fun decode(data: ByteArray): StreamInitMeta {
            val m = StreamInitMeta()
            for (f in Wire.fields(data, mapOf(1 to LEN, 2 to LEN, 3 to VARINT, 4 to VARINT, 5 to VARINT))) {
                when (f.number) {
                    1 -> (m.requestMeta ?: StreamInitRequestMeta().also { m.requestMeta = it }).merge(f.bytes!!)
                    2 -> (m.responseMeta ?: StreamInitResponseMeta().also { m.responseMeta = it }).merge(f.bytes!!)
                    3 -> m.initWindowSize = u32(f.varint)
                    4 -> m.contentType = u32(f.varint)
                    5 -> m.contentEncoding = u32(f.varint)
                }
            }
            return m
        }
    }
}

/** trpc.TrpcStreamFeedBackMeta; [windowSizeIncrement] in bytes. */
data class StreamFeedbackMeta(var windowSizeIncrement: Long = 0) {
    fun encode(): ByteArray = ByteArrayOutputStream().also { Wire.putU32(it, 1, windowSizeIncrement) }.toByteArray()

    companion object {
        fun decode(data: ByteArray) =
            StreamFeedbackMeta().also { m ->
                for (f in Wire.fields(data, mapOf(1 to VARINT))) m.windowSizeIncrement = u32(f.varint)
            }
    }
}

/** trpc.TrpcStreamCloseMeta; [closeType] 0 close, 1 reset. */
data class StreamCloseMeta(
    var closeType: Int = 0,
    var ret: Int = 0,
    var msg: String = "",
    var messageType: Long = 0,
    var transInfo: MutableMap<String, ByteArray> = LinkedHashMap(),
    var funcRet: Int = 0,
) {
    fun encode(): ByteArray {
        val out = ByteArrayOutputStream()
        Wire.putI32(out, 1, closeType)
        Wire.putI32(out, 2, ret)
        Wire.putString(out, 3, msg)
        Wire.putU32(out, 4, messageType)
        Wire.putMap(out, 5, transInfo)
        Wire.putI32(out, 6, funcRet)
        return out.toByteArray()
    }

    companion object {
        fun decode(data: ByteArray): StreamCloseMeta {
            val m = StreamCloseMeta()
            val schema = mapOf(1 to VARINT, 2 to VARINT, 3 to LEN, 4 to VARINT, 5 to LEN, 6 to VARINT)
            for (f in Wire.fields(data, schema)) {
                when (f.number) {
                    1 -> m.closeType = f.varint.toInt()
                    2 -> m.ret = f.varint.toInt()
                    3 -> m.msg = str(f)
                    4 -> m.messageType = u32(f.varint)
                    5 -> putEntry(m.transInfo, f)
                    6 -> m.funcRet = f.varint.toInt()
                }
            }
            return m
        }
    }
}
