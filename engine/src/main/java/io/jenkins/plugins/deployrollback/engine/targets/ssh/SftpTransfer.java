package io.jenkins.plugins.deployrollback.engine.targets.ssh;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.SftpException;
import io.jenkins.plugins.deployrollback.engine.progress.ProgressListener;
import io.jenkins.plugins.deployrollback.engine.progress.UploadMeter;
import io.jenkins.plugins.deployrollback.engine.release.Artifact;
import io.jenkins.plugins.deployrollback.engine.release.ChecksumMismatchException;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseContent;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseWriter;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession.ArtifactSupplier;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sending a release to a host over SFTP, into a staging folder of its own: its folders and files,
 * streamed in large writes, every byte counted for the progress; then the plan (modes, links, copies,
 * shared links) and the manifest the host's finishing script applies. And the check of the checksums
 * the host computed of what it received. Failures of the transfer are the connection's: retried,
 * never reported as a bad file.
 */
final class SftpTransfer {
    private static final int UPLOAD_BUFFER = 256 * 1024;

    private SftpTransfer() {}

    /** Sends {@code release} into {@code staging/name} on {@code c}'s host, with its plan and manifest beside it. */
    static void send(
            SshConnection c,
            ProgressListener progress,
            Release release,
            ArtifactSupplier source,
            List<String> sharedPlan,
            String staging,
            String name)
            throws IOException {
        String folder = staging + "/" + name;
        ChannelSftp sftp = c.sftp();
        List<String> plan = new ArrayList<>();
        UploadMeter meter = new UploadMeter(
                progress,
                c.target().name(),
                release.id().value(),
                release.content().totalSize());
        try {
            sftp.mkdir(folder);
            ReleaseWriter.stream(
                    source.get(),
                    release.content(),
                    new ReleaseWriter.ReleaseSink() {
                        @Override
                        public void directory(String path) throws IOException {
                            try {
                                sftp.mkdir(folder + "/" + path);
                            } catch (SftpException e) {
                                throw c.lost("uploading " + release.id(), e);
                            }
                        }

                        @Override
                        public OutputStream file(String path, boolean executable) throws IOException {
                            plan.add((executable ? "x" : "f") + "\t" + path + "\t");
                            try {
                                return new BufferedOutputStream(
                                        new Remote(
                                                c,
                                                sftp.put(folder + "/" + path, ChannelSftp.OVERWRITE),
                                                release.id(),
                                                meter),
                                        UPLOAD_BUFFER);
                            } catch (SftpException e) {
                                throw c.lost("uploading " + release.id(), e);
                            }
                        }

                        @Override
                        public void link(String path, String linkTarget) {
                            plan.add("l\t" + path + "\t" + linkTarget);
                        }

                        @Override
                        public void copy(String original, String path, Artifact artifact) {
                            plan.add("h\t" + path + "\t" + original);
                        }
                    },
                    () -> {});
            meter.finished();
            plan.addAll(sharedPlan);
            put(sftp, staging + "/" + name + ".plan", String.join("\n", plan) + "\n");
            put(sftp, staging + "/" + name + ".manifest", release.content().manifest());
        } catch (SftpException e) {
            throw c.lost("uploading " + release.id(), e);
        }
    }

    /**
     * Compares the checksums the host computed of what it received ({@code out} of the finishing
     * script) with the release's: one that differs, or a file missing, is a corrupted upload.
     */
    static void verifyOnHost(String target, ProgressListener progress, ReleaseContent content, String out)
            throws IOException {
        Map<String, String> onHost = new HashMap<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("replaced:")) {
                progress.warn("Release content at " + line.substring("replaced:".length())
                        + " is replaced by the link to shared/" + line.substring("replaced:".length()));
            } else if (line.length() > 68 && line.charAt(64) == ' ') {
                onHost.put(line.substring(68), line.substring(0, 64));
            }
        }
        for (Artifact artifact : content.artifacts()) {
            String found = onHost.get(artifact.path());
            if (!artifact.sha256().equals(found)) {
                throw new ChecksumMismatchException("Checksum mismatch on " + target + " for "
                        + Text.quote(artifact.path()) + ": the host computed "
                        + (found == null ? "nothing (the file is missing)" : "SHA-256 " + found)
                        + ", the release records " + artifact.sha256()
                        + ". The upload was corrupted; nothing was switched.");
            }
        }
    }

    /** An upload stream whose failures are the connection's: a broken pipe is retried, not reported as a bad file. */
    private static final class Remote extends FilterOutputStream {
        private final SshConnection connection;
        private final ReleaseId release;
        private final UploadMeter meter;

        Remote(SshConnection connection, OutputStream out, ReleaseId release, UploadMeter meter) {
            super(out);
            this.connection = connection;
            this.release = release;
            this.meter = meter;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
                meter.sent(len);
            } catch (IOException | RuntimeException e) {
                throw connection.lost("uploading " + release, e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException | RuntimeException e) {
                throw connection.lost("uploading " + release, e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                out.close();
            } catch (IOException | RuntimeException e) {
                throw connection.lost("uploading " + release, e);
            }
        }
    }

    private static void put(ChannelSftp sftp, String path, String text) throws SftpException {
        sftp.put(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), path, ChannelSftp.OVERWRITE);
    }
}
