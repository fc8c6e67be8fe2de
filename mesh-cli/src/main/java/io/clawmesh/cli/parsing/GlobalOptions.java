package io.clawmesh.cli.parsing;

import io.clawmesh.cli.support.UsageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.shell.core.command.CommandOption;

/**
 * The flags every verb takes: {@code --coordinator URL}, {@code --token T}, {@code --config FILE} and
 * {@code --output table|json} ({@code -o}). Any of them may be absent.
 */
public record GlobalOptions(
        @Nullable String coordinator,
        @Nullable String token,
        @Nullable String config,
        @Nullable String output,
        @Nullable String caFingerprint) {

    /** Long names of the global flags. */
    public static final Set<String> NAMES = Set.of("coordinator", "token", "config", "output", "ca-fingerprint");

    /** The global flags as Spring Shell options, for help and completion. */
    public static final List<CommandOption> OPTIONS = List.of(
            option("coordinator", ' ', "coordinator URL (default http://127.0.0.1:9180, or the config file)"),
            option("token", ' ', "operator token (default CLAW_MESH_TOKEN, the config file, or the local token file)"),
            option("config", ' ', "claw-mesh.yaml to read instead of the usual places"),
            option("output", 'o', "table (default) or json"),
            option(
                    "ca-fingerprint",
                    ' ',
                    "sha256:… of the mesh CA an https coordinator must show (default tls.ca_fingerprint, "
                            + "or the local <data-dir>/tls/ca.crt)"));

    public static GlobalOptions none() {
        return new GlobalOptions(null, null, null, null, null);
    }

    /** These options, with the ones not set here taken from {@code fallback}. */
    public GlobalOptions orElse(GlobalOptions fallback) {
        return new GlobalOptions(
                (this.coordinator != null) ? this.coordinator : fallback.coordinator,
                (this.token != null) ? this.token : fallback.token,
                (this.config != null) ? this.config : fallback.config,
                (this.output != null) ? this.output : fallback.output,
                (this.caFingerprint != null) ? this.caFingerprint : fallback.caFingerprint);
    }

    /** Whether output should be JSON; anything but {@code table} or {@code json} is a usage error. */
    public boolean json(@Nullable String command) {
        if (this.output == null) {
            return false;
        }
        return switch (this.output.toLowerCase(Locale.ROOT)) {
            case "json" -> true;
            case "table", "text" -> false;
            default -> throw new UsageException(command, "--output takes table or json, not '" + this.output + "'");
        };
    }

    /** Takes the global flags out of a command line, wherever they are, and returns them with what is left. */
    public static Split split(List<String> words) {
        List<String> rest = new ArrayList<>();
        String[] values = new String[5];
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (word.equals("--")) {
                rest.addAll(words.subList(i, words.size()));
                break;
            }
            String name = globalName(word);
            if (name == null) {
                rest.add(word);
                continue;
            }
            String value;
            int equals = word.indexOf('=');
            if (equals > 0) {
                value = word.substring(equals + 1);
            } else if (i + 1 < words.size()) {
                value = words.get(++i);
            } else {
                throw new UsageException(null, "--" + name + " needs a value");
            }
            values[index(name)] = value;
        }
        return new Split(new GlobalOptions(values[0], values[1], values[2], values[3], values[4]), rest);
    }

    private static @Nullable String globalName(String word) {
        if (word.equals("-o") || word.startsWith("-o=")) {
            return "output";
        }
        if (!word.startsWith("--")) {
            return null;
        }
        String name = word.substring(2);
        int equals = name.indexOf('=');
        if (equals >= 0) {
            name = name.substring(0, equals);
        }
        return NAMES.contains(name) ? name : null;
    }

    private static int index(String name) {
        return switch (name) {
            case "coordinator" -> 0;
            case "token" -> 1;
            case "config" -> 2;
            case "ca-fingerprint" -> 4;
            default -> 3;
        };
    }

    private static CommandOption option(String name, char shortName, String description) {
        return CommandOption.with()
                .longName(name)
                .shortName(shortName)
                .description(description)
                .required(false)
                .type(String.class)
                .build();
    }

    /** The result of {@link #split}. */
    public record Split(GlobalOptions options, List<String> rest) {}
}
