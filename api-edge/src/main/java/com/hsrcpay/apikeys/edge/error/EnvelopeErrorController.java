package com.hsrcpay.apikeys.edge.error;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Spring Boot's error page ({@code /error}), where the web server sends every error no handler answered (a
 * {@code sendError}, an exception that escaped the filters): the envelope of the path that failed, in place of
 * Boot's own JSON. Called directly, {@code /error} is a resource that does not exist.
 */
@Hidden // not an endpoint of the API: the gateways do not route it, and the OpenAPI document leaves it out
@RestController
public class EnvelopeErrorController implements ErrorController {

    static final String PATH = "/error";

    private final ErrorResponses errors;

    public EnvelopeErrorController(ErrorResponses errors) {
        this.errors = errors;
    }

    @RequestMapping(PATH)
    ResponseEntity<Object> error(HttpServletRequest request) {
        if (!(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer status) || status < 400) {
            return errors.entity(request, ApiError.ofStatus(404));
        }
        Object failedPath = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        return errors.entity(failedPath instanceof String path ? path : null, ApiError.ofStatus(status));
    }
}
