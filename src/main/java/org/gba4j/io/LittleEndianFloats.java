package org.gba4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.Checksum;
import org.gba4j.files.ModelFileException;

/**
 * Reads {@code n} float32 little-endian values at an offset of a file in bounded chunks, so a
 * tensor is never staged twice in memory; optionally feeds the raw bytes to a checksum. The caller
 * has already checked that the range lies inside the file; a file that shrinks meanwhile ends in a
 * one-line error naming it.
 */
final class LittleEndianFloats {
    private static final int CHUNK_BYTES = 1 << 20;

    private LittleEndianFloats() {
    }

    static float[] read(FileChannel channel, Path file, String tensor, long offset, int n, Checksum checksum,
                        String remedy) throws IOException {
        float[] values = new float[n];
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.max(Float.BYTES, Math.min(CHUNK_BYTES, (long) n * Float.BYTES)))
                .order(ByteOrder.LITTLE_ENDIAN);
        long position = offset;
        int filled = 0;
        while (filled < n) {
            chunk.clear();
            chunk.limit((int) Math.min(chunk.capacity(), (long) (n - filled) * Float.BYTES));
            while (chunk.hasRemaining()) {
                int read = channel.read(chunk, position);
                if (read < 0) {
                    throw new ModelFileException(file, "ended while reading tensor " + tensor, remedy);
                }
                position += read;
            }
            chunk.flip();
            if (checksum != null) {
                checksum.update(chunk.array(), 0, chunk.limit());
            }
            int count = chunk.limit() / Float.BYTES;
            chunk.asFloatBuffer().get(values, filled, count);
            filled += count;
        }
        return values;
    }
}
