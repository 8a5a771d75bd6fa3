package com.hsrcpay.apikeys.transparency.verifier;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The lines of an export as bytes, read in large blocks with no decoding: a line ends at {@code \n}, {@code \r} or
 * {@code \r\n}, as {@link java.io.BufferedReader#readLine} ends one. The current line is
 * {@code buffer()[start() .. end())}, valid until the next call of {@link #next}.
 */
final class ExportReader {

    private final int block;
    private final InputStream in;
    private byte[] buffer;
    private int filled;
    private int position;
    private int start;
    private int end;
    private boolean eof;
    private boolean skipLf;

    ExportReader(InputStream in) {
        this(in, 1 << 20);
    }

    /** With blocks of {@code block} bytes (small ones in tests, to cross their edges). */
    ExportReader(InputStream in, int block) {
        this.in = in;
        this.block = block;
        this.buffer = new byte[2 * block];
    }

    /** Moves to the next line; false at the end of the export. */
    boolean next() throws IOException {
        if (skipLf) {
            skipLf = false;
            if ((position < filled || fill()) && buffer[position] == '\n') {
                position++;
            }
        }
        int scan = position;
        while (true) {
            // whole words without a line end are passed over: most of an export's bytes
            while (scan + 8 <= filled) {
                long word = Words.at(buffer, scan);
                if (Words.hasBelow(word, '\r' + 1)) { // \n, \r or another control byte: look at each
                    break;
                }
                scan += 8;
            }
            for (int i = scan; i < filled; i++) {
                byte b = buffer[i];
                if (b == '\n' || b == '\r') {
                    start = position;
                    end = i;
                    position = i + 1;
                    if (b == '\r') {
                        if (position < filled) {
                            if (buffer[position] == '\n') {
                                position++;
                            }
                        } else {
                            skipLf = true; // a \n at the start of the next block still belongs to this line's end
                        }
                    }
                    return true;
                }
            }
            scan = filled - position;
            if (!fill()) {
                if (position < filled) {
                    start = position;
                    end = filled;
                    position = filled;
                    return true;
                }
                return false;
            }
        }
    }

    /** Reads another block, keeping the unfinished line (moved to the buffer's start); false at the end of input. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, filled - position);
            filled -= position;
            position = 0;
        }
        if (buffer.length - filled < block) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int n = in.readNBytes(buffer, filled, block);
        if (n <= 0) {
            eof = true;
            return false;
        }
        filled += n;
        return true;
    }

    byte[] buffer() {
        return buffer;
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }
}
