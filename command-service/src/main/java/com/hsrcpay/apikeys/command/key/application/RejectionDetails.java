package com.hsrcpay.apikeys.command.key.application;

import com.hsrcpay.apikeys.command.key.model.KeyCommandRejected;
import com.hsrcpay.apikeys.command.key.model.Rejection;

import java.util.Map;

/**
 * A refused command as the details of a {@link org.axonframework.commandhandling.CommandExecutionException}: plain
 * data, so Axon Server can carry it (serialized with Jackson) from the handling to the dispatching instance, where
 * {@link KeyWrites} turns it back into the same {@link KeyCommandRejected}.
 */
public record RejectionDetails(Rejection rejection, String message, Map<String, Object> details) {

    public RejectionDetails {
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    public static RejectionDetails of(KeyCommandRejected rejected) {
        return new RejectionDetails(rejected.rejection(), rejected.getMessage(), rejected.details());
    }

    public KeyCommandRejected toException() {
        return new KeyCommandRejected(rejection, message, details);
    }
}
