package io.clawmesh.common.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A parsed {@code claw-mesh.yaml}: every leaf key as a dotted path ({@code coordinator.port}) with its value and line.
 * Parsing is strict (unknown keys of the Go sections, lists where a value belongs, non-UTF-8 bytes) because a typo in a
 * security setting must not be ignored; every error names the file and line.
 *
 * @param file where it was read from
 * @param entries dotted key → value (a {@code String}, or a {@code List<String>} for lists) and its line
 */
public record ClawMeshConfigFile(Path file, Map<String, Entry> entries) {

    /** The file name searched for, as in the Go version ({@code .yml} is accepted too). */
    public static final String FILE_NAME = "claw-mesh.yaml";

    private static final Pattern SPRING_KEY = Pattern.compile("[a-z0-9][a-z0-9._\\[\\]-]*");

    /** One leaf of the file. */
    public record Entry(Object value, int line) {}

    /**
     * Finds the file to read: {@code explicit} when given (it must exist), else {@code claw-mesh.yaml} (or {@code .yml})
     * in {@code workingDir}, then in {@code home/.claw-mesh}, then in {@code /etc/claw-mesh}.
     *
     * @throws ConfigFileException when an explicit file does not exist
     */
    public static Optional<Path> locate(@Nullable String explicit, Path workingDir, Path home) {
        if (explicit != null && !explicit.isBlank()) {
            Path path = Path.of(explicit);
            if (!Files.isRegularFile(path)) {
                throw new ConfigFileException(path, 1, "no such config file (given with --config or CLAW_MESH_CONFIG)");
            }
            return Optional.of(path);
        }
        for (Path dir : List.of(workingDir, home.resolve(".claw-mesh"), Path.of("/etc/claw-mesh"))) {
            for (String name : List.of(FILE_NAME, "claw-mesh.yml")) {
                Path candidate = dir.resolve(name);
                if (Files.isRegularFile(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Reads and checks a file.
     *
     * @throws ConfigFileException naming the file and line of the first problem
     */
    public static ClawMeshConfigFile read(Path file) {
        String text = readUtf8(file);
        Node root;
        try (Reader reader = new java.io.StringReader(text)) {
            root = new Yaml(new LoaderOptions()).compose(reader);
        } catch (MarkedYAMLException ex) {
            int line = (ex.getProblemMark() != null) ? ex.getProblemMark().getLine() + 1 : 1;
            throw new ConfigFileException(file, line, "not valid YAML: " + firstLine(ex.getProblem()));
        } catch (YAMLException | IOException ex) {
            throw new ConfigFileException(file, 1, "not valid YAML: " + firstLine(ex.getMessage()));
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        if (root == null) {
            return new ClawMeshConfigFile(file, entries);
        }
        if (!(root instanceof MappingNode mapping)) {
            throw new ConfigFileException(
                    file,
                    line(root),
                    "expected sections such as 'coordinator:' and 'node:', found a " + root.getNodeId());
        }
        new Flattener(file, entries).mapping("", mapping);
        return new ClawMeshConfigFile(file, entries);
    }

    /** Whether a dotted key is one this file may hold. */
    static boolean known(String key) {
        String section = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
        if (ConfigKeys.PASS_THROUGH.contains(section)) {
            return SPRING_KEY.matcher(key).matches();
        }
        return ConfigKeys.MAPPING.containsKey(key);
    }

    private static String readUtf8(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            try {
                return StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(bytes))
                        .toString();
            } catch (CharacterCodingException ex) {
                throw new ConfigFileException(
                        file, lineOfFirstBadByte(bytes), "not a UTF-8 text file (is it a binary?)");
            }
        } catch (IOException ex) {
            throw new ConfigFileException(file, 1, "cannot read it: " + ex.getMessage());
        }
    }

    private static int lineOfFirstBadByte(byte[] bytes) {
        int line = 1;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                line++;
            } else if (bytes[i] < 0 || bytes[i] == 0) {
                return line;
            }
        }
        return line;
    }

    private static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    private static String firstLine(@Nullable String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return (newline < 0) ? message : message.substring(0, newline);
    }

    /** Walks the node tree into dotted keys, checking each against the known keys. */
    private record Flattener(Path file, Map<String, Entry> entries) {

        void mapping(String prefix, MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                    throw new ConfigFileException(this.file, line(tuple.getKeyNode()), "keys must be plain words");
                }
                String key = prefix.isEmpty() ? keyNode.getValue() : prefix + "." + keyNode.getValue();
                value(key, tuple.getValueNode(), line(keyNode));
            }
        }

        private void value(String key, Node node, int keyLine) {
            boolean section = ConfigKeys.MAPPING.keySet().stream().anyMatch((k) -> k.startsWith(key + "."))
                    || ConfigKeys.PASS_THROUGH.contains(key.split("\\.")[0]);
            if (node instanceof MappingNode nested) {
                if (!known(key) && !section) {
                    throw unknown(key, keyLine);
                }
                mapping(key, nested);
                return;
            }
            if (section && !known(key) && node instanceof ScalarNode empty && isNull(empty.getValue())) {
                // a section whose keys are all commented out, as in the file claw-mesh init writes
                return;
            }
            if (!known(key)) {
                throw unknown(key, keyLine);
            }
            if (node instanceof SequenceNode sequence) {
                List<String> values = new ArrayList<>();
                for (Node item : sequence.getValue()) {
                    if (!(item instanceof ScalarNode scalar)) {
                        throw new ConfigFileException(this.file, line(item), key + " takes a list of plain values");
                    }
                    values.add(scalar.getValue());
                }
                this.entries.put(key, new Entry(List.copyOf(values), keyLine));
            } else if (node instanceof ScalarNode scalar) {
                String text = scalar.getValue();
                if (!isNull(text)) {
                    this.entries.put(key, new Entry(text, keyLine));
                }
            }
        }

        private static boolean isNull(String text) {
            return text.isEmpty() || text.equals("~") || text.equals("null");
        }

        private ConfigFileException unknown(String key, int line) {
            String section = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            if (!ConfigKeys.SECTIONS.contains(section)) {
                return new ConfigFileException(
                        this.file,
                        line,
                        "unknown section '" + section + "' (expected " + String.join(", ", ConfigKeys.SECTIONS)
                                + ", or a Spring prefix such as mesh or server)");
            }
            List<String> inSection = ConfigKeys.MAPPING.keySet().stream()
                    .filter((k) -> k.startsWith(section + "."))
                    .sorted()
                    .toList();
            return new ConfigFileException(
                    this.file,
                    line,
                    "unknown key '" + key + "' (known in " + section + ": " + String.join(", ", inSection) + ")");
        }
    }
}
