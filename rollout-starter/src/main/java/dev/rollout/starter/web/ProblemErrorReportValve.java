package dev.rollout.starter.web;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's own error answers (a request it refuses before any filter runs: an encoded slash, NUL or invalid
 * percent-encoding in the path, a malformed header) as RFC 9457 problems instead of its HTML page, so that a
 * client parses every 4xx the same way. Nothing of the request is echoed.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int code = response.getStatus();
        if (code < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus status = HttpStatus.resolve(code);
        String title = status == null ? "Error" : status.getReasonPhrase();
        String detail = code == 400 ? "The request is malformed: its path or headers hold characters the server does not"
                + " accept (an encoded slash or NUL, invalid percent-encoding)"
                : code >= 500 ? "An unexpected error occurred; it has been logged"
                        : "The request was refused: " + title.toLowerCase(Locale.ROOT);
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + code + ",\"detail\":\""
                        + detail + "\"}");
                response.finishResponse();
            }
        }
        catch (IOException | IllegalStateException e) {
            // the connection is gone: nothing more to say
        }
    }
}
