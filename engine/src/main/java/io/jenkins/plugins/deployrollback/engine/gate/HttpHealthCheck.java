package io.jenkins.plugins.deployrollback.engine.gate;

import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The health check run after the switch: {@code GET url} until it answers with the expected status,
 * at most {@code attempts} times, {@code interval} apart, each request limited to {@code timeout}.
 * Passes on the first expected answer; fails with every attempt as evidence otherwise.
 */
public record HttpHealthCheck(
        String name, URI url, int expectStatus, Duration timeout, int attempts, Duration interval) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public HttpHealthCheck {
        name = name == null ? "health" : name;
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Health check name " + Text.quote(name)
                    + " is invalid: use letters, digits, '.', '_' or '-' (at most 64)");
        }
        Objects.requireNonNull(url, "url of health check " + name);
        if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
            throw new IllegalArgumentException("Health check " + name + " has URL " + Text.quote(url.toString())
                    + ": use an absolute http:// or https:// URL");
        }
        if (expectStatus < 100 || expectStatus > 599) {
            throw new IllegalArgumentException("Health check " + name + " expects status " + expectStatus
                    + ": use an HTTP status between 100 and 599");
        }
        timeout = requirePositive(name, "timeout", timeout == null ? Duration.ofSeconds(5) : timeout);
        interval = interval == null ? Duration.ofSeconds(1) : interval;
        if (interval.isNegative()) {
            throw new IllegalArgumentException("Health check " + name + " has a negative interval");
        }
        if (attempts < 1 || attempts > 1000) {
            throw new IllegalArgumentException(
                    "Health check " + name + " has " + attempts + " attempts: use between 1 and 1000");
        }
    }

    private static Duration requirePositive(String name, String what, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(
                    "Health check " + name + " has " + what + " " + value + ": use a positive duration such as 2s");
        }
        return value;
    }

    /** Runs the check now and returns its verdict; {@code progress} hears each attempt. */
    public GateVerdict evaluate(Clock clock, Consumer<String> progress) {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        List<Measurement> measurements = new ArrayList<>();
        String subject = "GET " + url;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            long start = System.nanoTime();
            String observed;
            boolean ok;
            try {
                HttpResponse<Void> response = client.send(
                        HttpRequest.newBuilder(url).timeout(timeout).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                ok = response.statusCode() == expectStatus;
                observed = response.statusCode() + " in " + Text.duration(Duration.ofNanos(System.nanoTime() - start));
            } catch (HttpTimeoutException e) {
                ok = false;
                observed = "no answer within " + Text.duration(timeout);
            } catch (IOException e) {
                ok = false;
                observed = "error " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                measurements.add(
                        new Measurement(clock.instant(), subject, "interrupted", String.valueOf(expectStatus), false));
                return new GateVerdict(
                        name, Verdict.INCONCLUSIVE, "interrupted after " + (attempt - 1) + " attempts", measurements);
            }
            Measurement m = new Measurement(clock.instant(), subject, observed, String.valueOf(expectStatus), ok);
            measurements.add(m);
            progress.accept(name + ": " + m.describe() + ", attempt " + attempt + "/" + attempts);
            if (ok) {
                return new GateVerdict(
                        name,
                        Verdict.PASS,
                        subject + " answered " + expectStatus + " on attempt " + attempt + " of " + attempts,
                        measurements);
            }
            if (attempt < attempts && !interval.isZero()) {
                try {
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new GateVerdict(
                            name, Verdict.INCONCLUSIVE, "interrupted after " + attempt + " attempts", measurements);
                }
            }
        }
        return new GateVerdict(
                name,
                Verdict.FAIL,
                subject + " did not answer " + expectStatus + " in " + attempts
                        + (attempts == 1 ? " attempt" : " attempts") + "; last: "
                        + measurements.get(measurements.size() - 1).observed(),
                measurements);
    }
}
