package com.hsrcpay.apikeys.query.publishing;

import com.hsrcpay.apikeys.shared.message.KeyEventMessage;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The AsyncAPI 3 document of the topics this service publishes, as kept in shared-events (the file the integration
 * tests validate every record against), public like {@code /v3/api-docs}. The gateways route it here.
 */
@Hidden
@RestController
public class AsyncApiDocumentController {

    public static final String PATH = "/v3/asyncapi.json";

    private final byte[] document;

    public AsyncApiDocumentController() {
        try (InputStream in = Objects.requireNonNull(KeyEventMessage.class.getClassLoader()
                .getResourceAsStream(KeyEventMessage.ASYNCAPI_RESOURCE), KeyEventMessage.ASYNCAPI_RESOURCE)) {
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<byte[]> document() {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(document);
    }
}
