package com.hsrcpay.apikeys.command.key.web;

import com.hsrcpay.apikeys.command.key.model.KeyCommandRejected;
import com.hsrcpay.apikeys.edge.error.ErrorResponses;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The write model's refusals in the API's envelope, with the status {@link RejectionStatus} gives each. Ahead of the
 * edge's own advice, whose catch-all would otherwise take them for 500s.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RejectionResponses {

    private final ErrorResponses errors;

    public RejectionResponses(ErrorResponses errors) {
        this.errors = errors;
    }

    @ExceptionHandler(KeyCommandRejected.class)
    ResponseEntity<Object> rejected(KeyCommandRejected e, HttpServletRequest request) {
        return errors.entity(request, RejectionStatus.toApiError(e));
    }
}
