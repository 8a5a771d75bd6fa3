package com.hsrcpay.apikeys.command.scheduling;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.serializer.JacksonSerializer;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.hsrcpay.apikeys.database.DedicatedPool;
import com.hsrcpay.apikeys.database.DedicatedPools;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurationScopeAwareProvider;
import org.axonframework.deadline.DeadlineManagerSpanFactory;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.axonframework.deadline.dbscheduler.DbSchedulerHumanReadableDeadlineDetails;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Durable deadlines for the key aggregate (expiry, end of a rotation grace): Axon's {@link DbSchedulerDeadlineManager}
 * on a db-scheduler {@link Scheduler} whose table, {@code command_side.scheduled_tasks}, is created by this service's
 * Flyway migrations (never by the library). A deadline is a row: it outlives a restart, and any instance of the
 * service on the same database fires it, exactly one of them (db-scheduler picks a row with an optimistic lock).
 *
 * <p>The scheduler reaches the database through {@link SchedulerConnections}: a deadline scheduled or cancelled by a
 * command is written in the command's own transaction, together with the event that asks for it, so there is never an
 * event without its deadline nor a deadline of a command that failed; its polling uses a pool of its own.
 *
 * <p>Rows hold Axon's human-readable deadline details as JSON ({@code task_data}: deadline name such as
 * {@code key-expiry}, the aggregate scope with the key id, the payload): an operator can see with SQL what is pending
 * for which key, and no Java deserialisation is involved in reading them back.
 *
 * <p>A {@link Scheduler} bean here also switches on Axon's {@code AxonDbSchedulerAutoConfiguration} (it is
 * conditional on one); this class replaces its deadline task and deadline manager with the ones below and leaves it
 * the event scheduler, which nothing uses. Only the command service scans this package: the query service has no
 * scheduler.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SchedulerSettings.class)
public class DeadlineSchedulingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DeadlineSchedulingConfiguration.class);

    /**
     * The task that fires Axon deadlines: Axon's own, but a failure (say the key changed at the same moment and the
     * append met a concurrent write) is retried after 1 s, doubling up to a maximum, instead of db-scheduler's
     * default of 5 minutes later. Named as Axon's auto-configuration names it, which then leaves its own out.
     */
    @Bean
    @Qualifier("deadlineDetailsTask")
    Task<DbSchedulerHumanReadableDeadlineDetails> deadlineDetailsTask(
            ApplicationContext context, SchedulerSettings settings) {
        Task<DbSchedulerHumanReadableDeadlineDetails> axonTask = DbSchedulerDeadlineManager.humanReadableTask(
                () -> context.getBean(DbSchedulerDeadlineManager.class));
        return Tasks.oneTime(axonTask.getName(), DbSchedulerHumanReadableDeadlineDetails.class)
                .onFailure(new CappedBackoff<>(Duration.ofMillis(settings.retryInitialMs()),
                        Duration.ofMillis(settings.retryMaxMs())))
                .execute((instance, executionContext) -> axonTask.execute(instance, executionContext));
    }

    @Bean(destroyMethod = "close")
    DedicatedPool schedulerPool(DedicatedPools pools) {
        return pools.create("scheduler", 2);
    }

    /**
     * Started and stopped by {@link SchedulerLifecycle}, not by Spring's destroy callbacks. Its time is the service's
     * {@link Clock} (the one the aggregate stamps events with): what is due is decided by the same clock that scheduled
     * it, and a test can move it past a refill's midnight instead of waiting for one.
     */
    @Bean(destroyMethod = "")
    Scheduler deadlineScheduler(
            DataSource dataSource,
            @Qualifier("schedulerPool") DedicatedPool schedulerPool,
            List<Task<?>> tasks,
            SchedulerSettings settings,
            Clock clock) {
        return Scheduler.create(new SchedulerConnections(dataSource, schedulerPool.dataSource()), tasks)
                .clock(clock::instant)
                .tableName(settings.tableName())
                .serializer(new JacksonSerializer())
                .schedulerName(new SchedulerName.Fixed(instanceName()))
                .pollingInterval(Duration.ofMillis(settings.pollingIntervalMs()))
                .heartbeatInterval(Duration.ofMillis(settings.heartbeatIntervalMs()))
                .threads(settings.threads())
                .shutdownMaxWait(Duration.ofMillis(settings.shutdownMaxWaitMs()))
                .build();
    }

    @Bean
    SchedulerLifecycle deadlineSchedulerLifecycle(Scheduler deadlineScheduler) {
        return new SchedulerLifecycle(deadlineScheduler);
    }

    /**
     * The deadline manager of the application (Axon's configuration takes the single bean of the type). Neither
     * starts nor stops the scheduler: {@link SchedulerLifecycle} does.
     */
    @Bean
    KeyDeadlineManager deadlineManager(Scheduler deadlineScheduler,
                                       org.axonframework.config.Configuration configuration,
                                       @Qualifier("eventSerializer") Serializer serializer,
                                       TransactionManager transactionManager,
                                       DeadlineManagerSpanFactory spanFactory) {
        return new KeyDeadlineManager(DbSchedulerDeadlineManager.builder()
                .scopeAwareProvider(new ConfigurationScopeAwareProvider(configuration))
                .serializer(serializer)
                .transactionManager(transactionManager)
                .spanFactory(spanFactory)
                .useBinaryPojo(false)
                .startScheduler(false)
                .stopScheduler(false), deadlineScheduler);
    }

    /** Unique per running instance: db-scheduler records which instance picked a deadline. */
    private static String instanceName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "command-service";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Retries after {@code initial}, doubling with every consecutive failure, never later than {@code max}. */
    static final class CappedBackoff<T> implements FailureHandler<T> {

        private final Duration initial;
        private final Duration max;

        CappedBackoff(Duration initial, Duration max) {
            this.initial = initial;
            this.max = max;
        }

        @Override
        public void onFailure(ExecutionComplete complete, ExecutionOperations<T> operations) {
            int failures = Math.min(complete.getExecution().consecutiveFailures, 30);
            Duration delay = initial.multipliedBy(1L << failures);
            if (delay.compareTo(max) > 0 || delay.isNegative()) {
                delay = max;
            }
            Instant next = complete.getTimeDone().plus(delay);
            log.warn("Deadline {} failed ({} consecutive failures before this one); retrying at {}",
                    complete.getExecution().taskInstance, failures, next, complete.getCause().orElse(null));
            operations.reschedule(complete, next);
        }
    }
}
