package io.jenkins.plugins.deployrollback.cli.config;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * What is wrong with a configuration file that cannot be read as YAML at all, placed at its line and
 * column: {@code deploy-rollback.yaml:4:5: expected ',' or ']', but got <scalar> (in the flow sequence
 * that starts on line 3, column 14)}.
 */
final class YamlSyntax {
    private YamlSyntax() {}

    /** The file's text; bytes that are not UTF-8 are an error at their line and column. */
    static String decode(Path file, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int at = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            // The column counts characters, not bytes: the text before the bad byte is valid UTF-8.
            int column = new String(bytes, lineStart, at - lineStart, StandardCharsets.UTF_8).length() + 1;
            throw problem(
                    file,
                    line,
                    column,
                    String.format(
                            "is not UTF-8 text (byte 0x%02X here, perhaps Latin-1 or Windows-1252): save the file as"
                                    + " UTF-8",
                            bytes[at] & 0xff));
        }
        decoder.flush(out);
        out.flip();
        return out.toString();
    }

    /**
     * The YAML syntax error {@code e} (or one of its causes), placed; null when {@code e} is not one.
     */
    static ConfigException of(Path file, Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                Mark at = marked.getProblemMark();
                String reason = marked.getProblem() == null ? "invalid YAML" : marked.getProblem();
                Mark context = marked.getContextMark();
                if (marked.getContext() != null && context != null) {
                    reason += " (" + marked.getContext() + " that starts on line " + (context.getLine() + 1)
                            + ", column " + (context.getColumn() + 1) + ")";
                }
                return problem(file, at.getLine() + 1, at.getColumn() + 1, reason);
            }
        }
        return null;
    }

    private static ConfigException problem(Path file, int line, int column, String message) {
        return new ConfigException(java.util.List.of(file + ":" + line + ":" + column + ": " + message));
    }
}
