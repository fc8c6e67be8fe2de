package io.clawmesh.agent.runtime.install;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads one regular file out of a {@code .tar.gz} (ustar or GNU format) by its name. Only that entry is written, to a
 * path the caller chooses, so no name inside the archive (absolute, {@code ..}, a link) can place a file anywhere.
 */
final class TarGz {

    private static final int BLOCK = 512;

    private TarGz() {}

    /**
     * Copies the regular-file entry {@code name} (also matched as {@code ./name}) to {@code target}.
     *
     * @return whether the archive had it
     */
    static boolean extract(Path archive, String name, Path target, long maxBytes) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
            byte[] header = new byte[BLOCK];
            while (in.readNBytes(header, 0, BLOCK) == BLOCK && !isZero(header)) {
                String entry = entryName(header);
                long size = Long.parseLong(field(header, 124, 12).isEmpty() ? "0" : field(header, 124, 12), 8);
                char type = (char) header[156];
                long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
                boolean regular = type == '0' || type == '\0';
                if (regular && (entry.equals(name) || entry.equals("./" + name))) {
                    if (size > maxBytes) {
                        throw new IOException(name + " in the archive is " + size + " bytes, more than " + maxBytes);
                    }
                    try (OutputStream out = Files.newOutputStream(target)) {
                        copy(in, out, size);
                    }
                    return true;
                }
                in.skipNBytes(padded);
            }
        }
        return false;
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buffer = new byte[8192];
        long left = size;
        while (left > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                throw new IOException("the archive ends inside an entry");
            }
            out.write(buffer, 0, read);
            left -= read;
        }
    }

    private static String entryName(byte[] header) {
        String name = field(header, 0, 100);
        boolean ustar = new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        String prefix = ustar ? field(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8).strip();
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
