package dev.rollout.starter.client;

/**
 * A call to another service that did not succeed, saying which service, which operation and why: it did not answer
 * (status 0), answered with a server error, refused the call (4xx, with the problem it gave), or its circuit breaker is
 * open. The caller decides what that means for its own work (wait and retry, record the step as failed, INCONCLUSIVE).
 */
public final class ServiceCallFailed extends RuntimeException {

    private final String service;
    private final int status;

    ServiceCallFailed(String service, int status, String message, Throwable cause) {
        super(message, cause);
        this.service = service;
        this.status = status;
    }

    /** The service called. */
    public String service() {
        return service;
    }

    /** The HTTP status it answered with; 0 when it did not answer or was not called (open circuit). */
    public int status() {
        return status;
    }

    /** The service answered and refused the call (4xx): calling again the same way gets the same answer. */
    public boolean refused() {
        return status >= 400 && status < 500;
    }

    /** The service answered that what was asked for does not exist (404). */
    public boolean notFound() {
        return status == 404;
    }
}
