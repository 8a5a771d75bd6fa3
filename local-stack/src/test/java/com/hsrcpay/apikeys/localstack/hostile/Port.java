package com.hsrcpay.apikeys.localstack.hostile;

/** The three ports of the system under test: the gateway (the API port) and each service's own port. */
enum Port {
    GATEWAY, COMMAND, QUERY
}
