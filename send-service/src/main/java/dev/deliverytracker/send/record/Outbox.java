package dev.deliverytracker.send.record;

import dev.deliverytracker.events.SendEvent;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A local, append-only, flushed file of send events that Kafka did not take, replayed in order when it is back.
 * <p>
 * {@code events.log} holds one line per event: {@code <crc32 hex> <base64 Avro binary>}. A line is complete once its
 * newline is on disk ({@code fsync} after each append); a torn last line from a crash is ignored. {@code replayed}
 * holds the byte offset up to which events are in Kafka, replaced atomically. A crash between Kafka's acknowledgement
 * and the offset's update replays that event again: the same eventId and msgKey, which status-stream counts as a
 * duplicate and otherwise ignores. When everything is replayed the log is truncated.
 */
public final class Outbox implements AutoCloseable {

    /** One stored event and the offset just after it. */
    public record Entry(SendEvent event, long endOffset) {
    }

    private final Path log;
    private final Path offsetFile;
    private final FileChannel channel;
    private long replayed;
    /** Where the complete lines end: kept in memory, so the hot path ({@link #hasPending}) does not touch the disk. */
    private long end;

    public Outbox(Path directory) {
        try {
            Files.createDirectories(directory);
            this.log = directory.resolve("events.log");
            this.offsetFile = directory.resolve("replayed");
            this.channel = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            this.end = completeLength();
            this.replayed = Files.exists(offsetFile) ? Long.parseLong(Files.readString(offsetFile).trim()) : 0L;
            if (replayed > end) {
                replayed = 0L;
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("Cannot open the send outbox in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Appends and forces the event to disk; returns once it would survive a crash. */
    public synchronized void append(SendEvent event) {
        try {
            byte[] avro = encode(event);
            CRC32 crc = new CRC32();
            crc.update(avro);
            String line = String.format("%08x", crc.getValue()) + " " + Base64.getEncoder().encodeToString(avro) + "\n";
            ByteBuffer buffer = ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII));
            long position = end;
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
            channel.force(false);
            end = position;
        } catch (IOException e) {
            throw new RecordFailedException("Cannot write the send outbox " + log + ": " + e.getMessage(), e);
        }
    }

    /** True while events wait for replay. */
    public synchronized boolean hasPending() {
        return pendingBytes() > 0;
    }

    /** Up to {@code max} events not yet replayed, oldest first. */
    public synchronized List<Entry> pending(int max) {
        List<Entry> entries = new ArrayList<>();
        try {
            long position = replayed;
            if (position >= end) {
                return entries;
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(end - position, 16 * 1024 * 1024));
            channel.read(buffer, position);
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
            int start = 0;
            int newline;
            while (entries.size() < max && (newline = text.indexOf('\n', start)) >= 0) {
                String line = text.substring(start, newline);
                long lineEnd = position + newline + 1;
                start = newline + 1;
                SendEvent event = decodeLine(line);
                if (event != null) {
                    entries.add(new Entry(event, lineEnd));
                } else if (entries.isEmpty()) {
                    markReplayed(lineEnd); // a corrupt line cannot be replayed: skip it, never block the rest
                }
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything up to {@code offset} is in Kafka. Truncates the log when nothing is left. */
    public synchronized void markReplayed(long offset) {
        try {
            replayed = offset;
            if (replayed >= end) {
                channel.truncate(0);
                channel.force(true);
                replayed = 0;
                end = 0;
            }
            Path temporary = offsetFile.resolveSibling("replayed.tmp");
            Files.writeString(temporary, Long.toString(replayed));
            Files.move(temporary, offsetFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized long pendingBytes() {
        return Math.max(0, end - replayed);
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** At opening: the length up to the last newline; a torn last line (a crash mid-append) is cut off. */
    private long completeLength() throws IOException {
        long size = channel.size();
        if (size == 0) {
            return 0;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        channel.read(last, size - 1);
        if (last.get(0) == '\n') {
            return size;
        }
        long position = size - 1;
        ByteBuffer one = ByteBuffer.allocate(1);
        while (position > 0) {
            one.clear();
            channel.read(one, position - 1);
            if (one.get(0) == '\n') {
                break;
            }
            position--;
        }
        channel.truncate(position);
        return position;
    }

    private static byte[] encode(SendEvent event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(SendEvent.class).write(event, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static SendEvent decodeLine(String line) {
        int space = line.indexOf(' ');
        if (space != 8) {
            return null;
        }
        try {
            byte[] avro = Base64.getDecoder().decode(line.substring(space + 1));
            CRC32 crc = new CRC32();
            crc.update(avro);
            if (crc.getValue() != Long.parseLong(line.substring(0, space), 16)) {
                return null;
            }
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(avro, null);
            return new SpecificDatumReader<>(SendEvent.class).read(null, decoder);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
