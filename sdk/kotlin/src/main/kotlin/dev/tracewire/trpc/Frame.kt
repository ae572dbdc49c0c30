package dev.tracewire.trpc

import java.nio.ByteBuffer

/*
 * The tRPC frame (DESIGN.md §2; src/trpc/frame_format.h), all integers big-endian:
 *   offset size field
 *   0      2    magic 0x0930
 *   2      1    data frame type    (0 unary, 1 stream)
 *   3      1    stream frame type  (0 unary, 1 INIT, 2 DATA, 3 FEEDBACK, 4 CLOSE)
 *   4      4    total size         (header + proto header + body + attachment), bytes
 *   8      2    proto header size  (0 in stream frames), bytes
 *   10     4    stream id          (unary: the request id, as trpc-go v1 writes it)
 *   14     1    protocol version   (unary: 1, stream: 0; any is accepted)
 *   15     1    reserved           (0)
 *   16     ...  proto header, then body, then attachment
 * Pure functions over bytes; every error is a CodecException.
 */
object Frame {
    const val MAGIC = 0x0930
    const val HEADER_SIZE = 16
    const val DEFAULT_MAX_FRAME_SIZE = 10 * 1024 * 1024 // bytes

    const val UNARY = 0 // data frame types
    const val STREAM = 1
    const val STREAM_INIT = 1 // stream frame types
    const val STREAM_DATA = 2
    const val STREAM_FEEDBACK = 3
    const val STREAM_CLOSE = 4
    const val CALL_TYPE_UNARY = 0L
    const val CALL_TYPE_ONEWAY = 1L
    const val CONTENT_TYPE_PROTO = 0L
    const val CONTENT_TYPE_JSON = 2L
    const val CONTENT_TYPE_NOOP = 4L

    private const val UNARY_PROTOCOL_VERSION = 1 // trpc-go v1's curProtocolVersion

    /**
     * Decodes and checks the first 16 bytes of [data] at [offset]: magic, frame types,
     * 16 <= total <= [maxFrameSize] and 16 + proto header size <= total.
     * REQUIRES data.size - offset >= 16.
     */
    fun decodeHeader(data: ByteArray, maxFrameSize: Int = DEFAULT_MAX_FRAME_SIZE, offset: Int = 0): FrameHeader {
        val b = ByteBuffer.wrap(data, offset, HEADER_SIZE)
        val magic = b.short.toInt() and 0xFFFF
        val dataType = b.get().toInt() and 0xFF
        val streamType = b.get().toInt() and 0xFF
        val total = b.int.toLong() and 0xFFFFFFFFL
        val headSize = b.short.toInt() and 0xFFFF
        val streamId = b.int.toLong() and 0xFFFFFFFFL
        val version = b.get().toInt() and 0xFF
        val reserved = b.get().toInt() and 0xFF
        if (magic != MAGIC) throw CodecException(CodecErrorKind.BAD_MAGIC)
        when (dataType) {
            UNARY -> {
                if (streamType != 0) throw CodecException(CodecErrorKind.BAD_FRAME_TYPE, "unary frame with a stream type")
            }

            STREAM -> {
                if (streamType !in STREAM_INIT..STREAM_CLOSE) {
                    throw CodecException(CodecErrorKind.BAD_FRAME_TYPE, "stream frame type $streamType")
                }
            }

            else -> {
                throw CodecException(CodecErrorKind.BAD_FRAME_TYPE, "data frame type $dataType")
            }
        }
        if (total < HEADER_SIZE) throw CodecException(CodecErrorKind.BAD_SIZE, "total size $total below 16")
        if (total > maxFrameSize) throw CodecException(CodecErrorKind.TOO_LARGE, "$total bytes > $maxFrameSize")
        if (HEADER_SIZE + headSize > total) throw CodecException(CodecErrorKind.BAD_SIZE, "proto header past the total size")
        return FrameHeader(dataType, streamType, total.toInt(), headSize, streamId, version, reserved)
    }

    private fun checkWhole(data: ByteArray, maxFrameSize: Int, want: Int): FrameHeader {
        if (data.size < HEADER_SIZE) throw CodecException(CodecErrorKind.TRUNCATED, "${data.size} bytes, no whole header")
        val h = decodeHeader(data, maxFrameSize)
        if (h.dataFrameType != want) throw CodecException(CodecErrorKind.BAD_FRAME_TYPE, "unary and stream frames mixed")
        if (data.size < h.totalSize) throw CodecException(CodecErrorKind.TRUNCATED, "${data.size} of ${h.totalSize} bytes")
        if (data.size > h.totalSize) throw CodecException(CodecErrorKind.BAD_SIZE, "${data.size} bytes, ${h.totalSize} announced")
        return h
    }

    private fun split(data: ByteArray, h: FrameHeader, attachmentSize: Long): Pair<ByteArray, ByteArray> {
        val start = HEADER_SIZE + h.protoHeaderSize
        val payload = data.size - start
        if (attachmentSize > payload) throw CodecException(CodecErrorKind.BAD_ATTACHMENT_SIZE)
        val cut = data.size - attachmentSize.toInt()
        return data.copyOfRange(start, cut) to data.copyOfRange(cut, data.size)
    }

    /** Decodes exactly one whole unary request frame. */
    fun decodeRequest(data: ByteArray, maxFrameSize: Int = DEFAULT_MAX_FRAME_SIZE): RequestFrame {
        val h = checkWhole(data, maxFrameSize, UNARY)
        val head = RequestHead.decode(data, HEADER_SIZE, HEADER_SIZE + h.protoHeaderSize)
        val (body, attachment) = split(data, h, head.attachmentSize)
        return RequestFrame(h, head, body, attachment)
    }

    /** Decodes exactly one whole unary response frame. */
    fun decodeResponse(data: ByteArray, maxFrameSize: Int = DEFAULT_MAX_FRAME_SIZE): ResponseFrame {
        val h = checkWhole(data, maxFrameSize, UNARY)
        val head = ResponseHead.decode(data, HEADER_SIZE, HEADER_SIZE + h.protoHeaderSize)
        val (body, attachment) = split(data, h, head.attachmentSize)
        return ResponseFrame(h, head, body, attachment)
    }

    /**
     * Decodes one whole stream frame; everything after the header is the meta (or the DATA
     * body), whatever the proto header size says (as trpc-go reads it).
     */
    fun decodeStream(data: ByteArray, maxFrameSize: Int = DEFAULT_MAX_FRAME_SIZE): StreamFrame {
        val h = checkWhole(data, maxFrameSize, STREAM)
        val payload = data.copyOfRange(HEADER_SIZE, data.size)
        return if (h.streamFrameType == STREAM_DATA) StreamFrame(h, ByteArray(0), payload) else StreamFrame(h, payload, ByteArray(0))
    }

    private fun unary(headBytes: ByteArray, requestId: Long, body: ByteArray, attachment: ByteArray, maxFrameSize: Int): ByteArray {
        if (headBytes.size > 0xFFFF) throw CodecException(CodecErrorKind.TOO_LARGE, "proto header above 65535 bytes")
        val total = HEADER_SIZE.toLong() + headBytes.size + body.size + attachment.size
        if (total > maxFrameSize) throw CodecException(CodecErrorKind.TOO_LARGE, "$total bytes > $maxFrameSize")
        // trpc-go v1 writes version 1 and repeats the request id as the stream id.
        val h = FrameHeader(UNARY, 0, total.toInt(), headBytes.size, requestId, UNARY_PROTOCOL_VERSION)
        return ByteBuffer
            .allocate(total.toInt())
            .put(h.encode())
            .put(headBytes)
            .put(body)
            .put(attachment)
            .array()
    }

    /** One unary request frame as trpc-go v1 writes it; sets head.attachmentSize. */
    fun encodeRequest(
        head: RequestHead,
        body: ByteArray = ByteArray(0),
        attachment: ByteArray = ByteArray(0),
        maxFrameSize: Int = DEFAULT_MAX_FRAME_SIZE,
    ): ByteArray {
        head.attachmentSize = attachment.size.toLong()
        return unary(head.encode(), head.requestId, body, attachment, maxFrameSize)
    }

    /** One unary response frame; sets head.attachmentSize. */
    fun encodeResponse(
        head: ResponseHead,
        body: ByteArray = ByteArray(0),
        attachment: ByteArray = ByteArray(0),
        maxFrameSize: Int = DEFAULT_MAX_FRAME_SIZE,
    ): ByteArray {
        head.attachmentSize = attachment.size.toLong()
        return unary(head.encode(), head.requestId, body, attachment, maxFrameSize)
    }

    /** One stream frame as trpc-go's frameWrite: proto header size 0, version 0. */
    fun encodeStream(
        streamFrameType: Int,
        streamId: Long,
        meta: ByteArray = ByteArray(0),
        body: ByteArray = ByteArray(0),
        maxFrameSize: Int = DEFAULT_MAX_FRAME_SIZE,
    ): ByteArray {
        if (streamFrameType !in STREAM_INIT..STREAM_CLOSE) {
            throw CodecException(CodecErrorKind.BAD_FRAME_TYPE, "stream frame type $streamFrameType")
        }
        val total = HEADER_SIZE.toLong() + meta.size + body.size
        if (total > maxFrameSize) throw CodecException(CodecErrorKind.TOO_LARGE, "$total bytes > $maxFrameSize")
        val h = FrameHeader(STREAM, streamFrameType, total.toInt(), 0, streamId, 0)
        return ByteBuffer
            .allocate(total.toInt())
            .put(h.encode())
            .put(meta)
            .put(body)
            .array()
    }
}

/** The 16-byte frame header; sizes in bytes, [streamId] a uint32. */
data class FrameHeader(
    val dataFrameType: Int = Frame.UNARY,
    val streamFrameType: Int = 0,
    val totalSize: Int = 0,
    val protoHeaderSize: Int = 0,
    val streamId: Long = 0,
    val version: Int = 0,
    val reserved: Int = 0,
) {
    fun encode(): ByteArray =
        ByteBuffer
            .allocate(Frame.HEADER_SIZE)
            .putShort(Frame.MAGIC.toShort())
            .put(dataFrameType.toByte())
            .put(streamFrameType.toByte())
            .putInt(totalSize)
            .putShort(protoHeaderSize.toShort())
            .putInt(streamId.toInt())
            .put(version.toByte())
            .put(reserved.toByte())
            .array()
}

class RequestFrame(val header: FrameHeader, val head: RequestHead, val body: ByteArray, val attachment: ByteArray)

class ResponseFrame(val header: FrameHeader, val head: ResponseHead, val body: ByteArray, val attachment: ByteArray)

/** A stream frame: [meta] is the INIT/FEEDBACK/CLOSE meta's bytes, [body] a DATA payload. */
class StreamFrame(val header: FrameHeader, val meta: ByteArray, val body: ByteArray)
