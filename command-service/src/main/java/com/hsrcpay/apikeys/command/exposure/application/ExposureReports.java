package com.hsrcpay.apikeys.command.exposure.application;

import com.hsrcpay.apikeys.command.key.application.KeyWrites;
import com.hsrcpay.apikeys.command.key.model.ReportExposure;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.secret.SecretFormat;
import com.hsrcpay.apikeys.verification.KeyVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Reports of secrets found in public: each token that is a working secret of ours becomes a {@link ReportExposure}
 * command to its key, which decides (revoke the key, retire a previous secret in its grace, or nothing). Keys are found
 * by secret hash through key verification's one lookup. A token is held only while its report is worked off: never
 * logged, stored or put in a command (only its SHA-256 travels).
 */
public class ExposureReports implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExposureReports.class);
    /** Actor of the events a GitHub report causes. */
    public static final Actor GITHUB = Actor.system("github-secret-scanning");
    /** Actor of the events a public report causes (nobody is known: holding the secret is the proof). */
    public static final Actor PUBLIC_REPORT = Actor.system("exposure-report");

    private final KeyVerifier verifier;
    private final KeyWrites writes;
    private final ThreadPoolExecutor later;

    public ExposureReports(KeyVerifier verifier, KeyWrites writes, int queueCapacity) {
        this.verifier = verifier;
        this.writes = writes;
        this.later = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueCapacity),
                runnable -> {
                    Thread thread = new Thread(runnable, "kms-exposure-reports");
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Works off a report now: every working secret of ours among {@code tokens} stops before this returns. A failure
     * to reach a key (a busy key, the database) propagates, so the reporter retries the whole report: repeats are
     * harmless.
     */
    public List<ExposureFinding> report(List<String> tokens, String source, String url, Actor actor,
                                        String requestId) {
        List<ExposureFinding> findings = new ArrayList<>(tokens.size());
        for (String token : tokens) {
            findings.add(reportOne(token, source, url, actor, requestId));
        }
        return findings;
    }

    /**
     * Queues a report to be worked off in the background, so its answer cannot tell a real key from a fake one, not
     * even by its timing. False when the queue is full (nothing is queued then).
     */
    public boolean reportLater(List<String> tokens, String source, String url, Actor actor, String requestId) {
        List<String> copy = List.copyOf(tokens);
        try {
            later.execute(() -> {
                for (String token : copy) {
                    try {
                        reportOne(token, source, url, actor, requestId);
                    } catch (RuntimeException e) {
                        // the token stays out of the log: only what failed
                        LOG.warn("An exposure report of request {} could not reach its key: {}", requestId,
                                e.getClass().getSimpleName());
                    }
                }
            });
            return true;
        } catch (RejectedExecutionException full) {
            return false;
        }
    }

    private ExposureFinding reportOne(String token, String source, String url, Actor actor, String requestId) {
        String sha256 = SecretFormat.sha256(token);
        Optional<SecretFormat.PresentedKey> presented = SecretFormat.parse(token);
        if (presented.isEmpty()) {
            return new ExposureFinding(sha256, false); // not our format or a bad checksum: no lookup
        }
        KeyVerifier.SecretOwnership ownership = verifier.ownership(sha256);
        if (ownership.key() != null && ownership.key().type() != KeyType.PUBLISHABLE) {
            // publishable keys are public by design: ours, and nothing changes
            writes.reportExposure(new ReportExposure(new KeyId(ownership.key().keyId()), sha256, source, url, actor,
                    requestId));
        }
        return new ExposureFinding(sha256, ownership.ours());
    }

    @Override
    public void close() {
        later.shutdown();
    }
}
