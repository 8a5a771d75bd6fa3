package com.hsrcpay.apikeys.query.transparency;

import com.hsrcpay.apikeys.shared.chain.EventChain;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The log's single writer: a streaming processor of one segment (so one claimed owner among all instances) that
 * follows the event store in the order Axon delivers it, which is global order once gaps are settled. Each batch's
 * events become leaves in the batch's own transaction, together with the processor's token ({@link TransparencyLog}
 * serializes appends and skips events already in the log, so a redelivery or a token taken over changes nothing).
 * Not replayable: it has no reset handler and is not among {@code ProjectionReplays.REPLAYABLE}.
 */
@ProcessingGroup(TransparencyLogWriter.GROUP)
public class TransparencyLogWriter {

    public static final String GROUP = "transparency-log";
    private static final String BATCH = TransparencyLogWriter.class.getName() + ".batch";

    private final TransparencyLog log;

    public TransparencyLogWriter(TransparencyLog log) {
        this.log = log;
    }

    @EventHandler
    void on(Object payload, EventMessage<?> message) {
        if (!(message instanceof DomainEventMessage<?> event)) {
            // the key aggregate appends every stored event: anything else is a bug to see, not to leave out
            throw new IllegalStateException("A stored event that is not a domain event: " + message.getIdentifier());
        }
        String digest = EventChain.storedDigest(message.getMetaData());
        if (digest == null || !digest.matches("[0-9a-f]{64}")) {
            throw new IllegalStateException("Event " + message.getIdentifier() + " carries no chain digest");
        }
        batch().add(new LeafEntry(message.getIdentifier(), event.getAggregateIdentifier(), event.getSequenceNumber(),
                HexFormat.of().parseHex(digest)));
    }

    /** The leaves of the current batch, appended once, just before it commits. */
    private List<LeafEntry> batch() {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        return unitOfWork.getOrComputeResource(BATCH, name -> {
            List<LeafEntry> entries = new ArrayList<>();
            unitOfWork.onPrepareCommit(u -> log.append(entries));
            return entries;
        });
    }
}
