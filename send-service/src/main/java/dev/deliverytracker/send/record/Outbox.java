package dev.deliverytracker.send.record;

import dev.deliverytracker.support.DurableWriteException;
import dev.deliverytracker.events.SendEvent;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * A local, append-only, flushed file of send events that Kafka did not take, replayed in order when it is back.
 * <p>
 * {@code events.log} holds one line per event: {@code 2 <crc32 hex> <writer schema fingerprint hex> <base64 Avro
 * binary>}; the writer schema itself is in {@code schemas/<fingerprint>.avsc}, written when the outbox opens, so a
 * line written before an upgrade of {@code SendEvent} is read with the schema it was written with. Lines of the
 * first format ({@code <crc32 hex> <base64>}, no schema) are read with today's schema. A line that still cannot be
 * read (corrupt, unknown schema, any decoding error) is moved to {@code quarantine.log} with the reason, counted and
 * logged, and never blocks the lines after it. A line is complete once its newline is on disk ({@code fsync} after
 * each append); a torn last line from a crash is ignored. {@code replayed} holds the byte offset up to which events
 * are in Kafka, replaced atomically. A crash between Kafka's acknowledgement and the offset's update replays that
 * event again: the same eventId and msgKey, which status-stream counts as a duplicate and otherwise ignores. When
 * everything is replayed the log is truncated. One process at a time: {@code lock} is held while the outbox is open.
 */
public final class Outbox implements AutoCloseable {

    /** One stored event and the offset just after it. */
    public record Entry(SendEvent event, long endOffset) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final String FORMAT = "2";

    private final Path log;
    private final Path offsetFile;
    private final Path quarantine;
    private final Path schemaDir;
    private final FileChannel channel;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final String writerFingerprint;
    private final Map<String, Schema> writerSchemas = new HashMap<>();
    private long quarantined;
    private long replayed;
    /** When the outbox last went from empty to holding events (at open, if it held some); null while empty. */
    private Instant pendingSince;
    /** Why the last append failed; null once one succeeds. */
    private volatile String lastWriteError;
    /** Where the complete lines end: kept in memory, so the hot path ({@link #hasPending}) does not touch the disk. */
    private long end;

    public Outbox(Path directory) {
        try {
            Files.createDirectories(directory);
            this.lockChannel = FileChannel.open(directory.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            this.lock = tryLock(lockChannel, directory);
            this.log = directory.resolve("events.log");
            this.offsetFile = directory.resolve("replayed");
            this.quarantine = directory.resolve("quarantine.log");
            this.schemaDir = directory.resolve("schemas");
            this.writerFingerprint = storeWriterSchema(schemaDir, SendEvent.getClassSchema());
            this.channel = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            this.end = completeLength();
            this.replayed = Files.exists(offsetFile) ? Long.parseLong(Files.readString(offsetFile).trim()) : 0L;
            if (replayed > end) {
                replayed = 0L;
            }
            if (end > replayed) {
                pendingSince = Instant.now(); // held since before this process: at least this old
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("Cannot open the send outbox in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Two writers on one outbox overwrite each other's events: refuse to start rather than lose sends. */
    private static FileLock tryLock(FileChannel lockChannel, Path directory) throws IOException {
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IllegalStateException("The send outbox in " + directory + " is in use by another send-service process"
                    + " (its lock file is held). Every instance needs its own outbox directory (SEND_SERVICE_OUTBOX_DIR): a"
                    + " volume per instance, not a shared one.");
        }
        return lock;
    }

    /** Writes {@code schemas/<fingerprint>.avsc} once; returns the fingerprint the lines carry. */
    private static String storeWriterSchema(Path schemaDir, Schema schema) throws IOException {
        String fingerprint = String.format("%016x", SchemaNormalization.parsingFingerprint64(schema));
        Files.createDirectories(schemaDir);
        Path file = schemaDir.resolve(fingerprint + ".avsc");
        if (!Files.exists(file)) {
            Path temporary = schemaDir.resolve(fingerprint + ".avsc.tmp");
            Files.writeString(temporary, schema.toString(true));
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return fingerprint;
    }

    /** Appends and forces the event to disk; returns once it would survive a crash. */
    public synchronized void append(SendEvent event) {
        try {
            byte[] avro = encode(event);
            CRC32 crc = new CRC32();
            crc.update(avro);
            String line = FORMAT + " " + String.format("%08x", crc.getValue()) + " " + writerFingerprint + " "
                    + Base64.getEncoder().encodeToString(avro) + "\n";
            ByteBuffer buffer = ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII));
            long position = end;
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
            channel.force(false);
            end = position;
            lastWriteError = null;
            if (pendingSince == null) {
                pendingSince = Instant.now();
            }
        } catch (IOException e) {
            lastWriteError = e.toString();
            throw new DurableWriteException("Cannot write the send outbox " + log + ": " + e.getMessage(), e);
        }
    }

    /** Since when the outbox has held events waiting for Kafka (empty: none); an upper bound of the oldest one's age. */
    public synchronized java.util.Optional<Instant> pendingSince() {
        return java.util.Optional.ofNullable(pendingSince);
    }

    /** Why the last append failed, if it did: the disk cannot take events, so a Kafka outage would leave sends untracked. */
    public java.util.Optional<String> lastWriteError() {
        return java.util.Optional.ofNullable(lastWriteError);
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
                SendEvent event;
                try {
                    event = decodeLine(line);
                } catch (RuntimeException | IOException e) {
                    event = null;
                    if (entries.isEmpty()) {
                        quarantine(line, lineEnd, e);
                    }
                }
                if (event != null) {
                    entries.add(new Entry(event, lineEnd));
                } else if (entries.isEmpty()) {
                    markReplayed(lineEnd); // a line that cannot be read is quarantined: it never blocks the rest
                } else {
                    break; // quarantined on the next call, once the entries before it are replayed
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
                pendingSince = null;
            }
            Path temporary = offsetFile.resolveSibling("replayed.tmp");
            Files.writeString(temporary, Long.toString(replayed));
            Files.move(temporary, offsetFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines moved to {@code quarantine.log} since the outbox opened. */
    public synchronized long quarantined() {
        return quarantined;
    }

    private void quarantine(String line, long lineEnd, Exception reason) throws IOException {
        String why = reason.getClass().getSimpleName() + ": " + reason.getMessage();
        Files.writeString(quarantine, "# " + Instant.now() + " " + why.replace('\n', ' ') + "\n" + line + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        quarantined++;
        LOG.error("A send event in the outbox ({}, line ending at byte {}) cannot be read ({}); moved to {}. The message was"
                + " sent, but status-stream will not know it unless the event is replayed by hand.", log, lineEnd, why, quarantine);
    }

    public synchronized long pendingBytes() {
        return Math.max(0, end - replayed);
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
            lock.release();
            lockChannel.close();
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

    /** The event on one line; throws with the reason when it cannot be read. */
    private SendEvent decodeLine(String line) throws IOException {
        String[] parts = line.split(" ");
        Schema writer;
        String crcHex;
        String base64;
        if (parts.length == 4 && parts[0].equals(FORMAT)) {
            crcHex = parts[1];
            writer = writerSchema(parts[2]);
            base64 = parts[3];
        } else if (parts.length == 2 && parts[0].length() == 8) {
            crcHex = parts[0]; // the first format: no schema identity, written by the schema of its day
            writer = SendEvent.getClassSchema();
            base64 = parts[1];
        } else {
            throw new IOException("not an outbox line (" + parts.length + " fields)");
        }
        byte[] avro = Base64.getDecoder().decode(base64);
        CRC32 crc = new CRC32();
        crc.update(avro);
        if (crc.getValue() != Long.parseLong(crcHex, 16)) {
            throw new IOException("checksum mismatch: the line is corrupt");
        }
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(avro, null);
        SendEvent event = new SpecificDatumReader<SendEvent>(writer, SendEvent.getClassSchema()).read(null, decoder);
        if (!decoder.isEnd()) {
            throw new IOException("bytes left after the event: not written with schema " + writer.getFullName());
        }
        return event;
    }

    private Schema writerSchema(String fingerprint) throws IOException {
        Schema known = writerSchemas.get(fingerprint);
        if (known != null) {
            return known;
        }
        Path file = schemaDir.resolve(fingerprint + ".avsc");
        if (!fingerprint.matches("[0-9a-f]{16}") || !Files.exists(file)) {
            throw new IOException("its writer schema " + fingerprint + " is not in " + schemaDir);
        }
        Schema schema = new Schema.Parser().parse(Files.readString(file));
        writerSchemas.put(fingerprint, schema);
        return schema;
    }
}
