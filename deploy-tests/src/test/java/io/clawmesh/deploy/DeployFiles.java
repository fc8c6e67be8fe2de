package io.clawmesh.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** Finds the repository's deployment files and reads YAML (anchors and merge keys included) into plain maps. */
final class DeployFiles {

    private DeployFiles() {}

    /** The repository root: set by the build, or the parent of the working directory. */
    static Path root() {
        String root = System.getProperty("repository.root");
        Path path = (root != null) ? Path.of(root) : Path.of("..");
        return path.toAbsolutePath().normalize();
    }

    static Path file(String relative) {
        Path path = root().resolve(relative);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("missing " + path);
        }
        return path;
    }

    static String read(String relative) {
        try {
            return Files.readString(file(relative));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static Map<String, Object> yaml(String text) {
        return new Yaml(new LoaderOptions()).load(text);
    }

    /** Every non-empty document of a multi-document stream, as {@code helm template} prints. */
    static List<Map<String, Object>> documents(String text) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(new LoaderOptions()).loadAll(text)) {
            if (document instanceof Map<?, ?> map) {
                documents.add(map(map));
            }
        }
        return documents;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    /** The value at a dotted path of maps, or null. */
    static Object at(Map<String, Object> map, String path) {
        Object current = map;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> level)) {
                return null;
            }
            current = level.get(key);
        }
        return current;
    }
}
