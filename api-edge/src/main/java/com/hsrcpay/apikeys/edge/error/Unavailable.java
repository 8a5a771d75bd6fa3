package com.hsrcpay.apikeys.edge.error;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.TransactionTimedOutException;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Map;
import java.util.Set;

/**
 * The one judgement of "a resource this request needs is slow or stuck, not broken": a pool that had no connection
 * within its bound, a statement or lock timeout, a database that does not answer on its socket, one that refuses
 * connections for now. Such a request is answered 503 with {@code Retry-After} at once, instead of a 500 or a wait.
 * Judged from the JDK's and Spring's exception types (Hikari, Spring and the PostgreSQL driver put one of them in the
 * chain); a commit or rollback that failed on a connection the socket timeout closed is one of them too.
 */
public final class Unavailable {

    public static final int RETRY_AFTER_SECONDS = 1;

    /** SQLStates that mean "try again later": query canceled (statement_timeout), lock_not_available, shutdown, too many connections, serialization and deadlock. */
    private static final Set<String> TRANSIENT_STATES = Set.of("57014", "55P03", "57P01", "57P02", "57P03", "53300",
            "40001", "40P01");

    private Unavailable() {
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientException || cause instanceof SQLRecoverableException
                    || cause instanceof SocketTimeoutException
                    // Spring's own words for it: no connection, no transaction, a resource down, worth a retry
                    || cause instanceof TransientDataAccessException || cause instanceof RecoverableDataAccessException
                    || cause instanceof DataAccessResourceFailureException
                    || cause instanceof CannotCreateTransactionException
                    || cause instanceof TransactionSystemException || cause instanceof TransactionTimedOutException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || TRANSIENT_STATES.contains(sql.getSQLState()))) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    public static ApiError error() {
        return new ApiError(503, "temporarily_unavailable",
                "A resource this request needs is busy or unavailable; retry shortly",
                Map.of("retry_after_seconds", RETRY_AFTER_SECONDS));
    }
}
