package com.hsrcpay.apikeys.query.operations;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kms.openapi.*}: where the command service answers (env {@code KMS_OPENAPI_COMMAND_SERVICE_URL}), for the
 * whole API's document where no gateway merges it (docker-compose); empty: not served here.
 */
@ConfigurationProperties("kms.openapi")
public record OpenApiSettings(@DefaultValue("") String commandServiceUrl) {
}
