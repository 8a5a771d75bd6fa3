package com.hsrcpay.apikeys.edge.error;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.hsrcpay.apikeys.edge.http.PayloadTooLargeException;
import com.hsrcpay.apikeys.edge.json.RefusedValue;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every error of both services becomes one precise status in the contract's envelope, here and nowhere else; the
 * write model's refusals are mapped by the command service ({@code RejectionResponses}), which alone knows them.
 */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private final ErrorResponses errors;

    public ApiExceptionHandler(ErrorResponses errors) {
        this.errors = errors;
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> api(ApiException e, HttpServletRequest request) {
        return errors.entity(request, e.error());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Object> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        return errors.entity(request, describeUnreadable(e));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Object> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return errors.entity(request, new ApiError(415, "unsupported_media_type",
                "Content-Type must be application/json", Map.of("field", "Content-Type")));
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<Object> notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
        return errors.entity(request, ApiError.of(406, "not_acceptable", "Responses are application/json"));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<Object> missingParameter(MissingServletRequestParameterException e, HttpServletRequest request) {
        return errors.entity(request, ApiError.invalidField(e.getParameterName(), "required",
                "Query parameter '" + e.getParameterName() + "' is required"));
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<Object> missingHeader(MissingRequestHeaderException e, HttpServletRequest request) {
        return errors.entity(request, ApiError.invalidField(e.getHeaderName(), "required",
                "Header '" + e.getHeaderName() + "' is required"));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return errors.entity(request, ApiError.invalidField(e.getName(), "invalid_value",
                "Parameter '" + e.getName() + "' has an invalid value"));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Object> noResource(NoResourceFoundException e, HttpServletRequest request) {
        return errors.entity(request, ApiError.of(404, "not_found", "No such resource"));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Object> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return errors.entity(request, ApiError.of(405, "method_not_allowed",
                "Method " + e.getMethod() + " is not allowed here"));
    }

    /** The firewall checks headers lazily: a refused header value surfaces here, when a handler first reads it. */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<Object> rejectedRequest(RequestRejectedException e, HttpServletRequest request) {
        return errors.entity(request, ApiError.rejectedRequest());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, HttpServletRequest request) {
        if (Unavailable.isTransient(e)) {
            // bounded waits end here: the client learns at once that a retry will likely do
            log.warn("Unavailable on {} {}: {}", request.getMethod(), request.getRequestURI(), e.toString());
            return ResponseEntity.status(503).header("Retry-After", Integer.toString(Unavailable.RETRY_AFTER_SECONDS))
                    .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                    .body(errors.body(request, Unavailable.error()));
        }
        // the log keeps the cause for operators; the client never sees a class name or a stack trace
        log.error("Unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return errors.entity(request, ApiError.of(500, "internal_error", "Internal server error"));
    }

    static ApiError describeUnreadable(HttpMessageNotReadableException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof PayloadTooLargeException tooLarge) {
                return new ApiError(413, "body_too_large", tooLarge.getMessage(), Map.of("limit_bytes", tooLarge.limit()));
            }
        }
        // a syntax error (or duplicate key) deep in the body arrives wrapped with a field path: still malformed JSON
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonParseException) {
                return ApiError.invalidField("body", "malformed_json", "The request body is not valid JSON");
            }
        }
        Throwable cause = e.getCause();
        if (cause instanceof RefusedValue refused) {
            return ApiError.invalidField(path(refused), refused.reason(),
                    "Field '" + path(refused) + "': " + refused.getOriginalMessage());
        }
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return ApiError.invalidField(path(unknown), "unknown_field",
                    "Unknown field '" + unknown.getPropertyName() + "'");
        }
        if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            return ApiError.invalidField(path(mismatch), "invalid_type",
                    "Field '" + path(mismatch) + "' has the wrong type or format");
        }
        if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return ApiError.invalidField(path(mapping), "invalid_value",
                    "Field '" + path(mapping) + "' has an invalid value");
        }
        if (cause instanceof JsonProcessingException) {
            return ApiError.invalidField("body", "malformed_json", "The request body is not valid JSON");
        }
        return ApiError.invalidField("body", "missing_body", "A JSON request body is required");
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
