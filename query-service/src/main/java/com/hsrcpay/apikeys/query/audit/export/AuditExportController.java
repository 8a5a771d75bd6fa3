package com.hsrcpay.apikeys.query.audit.export;

import com.hsrcpay.apikeys.edge.http.QueryParameters;
import com.hsrcpay.apikeys.edge.error.ApiException;
import com.hsrcpay.apikeys.edge.security.Caller;
import com.hsrcpay.apikeys.edge.security.KeyPermission;
import com.hsrcpay.apikeys.query.eventstore.EventStoreTables;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.SQLException;
import java.time.Instant;

/**
 * {@code GET /v1/audit/events}: the caller's account's key events of a window as NDJSON, for offline audit. Written
 * to the servlet output stream as the rows are read (no async timeout, no buffering of the whole export).
 */
@RestController
public class AuditExportController {

    static final String NDJSON = "application/x-ndjson";
    private static final Logger log = LoggerFactory.getLogger(AuditExportController.class);

    private final AuditExport export;
    private final EventStoreTables tables;

    public AuditExportController(AuditExport export, EventStoreTables tables) {
        this.export = export;
        this.tables = tables;
    }

    @GetMapping("/v1/audit/events")
    public void events(@AuthenticationPrincipal Caller caller,
                       @RequestParam("account_id") String accountId,
                       @RequestParam("from") String from,
                       @RequestParam("to") String to,
                       HttpServletResponse response) throws IOException {
        caller.require(KeyPermission.READ).requireAccount(accountId);
        tables.require("The audit export");
        Instant start = QueryParameters.instant("from", from);
        Instant end = QueryParameters.instant("to", to);
        if (!start.isBefore(end)) {
            throw ApiException.badRequest("from", "invalid_window", "from must be before to");
        }
        response.setStatus(200);
        response.setContentType(NDJSON);
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        OutputStream out = response.getOutputStream();
        try {
            long lines = export.export(caller.accountId(), caller.mode(), start, end, out);
            log.info("audit export account={} mode={} from={} to={}: {} events", caller.accountId().value(),
                    caller.mode().wireName(), start, end, lines);
        } catch (SQLException e) {
            // the status is sent already: the client sees a truncated stream (no final newline, early close)
            log.error("audit export account={} failed mid-stream", caller.accountId().value(), e);
            throw new IOException("audit export failed", e);
        }
    }

}
