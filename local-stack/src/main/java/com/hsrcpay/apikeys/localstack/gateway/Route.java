package com.hsrcpay.apikeys.localstack.gateway;

/** Which service answers a request on the one API port: reads go to the query service, all else to the command service. */
public enum Route {
    COMMAND, QUERY;

    public static Route of(String method, String path) {
        boolean read = "GET".equals(method) || "HEAD".equals(method);
        if (read && (path.startsWith("/v1/api-keys") || path.startsWith("/v1/audit"))) {
            return QUERY;
        }
        if (path.equals("/v1/keys/verify") || path.equals("/v1/whoami")) {
            return QUERY;
        }
        return COMMAND;
    }
}
