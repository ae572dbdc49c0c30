package dev.tracewire.trpc

import kotlinx.coroutines.suspendCancellableCoroutine
import java.io.EOFException
import java.net.SocketAddress
import java.nio.ByteBuffer
import java.nio.channels.AsynchronousServerSocketChannel
import java.nio.channels.AsynchronousSocketChannel
import java.nio.channels.CompletionHandler
import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException

/*
 * Suspending wrappers over NIO.2 asynchronous channels. Cancelling a suspended operation closes
 * the channel (NIO.2 has no per-operation cancel), which is what every caller here wants.
 */

private class Resume<T>(private val cont: kotlinx.coroutines.CancellableContinuation<T>) : CompletionHandler<T, Unit?> {
    override fun completed(result: T, attachment: Unit?) = cont.resume(result)

    override fun failed(exc: Throwable, attachment: Unit?) = cont.resumeWithException(exc)
}

internal suspend fun AsynchronousServerSocketChannel.acceptSuspending(): AsynchronousSocketChannel =
    suspendCancellableCoroutine { cont ->
        cont.invokeOnCancellation { runCatching { close() } }
        accept(null, Resume(cont))
    }

internal suspend fun AsynchronousSocketChannel.connectSuspending(address: SocketAddress) {
    suspendCancellableCoroutine<Void?> { cont ->
        cont.invokeOnCancellation { runCatching { close() } }
        connect(address, null, Resume(cont))
    }
}

/** Fills [buf] completely; EOFException at the end of input. */
internal suspend fun AsynchronousSocketChannel.readFully(buf: ByteBuffer) {
    while (buf.hasRemaining()) {
        val n =
            suspendCancellableCoroutine<Int> { cont ->
                cont.invokeOnCancellation { runCatching { close() } }
                read(buf, null, Resume(cont))
            }
        if (n < 0) throw EOFException("${buf.remaining()} bytes missing")
    }
}

internal suspend fun AsynchronousSocketChannel.writeFully(buf: ByteBuffer) {
    while (buf.hasRemaining()) {
        suspendCancellableCoroutine<Int> { cont ->
            cont.invokeOnCancellation { runCatching { close() } }
            write(buf, null, Resume(cont))
        }
    }
}

/**
 * One whole frame from [ch]: the header (checked against [maxFrameSize], so a hostile size never
 * allocates), then the rest. Throws CodecException for a bad header, EOFException at the end.
 */
internal suspend fun readFrame(ch: AsynchronousSocketChannel, maxFrameSize: Int): ByteArray {
    val header = ByteBuffer.allocate(Frame.HEADER_SIZE)
    ch.readFully(header)
    val h = Frame.decodeHeader(header.array(), maxFrameSize)
    val data = ByteArray(h.totalSize)
    System.arraycopy(header.array(), 0, data, 0, Frame.HEADER_SIZE)
    ch.readFully(ByteBuffer.wrap(data, Frame.HEADER_SIZE, h.totalSize - Frame.HEADER_SIZE))
    return data
}
