package io.clawmesh.cli.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A plain aligned table: a header row and columns padded to their widest cell, two spaces apart, no borders (easy to
 * read and to {@code grep}). Every cell is {@linkplain Untrusted#cell escaped}, so a cell stays one line and cannot
 * steer the terminal; a cell may be styled (coloured) after padding, so the table's own escape codes never break
 * alignment.
 */
public final class Table {

    private final List<String> headers;

    private final List<List<String>> rows = new ArrayList<>();

    private final List<List<UnaryOperator<String>>> styles = new ArrayList<>();

    public Table(String... headers) {
        this.headers = List.of(headers);
    }

    /** Adds a row of plain cells. */
    public Table row(String... cells) {
        return row(Arrays.asList(cells), null);
    }

    /** Adds a row; {@code styles} (one per cell, may be null) colour the padded cell. */
    public Table row(List<String> cells, @org.jspecify.annotations.Nullable List<UnaryOperator<String>> styles) {
        if (cells.size() != this.headers.size()) {
            throw new IllegalArgumentException("expected " + this.headers.size() + " cells, got " + cells.size());
        }
        this.rows.add(cells.stream().map(Untrusted::cell).toList());
        this.styles.add(styles);
        return this;
    }

    @Override
    public String toString() {
        int[] widths = new int[this.headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = this.headers.get(i).length();
            for (List<String> row : this.rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder text = new StringBuilder();
        line(text, this.headers, null, widths);
        for (int r = 0; r < this.rows.size(); r++) {
            line(text, this.rows.get(r), this.styles.get(r), widths);
        }
        return text.toString();
    }

    private static void line(StringBuilder text, List<String> cells, List<UnaryOperator<String>> styles, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            boolean last = i == cells.size() - 1;
            String padded = last ? cell : cell + " ".repeat(widths[i] - cell.length());
            line.append(
                    (styles != null && styles.get(i) != null) ? styles.get(i).apply(padded) : padded);
            if (!last) {
                line.append("  ");
            }
        }
        text.append(line.toString().stripTrailing()).append('\n');
    }
}
