package com.hsrcpay.apikeys.command.key.application;

import com.hsrcpay.apikeys.command.key.model.KeyCommandRejected;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;

/**
 * Around every command handler: a refusal ({@link KeyCommandRejected}) or a missing key
 * ({@link AggregateNotFoundException}) leaves as a {@link CommandExecutionException} whose details are a
 * {@link RejectionDetails}. Axon Server transports only such details to the dispatcher (any other exception arrives
 * as a bare CommandExecutionException, i.e. a 500); in the JVM-local command bus the same path is taken, so both
 * modes map refusals to HTTP the same way ({@link KeyWrites}).
 */
public class RejectionsAsDetails implements MessageHandlerInterceptor<CommandMessage<?>> {

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain interceptorChain)
            throws Exception {
        try {
            return interceptorChain.proceed();
        } catch (KeyCommandRejected e) {
            throw new CommandExecutionException(e.getMessage(), e, RejectionDetails.of(e));
        } catch (AggregateNotFoundException e) {
            KeyCommandRejected notFound = KeyWrites.notFound();
            throw new CommandExecutionException(notFound.getMessage(), e, RejectionDetails.of(notFound));
        }
    }
}
