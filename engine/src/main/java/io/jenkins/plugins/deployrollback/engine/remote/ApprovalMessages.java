package io.jenkins.plugins.deployrollback.engine.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jenkins.plugins.deployrollback.engine.support.Json;

/** Reading and writing what crosses an {@link ApprovalWire}, whose calls declare no {@code IOException}. */
final class ApprovalMessages {
    private ApprovalMessages() {}

    static String write(Object value, String what) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The " + what + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * {@code json} as a {@code type}. Unreadable JSON means the two ends run different versions of the
     * engine (or the channel changed it), which no retry fixes.
     */
    static <T> T read(String json, Class<T> type, String what) {
        String why;
        try {
            if (json != null) {
                return Json.mapper().readValue(json, type);
            }
            why = "nothing came";
        } catch (JsonProcessingException e) {
            why = e.getOriginalMessage();
        } catch (IllegalArgumentException e) {
            why = e.getMessage();
        }
        throw new IllegalStateException("The " + what + " that came across the approval wire is unreadable (" + why
                + "): both ends must run the same version of Deploy Rollback, and the wire must carry the text"
                + " unchanged");
    }
}
