package com.hsrcpay.apikeys.eventstore;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kms.event-store.*}: where the events are ({@code type}: {@code postgres} or {@code axonserver}); whether
 * processors are woken by a LISTEN connection at each append ({@code listen-for-appends}, the query service), and how
 * often they look anyway ({@code fallback-fetch-ms}, env {@code KMS_EVENT_STORE_FALLBACK_FETCH_MS}).
 */
@ConfigurationProperties("kms.event-store")
public record EventStoreSettings(@DefaultValue(EventStoreAutoConfiguration.POSTGRES) String type,
                                 @DefaultValue("false") boolean listenForAppends,
                                 @DefaultValue("1000") long fallbackFetchMs) {
}
