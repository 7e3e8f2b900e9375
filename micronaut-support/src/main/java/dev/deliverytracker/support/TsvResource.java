package dev.deliverytracker.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Tables kept as data on the classpath: tab-separated, {@code #} comments and blank lines skipped. */
public final class TsvResource {

    /** One row: where it is ({@code resource:line}, for error messages) and its trimmed cells. */
    public record Row(String where, List<String> cells) {
        public String cell(int index) {
            return cells.get(index);
        }
    }

    private TsvResource() {
    }

    /** Every row of {@code resource} (absolute, from the class path), each with at least {@code minCells} cells. */
    public static List<Row> read(String resource, int minCells, String expected) {
        List<Row> rows = new ArrayList<>();
        try (InputStream in = TsvResource.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                List<String> cells = new ArrayList<>();
                for (String cell : line.split("\t")) {
                    cells.add(cell.trim());
                }
                if (cells.size() < minCells) {
                    throw new IllegalStateException(resource + ":" + number + ": expected " + expected);
                }
                rows.add(new Row(resource + ":" + number, List.copyOf(cells)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        return rows;
    }
}
