package dev.tracewire.trpc

import java.io.ByteArrayOutputStream

/**
 * Protobuf wire coding for the tRPC headers: the few scalar and length-delimited forms they use.
 * Readers accept what libprotobuf accepts (varints of at most 10 bytes, tags and lengths of at
 * most 5, field numbers >= 1, no groups) and throw BAD_PROTOCOL_HEADER on anything else.
 */
internal object Wire {
    const val VARINT = 0
    const val FIXED64 = 1
    const val LEN = 2
    const val FIXED32 = 5

    fun bad(detail: String) = CodecException(CodecErrorKind.BAD_PROTOCOL_HEADER, detail)

    fun putVarint(out: ByteArrayOutputStream, value: Long) {
        var v = value
        while (v and 0x7FL.inv() != 0L) {
            out.write(((v and 0x7F) or 0x80).toInt())
            v = v ushr 7
        }
        out.write(v.toInt())
    }

    /** A uint32 field (value 0..2^32-1); zero is not written (proto3). */
    fun putU32(out: ByteArrayOutputStream, field: Int, value: Long) {
        if (value == 0L) return
        putVarint(out, (field shl 3 or VARINT).toLong())
        putVarint(out, value and 0xFFFFFFFFL)
    }

    /** An int32 field; zero is not written, negatives take 10 bytes (sign-extended). */
    fun putI32(out: ByteArrayOutputStream, field: Int, value: Int) {
        if (value == 0) return
        putVarint(out, (field shl 3 or VARINT).toLong())
        putVarint(out, value.toLong())
    }

    /** A length-delimited field, written even when empty. */
    fun putLen(out: ByteArrayOutputStream, field: Int, data: ByteArray) {
        putVarint(out, (field shl 3 or LEN).toLong())
        putVarint(out, data.size.toLong())
        out.write(data)
    }

    /** A bytes/string field; empty is not written (proto3). */
    fun putBytes(out: ByteArrayOutputStream, field: Int, data: ByteArray) {
        if (data.isNotEmpty()) putLen(out, field, data)
    }

    fun putString(out: ByteArrayOutputStream, field: Int, s: String) = putBytes(out, field, s.encodeToByteArray())

    /** A map<string, bytes>: one entry per pair, key (1) then value (2), both always. */
    fun putMap(out: ByteArrayOutputStream, field: Int, entries: Map<String, ByteArray>) {
        for ((k, v) in entries) {
            val entry = ByteArrayOutputStream(k.length + v.size + 4)
            putLen(entry, 1, k.encodeToByteArray())
            putLen(entry, 2, v)
            putLen(out, field, entry.toByteArray())
        }
    }

    /** A field read off the wire: [number] and either [varint] or [bytes]. */
    class Field(val number: Int, val varint: Long, val bytes: ByteArray?)

    /**
     * Every field of [data] named in [schema] (number -> wire type), in wire order; unknown
     * fields are skipped, a known field with another wire type is an error.
     */
    fun fields(data: ByteArray, from: Int, to: Int, schema: Map<Int, Int>): List<Field> {
        val r = Reader(data, from, to)
        val out = ArrayList<Field>()
        while (!r.done()) {
            val tag = r.varint(5)
            if (tag > 0xFFFFFFFFL || tag ushr 3 == 0L) throw bad("bad field tag")
            val number = (tag ushr 3).toInt()
            val wireType = (tag and 7).toInt()
            val want = schema[number]
            if (want == null) {
                r.skip(wireType)
                continue
            }
            if (wireType != want) throw bad("field $number has wire type $wireType")
            out += if (want == VARINT) Field(number, r.varint(10), null) else Field(number, 0, r.lengthDelimited())
        }
        return out
    }

    fun fields(data: ByteArray, schema: Map<Int, Int>) = fields(data, 0, data.size, schema)

    /** One map<string, bytes> entry; a missing key or value is empty. */
    fun mapEntry(data: ByteArray): Pair<String, ByteArray> {
        var key = ByteArray(0)
        var value = ByteArray(0)
        for (f in fields(data, mapOf(1 to LEN, 2 to LEN))) {
            if (f.number == 1) key = f.bytes!! else value = f.bytes!!
        }
        return key.decodeToString() to value
    }

    private class Reader(private val data: ByteArray, private var pos: Int, private val end: Int) {
        fun done() = pos == end

        fun varint(maxBytes: Int): Long {
            var result = 0L
            for (i in 0 until maxBytes) {
                if (pos == end) throw bad("truncated varint")
                val b = data[pos++].toInt() and 0xFF
                if (i < 10) result = result or ((b and 0x7F).toLong() shl (7 * i))
                if (b and 0x80 == 0) return result
            }
            throw bad("varint too long")
        }

        fun lengthDelimited(): ByteArray {
            val n = varint(5)
            if (n > end - pos) throw bad("length past the end")
            val start = pos
            pos += n.toInt()
            return data.copyOfRange(start, pos)
        }

        fun skip(wireType: Int) {
            when (wireType) {
                VARINT -> {
                    varint(10)
                }

                LEN -> {
                    lengthDelimited()
                }

                FIXED64, FIXED32 -> {
                    val n = if (wireType == FIXED64) 8 else 4
                    if (end - pos < n) throw bad("fixed field cut short")
                    pos += n
                }

                else -> {
                    throw bad("group or unknown wire type")
                }
            }
        }
    }
}
