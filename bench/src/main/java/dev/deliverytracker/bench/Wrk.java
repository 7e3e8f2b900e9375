package dev.deliverytracker.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the {@code wrk} load generator (Debian package {@code wrk}) on loopback and reads its summary. */
final class Wrk {

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");

    /** One wrk run: requests per second, latency percentiles as wrk prints them, and non-2xx answers. */
    record Run(double rate, String p50, String p99, long errors) {
        void print(int round, String what) {
            System.out.printf(Locale.ROOT, "| %d | %s | %,.0f | %s | %s | %d |%n", round, what, rate, p50, p99, errors);
        }
    }

    private Wrk() {
    }

    /** Writes a Lua script for wrk to a temporary file. */
    static Path script(String prefix, String lua) {
        try {
            Path file = Files.createTempFile(prefix, ".lua");
            Files.writeString(file, lua);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Run run(String url, Path script, int seconds, int connections) {
        List<String> command = List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency",
                "-s", script.toString(), url);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            Matcher rate = RATE.matcher(output);
            if (!rate.find()) {
                throw new IllegalStateException("wrk printed no rate:\n" + output);
            }
            Matcher errors = NON_2XX.matcher(output);
            return new Run(Double.parseDouble(rate.group(1)), percentile(output, "50%"), percentile(output, "99%"),
                    errors.find() ? Long.parseLong(errors.group(1)) : 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run wrk (apt-get install wrk)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String percentile(String output, String which) {
        Matcher m = Pattern.compile("^\\s+" + Pattern.quote(which) + "\\s+(\\S+)", Pattern.MULTILINE).matcher(output);
        return m.find() ? m.group(1) : "?";
    }
}
