package com.hsrcpay.apikeys.query.transparency;

import com.hsrcpay.apikeys.query.processing.PeriodicTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Every interval, signs a checkpoint if the tree grew (publishing is the publisher's, on its own schedule). A failing
 * round (database away) is logged and the next one tries again; a daemon thread, so it never blocks shutdown.
 */
public class CheckpointSchedule extends PeriodicTask {

    private static final Logger log = LoggerFactory.getLogger(CheckpointSchedule.class);

    private final Checkpoints checkpoints;

    public CheckpointSchedule(Checkpoints checkpoints, Duration interval) {
        super("transparency-checkpoints", Duration.ZERO, interval);
        this.checkpoints = checkpoints;
    }

    @Override
    protected void round() {
        try {
            checkpoints.signIfGrown().ifPresent(signed ->
                    log.debug("checkpoint signed: tree size {}", signed.treeSize()));
        } catch (RuntimeException e) {
            log.warn("no checkpoint signed this round, retrying in {} ms: {}", interval.toMillis(), e.toString());
        }
    }
}
