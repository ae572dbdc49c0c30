package dev.tracewire

import com.google.gson.JsonObject
import com.google.gson.JsonParser
import java.io.File

/** The shared vectors under testdata/ (the repository root comes from -Dtracewire.root). */
object Vectors {
    val root: File = File(System.getProperty("tracewire.root") ?: "../..").canonicalFile

    fun load(relative: String): JsonObject = JsonParser.parseString(File(root, "testdata/$relative").readText()).asJsonObject

    fun hex(s: String): ByteArray = ByteArray(s.length / 2) { s.substring(2 * it, 2 * it + 2).toInt(16).toByte() }

    fun ByteArray.toHex(): String = joinToString("") { "%02x".format(it) }
}
