package com.hsrcpay.apikeys.command.scheduling;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceException;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Axon's db-scheduler deadline manager, with one change: cancelling a deadline never fails the command that cancels
 * it. Axon's own version tolerates only a deadline that is gone; db-scheduler also refuses to cancel one that is
 * being executed right now (or was picked by a node that died and is not yet detected as dead), which would turn an
 * ordinary patch or delete into an error. Every deadline handler re-checks the key's state when it fires, so a
 * deadline that could not be cancelled simply does nothing.
 */
class KeyDeadlineManager extends DbSchedulerDeadlineManager {

    private static final Logger log = LoggerFactory.getLogger(KeyDeadlineManager.class);

    private final Scheduler scheduler;

    KeyDeadlineManager(Builder builder, Scheduler scheduler) {
        super(builder.scheduler(scheduler));
        this.scheduler = scheduler;
    }

    @Override
    public void cancelSchedule(String deadlineName, String scheduleId) {
        // in the prepare-commit phase of the command, so in its transaction: the event and the cancel commit together
        runOnPrepareCommitOrNow(() -> {
            try {
                scheduler.cancel(new DbSchedulerDeadlineToken(scheduleId));
            } catch (TaskInstanceException e) {
                log.debug("Deadline {} [{}] not cancelled ({}); its handler will find nothing to do",
                        deadlineName, scheduleId, e.getClass().getSimpleName());
            }
        });
    }
}
