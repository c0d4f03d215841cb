package io.jenkins.plugins.deployrollback.cli.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value that remembers where it was written (its key path and line), so that every error can
 * point at it: {@code deploy-rollback.yaml:14: environments.demo.hooks[1].runOn: ...}.
 */
final class YamlNode {
    enum Kind {
        MAP,
        LIST,
        SCALAR,
        NULL
    }

    /** A key given a second time in one map, on {@code line}; it was first given on {@code firstLine}. */
    record Duplicate(int line, String path, int firstLine) {}

    final Kind kind;
    final String path;
    final int line;
    final Map<String, YamlNode> map;
    final List<YamlNode> list;
    final String scalar;
    /** A map's keys with the line each is written on; empty for other kinds. */
    private final Map<String, Integer> keyLines;

    private YamlNode(Kind kind, String path, int line, Map<String, YamlNode> map, List<YamlNode> list, String scalar) {
        this(kind, path, line, map, list, scalar, Map.of());
    }

    private YamlNode(
            Kind kind,
            String path,
            int line,
            Map<String, YamlNode> map,
            List<YamlNode> list,
            String scalar,
            Map<String, Integer> keyLines) {
        this.keyLines = keyLines;
        this.kind = kind;
        this.path = path;
        this.line = line;
        this.map = map;
        this.list = list;
        this.scalar = scalar;
    }

    /** The line {@code key} of this map is written on; the map's own line when it has no such key. */
    int lineOf(String key) {
        return keyLines.getOrDefault(key, line);
    }

    /**
     * Parses a whole document; an empty document is an empty map. A key given twice in one map goes
     * to {@code duplicates} (the later value is kept, but the file is refused).
     */
    static YamlNode parse(Reader reader, List<Duplicate> duplicates) throws IOException {
        try (JsonParser parser = new YAMLFactory().createParser(reader)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new YamlNode(Kind.MAP, "", 1, new LinkedHashMap<>(), null, null);
            }
            return read(parser, "", duplicates);
        }
    }

    private static YamlNode read(JsonParser parser, String path, List<Duplicate> duplicates) throws IOException {
        int line = parser.currentTokenLocation().getLineNr();
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, YamlNode> entries = new LinkedHashMap<>();
                Map<String, Integer> keyLines = new java.util.HashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    int keyLine = parser.currentTokenLocation().getLineNr();
                    parser.nextToken();
                    String keyPath = path.isEmpty() ? key : path + "." + key;
                    entries.put(key, read(parser, keyPath, duplicates));
                    Integer firstLine = keyLines.putIfAbsent(key, keyLine);
                    if (firstLine != null) {
                        duplicates.add(new Duplicate(keyLine, keyPath, firstLine));
                    }
                }
                return new YamlNode(Kind.MAP, path, line, entries, null, null, keyLines);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                int index = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(parser, path + "[" + index++ + "]", duplicates));
                }
                return new YamlNode(Kind.LIST, path, line, null, items, null);
            }
            case VALUE_NULL -> {
                return new YamlNode(Kind.NULL, path, line, null, null, null);
            }
            default -> {
                return new YamlNode(Kind.SCALAR, path, line, null, null, parser.getText());
            }
        }
    }

    String describeKind() {
        return switch (kind) {
            case MAP -> "a map";
            case LIST -> "a list";
            // A key pasted in the wrong place must not be echoed into an error message.
            case SCALAR ->
                PrivateKeyText.containsKey(scalar)
                        ? "a private key (not repeated here)"
                        : "the value \"" + scalar + "\"";
            case NULL -> "nothing";
        };
    }
}
