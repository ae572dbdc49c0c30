package dev.tracewire.trpc

import com.google.gson.JsonObject
import dev.tracewire.Vectors
import dev.tracewire.Vectors.toHex
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import kotlin.random.Random
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

/** Every vector of testdata/trpc/frames.json: decode gives the fields, encode gives the bytes. */
class FrameVectorsTest {
    private val vectors = Vectors.load("trpc/frames.json")
    private val max = vectors["max_frame_size"].asInt

    private fun JsonObject.long(k: String) = if (has(k)) get(k).asLong else 0L

    private fun JsonObject.int(k: String) = if (has(k)) get(k).asInt else 0

    private fun JsonObject.str(k: String) = if (has(k)) get(k).asString else ""

    private fun JsonObject.transInfo(): MutableMap<String, ByteArray> {
        val m = LinkedHashMap<String, ByteArray>()
        if (has("trans_info")) {
            for (e in getAsJsonArray("trans_info")) {
                m[e.asJsonArray[0].asString] =
                    e.asJsonArray[1].asString.encodeToByteArray()
            }
        }
        return m
    }

    private fun Map<String, ByteArray>.text() = map { (k, v) -> k to v.decodeToString() }

    private fun request(o: JsonObject) =
        RequestHead(
            o.long("version"),
            o.long("call_type"),
            o.long("request_id"),
            o.long("timeout"),
            o.str("caller"),
            o.str("callee"),
            o.str("func"),
            o.long("message_type"),
            o.transInfo(),
            o.long("content_type"),
            o.long("content_encoding"),
            o.long("attachment_size"),
        )

    private fun response(o: JsonObject) =
        ResponseHead(
            o.long("version"),
            o.long("call_type"),
            o.long("request_id"),
            o.int("ret"),
            o.int("func_ret"),
            o.str("error_msg"),
            o.long("message_type"),
            o.transInfo(),
            o.long("content_type"),
            o.long("content_encoding"),
            o.long("attachment_size"),
        )

    private fun header(h: FrameHeader) =
        mapOf(
            "data_frame_type" to h.dataFrameType.toLong(),
            "stream_frame_type" to h.streamFrameType.toLong(),
            "stream_id" to h.streamId,
            "version" to h.version.toLong(),
        )

    private fun header(o: JsonObject) = o.keySet().associateWith { o[it].asLong }

    private fun valid(kind: (String) -> Boolean) =
        vectors
            .getAsJsonArray(
                "valid",
            ).map { it.asJsonObject }
            .filter { kind(it["kind"].asString) }

    @TestFactory
    fun unaryVectorsDecodeAndReencodeByteForByte() =
        valid { it != "stream" }.map { v ->
            DynamicTest.dynamicTest(v["name"].asString) {
                val data = Vectors.hex(v["hex"].asString)
                val body = Vectors.hex(v["body_hex"].asString)
                val attachment = Vectors.hex(v["attachment_hex"].asString)
                val head = v.getAsJsonObject("head")
                if (v["kind"].asString == "request") {
                    val got = Frame.decodeRequest(data, max)
                    assertEquals(header(v.getAsJsonObject("header")), header(got.header))
                    val want = request(head)
                    assertEquals(want.copy(transInfo = LinkedHashMap()), got.head.copy(transInfo = LinkedHashMap()))
                    assertEquals(want.transInfo.text(), got.head.transInfo.text())
                    assertEquals(v["body_hex"].asString, got.body.toHex())
                    assertEquals(v["attachment_hex"].asString, got.attachment.toHex())
                    assertEquals(v["hex"].asString, Frame.encodeRequest(request(head), body, attachment, max).toHex())
                } else {
                    val got = Frame.decodeResponse(data, max)
                    assertEquals(header(v.getAsJsonObject("header")), header(got.header))
                    val want = response(head)
                    assertEquals(want.copy(transInfo = LinkedHashMap()), got.head.copy(transInfo = LinkedHashMap()))
                    assertEquals(want.transInfo.text(), got.head.transInfo.text())
                    assertEquals(v["body_hex"].asString, got.body.toHex())
                    assertEquals(v["attachment_hex"].asString, got.attachment.toHex())
                    assertEquals(v["hex"].asString, Frame.encodeResponse(response(head), body, attachment, max).toHex())
                }
            }
        }

    @TestFactory
    fun streamVectorsDecodeAndReencodeByteForByte() =
        valid { it == "stream" }.map { v ->
            DynamicTest.dynamicTest(v["name"].asString) {
                val got = Frame.decodeStream(Vectors.hex(v["hex"].asString), max)
                assertEquals(header(v.getAsJsonObject("header")), header(got.header))
                var meta = ByteArray(0)
                v.getAsJsonObject("init_meta")?.let { o ->
                    val decoded = StreamInitMeta.decode(got.meta)
                    val rm = o.getAsJsonObject("request_meta")
                    val want =
                        StreamInitMeta(
                            rm?.let {
                                StreamInitRequestMeta(
                                    it.str("caller"),
                                    it.str("callee"),
                                    it.str("func"),
                                    it.long("message_type"),
                                    it.transInfo(),
                                )
                            },
                            null,
                            o.long("init_window_size"),
                            o.long("content_type"),
                            o.long("content_encoding"),
                        )
                    assertEquals(want.requestMeta?.transInfo?.text(), decoded.requestMeta?.transInfo?.text())
                    assertEquals(
                        want.requestMeta?.copy(transInfo = LinkedHashMap()),
                        decoded.requestMeta?.copy(transInfo = LinkedHashMap()),
                    )
                    assertEquals(want.copy(requestMeta = null), decoded.copy(requestMeta = null))
                    meta = want.encode()
                }
                v.getAsJsonObject("feedback_meta")?.let { o ->
                    val want = StreamFeedbackMeta(o.long("window_size_increment"))
                    assertEquals(want, StreamFeedbackMeta.decode(got.meta))
                    meta = want.encode()
                }
                v.getAsJsonObject("close_meta")?.let { o ->
                    val want =
                        StreamCloseMeta(
                            o.int("close_type"),
                            o.int("ret"),
                            o.str("msg"),
                            o.long("message_type"),
                            o.transInfo(),
                            o.int("func_ret"),
                        )
                    val decoded = StreamCloseMeta.decode(got.meta)
                    assertEquals(want.transInfo.text(), decoded.transInfo.text())
                    assertEquals(want.copy(transInfo = LinkedHashMap()), decoded.copy(transInfo = LinkedHashMap()))
                    meta = want.encode()
                }
                assertEquals(got.meta.toHex(), meta.toHex())
                assertEquals(v.str("body_hex"), got.body.toHex())
                val again = Frame.encodeStream(got.header.streamFrameType, got.header.streamId, meta, got.body, max)
                assertEquals(v["hex"].asString, again.toHex())
            }
        }

    private fun decode(kind: String, data: ByteArray, max: Int) {
        when (kind) {
            "request" -> Frame.decodeRequest(data, max)
            "response" -> Frame.decodeResponse(data, max)
            else -> Frame.decodeStream(data, max)
        }
    }

    @TestFactory
    fun invalidVectorsFailWithTheirError() =
        vectors.getAsJsonArray("invalid").map { it.asJsonObject }.map { v ->
            DynamicTest.dynamicTest(v["name"].asString) {
                val limit = if (v.has("max_frame_size")) v["max_frame_size"].asInt else max
                val e = assertFailsWith<CodecException> { decode(v["kind"].asString, Vectors.hex(v["hex"].asString), limit) }
                assertEquals(v["error"].asString, e.kind.wireName)
            }
        }

    @Test
    fun encodeRefusesAFrameOverTheMaximum() {
        val e = assertFailsWith<CodecException> { Frame.encodeRequest(RequestHead(func = "/a.B/C"), ByteArray(100), maxFrameSize = 64) }
        assertEquals(CodecErrorKind.TOO_LARGE, e.kind)
    }

    @Test
    fun negativeRetRoundTripsAsATenByteVarint() {
        val data = Frame.encodeResponse(ResponseHead(requestId = 3, ret = -1, funcRet = Int.MIN_VALUE))
        val got = Frame.decodeResponse(data).head
        assertEquals(-1, got.ret)
        assertEquals(Int.MIN_VALUE, got.funcRet)
        assertEquals(16 + 2 + 11 + 11, data.size)
    }

    @Test
    fun mutatedFramesOnlyEverFailWithCodecException() {
        val rng = Random(7)
        for (v in valid { true }) {
            val data = Vectors.hex(v["hex"].asString)
            repeat(300) {
                var m = data.copyOf()
                repeat(rng.nextInt(1, 5)) { m[rng.nextInt(m.size)] = rng.nextInt(256).toByte() }
                if (rng.nextDouble() < 0.3) m = m.copyOf(rng.nextInt(m.size + 1))
                try {
                    decode(v["kind"].asString, m, max)
                } catch (_: CodecException) {
                }
            }
        }
    }
}
