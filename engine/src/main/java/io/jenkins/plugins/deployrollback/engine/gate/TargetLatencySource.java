package io.jenkins.plugins.deployrollback.engine.gate;

import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The latencies of GET requests to {@code url} on each target of one side of a rollout in steps,
 * {@code {host}} in the URL replaced by the target's host: on the canary side the targets already
 * switched, on the baseline side those not switched yet. {@code requests} requests are shared out
 * over the side's hosts, in turn, so both sides send the same number whatever their size. A canary
 * check with this source compares the new release with the old one under the same traffic at the
 * same time, as Kayenta does with a canary and a baseline cluster.
 *
 * @param url an http:// or https:// URL with {@code {host}} in it, such as {@code http://{host}:8080/api}
 * @param requests how many requests one side sends in all, 1 to 100000
 * @param requestInterval the pause between two requests to one host (default 0)
 * @param timeout how long one request may take (default 5s)
 */
public record TargetLatencySource(String url, int requests, Duration requestInterval, Duration timeout)
        implements SampleSource {
    /** What stands for a target's host in {@link #url}. */
    public static final String HOST = "{host}";

    public TargetLatencySource {
        if (url == null || !url.contains(HOST)) {
            throw new IllegalArgumentException("HTTP latency source " + Text.quote(url) + " reads the targets of a"
                    + " rollout by side, so its URL needs " + HOST + " where each target's host goes,"
                    + " such as http://{host}:8080/api");
        }
        // Validates the rest of the URL, the interval and the timeout as a plain source would, and
        // says so with the URL as given.
        HttpLatencySource checked;
        try {
            checked = new HttpLatencySource(at(url, "target-host"), requests, requestInterval, timeout);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage()
                    .replace("http://target-host", "http://" + HOST)
                    .replace("https://target-host", "https://" + HOST)
                    .replace("//target-host", "//" + HOST));
        }
        requestInterval = checked.requestInterval();
        timeout = checked.timeout();
    }

    /** True when {@code url} names a target's host, so it needs this source rather than a plain one. */
    public static boolean namesTargetHost(String url) {
        return url != null && url.contains(HOST);
    }

    @Override
    public String describe() {
        return "latency of GET " + url + " on each target of its side";
    }

    @Override
    public double[] values(GateContext context) throws IOException {
        throw new IOException("latency source " + url + " reads the targets of a rollout in steps, and "
                + context.environment() + " is not in the middle of one: use it in a canary check of a"
                + " rolling or canary deployment");
    }

    @Override
    public double[] values(GateContext context, boolean canary) throws IOException, InterruptedException {
        List<String> hosts =
                context.sides() == null ? List.of() : context.sides().hostsOf(canary);
        if (hosts.isEmpty()) {
            return values(context);
        }
        int perHost = (int) Math.ceil(requests / (double) hosts.size());
        double[] all = new double[0];
        int left = requests;
        for (String host : hosts) {
            int n = Math.min(perHost, left);
            if (n == 0) {
                break;
            }
            left -= n;
            double[] some = new HttpLatencySource(at(url, host), n, requestInterval, timeout).values(context);
            all = concat(all, some);
        }
        return all;
    }

    @Override
    public boolean readsTargetSides() {
        return true;
    }

    private static URI at(String url, String host) {
        String text = url.replace(HOST, host.contains(":") ? "[" + host + "]" : host);
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("HTTP latency source " + Text.quote(url) + " is not a valid URL once "
                    + HOST + " is a host name: " + e.getReason());
        }
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
