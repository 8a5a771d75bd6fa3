package com.hsrcpay.apikeys.query.key.projection;

import com.hsrcpay.apikeys.query.key.application.ReadYourWrites;
import com.hsrcpay.apikeys.shared.event.KeyEvent;
import com.hsrcpay.apikeys.shared.json.EventJson;
import com.hsrcpay.apikeys.verification.usage.CreditEvents;
import com.hsrcpay.apikeys.verification.usage.UsageControl;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Projects every key into {@code read_model.api_key} (the list, the single key, each key's version) and its
 * usable secrets into {@code read_model.key_secret} (the lookup for verification). Each processor batch is
 * applied as a whole ({@link KeyListBatch}); redelivery changes nothing because a row only moves forward
 * (see {@link ProjectedKey} for the rules).
 */
@Component
@ProcessingGroup(KeyListProjection.GROUP)
public class KeyListProjection {

    public static final String GROUP = "key-list";

    private static final String BATCH_RESOURCE = KeyListBatch.class.getName();

    private final KeyListTables tables;
    private final ReadYourWrites readYourWrites;
    private final UsageControl usageControl;

    public KeyListProjection(JdbcTemplate jdbc, ReadYourWrites readYourWrites,
                             ObjectProvider<UsageControl> usageControl) {
        this.tables = new KeyListTables(jdbc, EventJson.newObjectMapper());
        this.readYourWrites = readYourWrites;
        this.usageControl = usageControl.getIfAvailable();
    }

    /**
     * Every key event joins the batch of its unit of work; the batch is written once, just before it commits. A change
     * of the key's credits is applied to its live balance first, in a transaction of its own and once per sequence
     * number (a redelivery changes nothing), so a key is never found by verification before its credits are set.
     */
    @EventHandler
    void on(KeyEvent event, @SequenceNumber long sequence) {
        adjustCredits(event, sequence);
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        unitOfWork.getOrComputeResource(BATCH_RESOURCE, name -> {
            KeyListBatch batch = new KeyListBatch();
            unitOfWork.onPrepareCommit(u -> batch.flush(tables));
            // readers waiting for a version are told once the rows are committed
            unitOfWork.afterCommit(u -> readYourWrites.projected());
            return batch;
        }).add(event, sequence);
    }

    /**
     * A replay's bulk path ({@code BulkReplay}): a run of stored events, in global order, projected as one batch in the
     * caller's transaction, by the same rules as {@link #on}. Events that are not key events are passed over without
     * reading their payload. Readers waiting for a version are told by the caller, once it committed.
     */
    public void projectAll(List<? extends EventMessage<?>> events) {
        KeyListBatch batch = new KeyListBatch();
        for (EventMessage<?> message : events) {
            if (message instanceof DomainEventMessage<?> stored
                    && KeyEvent.class.isAssignableFrom(stored.getPayloadType())) {
                KeyEvent event = (KeyEvent) stored.getPayload();
                adjustCredits(event, stored.getSequenceNumber());
                batch.add(event, stored.getSequenceNumber());
            }
        }
        batch.flush(tables);
    }

    private void adjustCredits(KeyEvent event, long sequence) {
        if (usageControl != null) {
            CreditEvents.adjustmentOf(event).ifPresent(adjustment ->
                    usageControl.credits().apply(event.keyId().value(), sequence, adjustment));
        }
    }

    @ResetHandler
    void reset() {
        tables.truncate();
    }
}
