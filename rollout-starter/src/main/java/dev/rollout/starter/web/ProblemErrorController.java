package dev.rollout.starter.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors that happen outside a controller (a servlet filter, the container) answer as RFC 9457 problems
 * too, instead of the default error document. Open to all: it only describes the error at hand.
 */
@RestController
@Hidden
public class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    @PreAuthorize("permitAll()")
    ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (code == null) { // asked for directly: there is no such resource
            ProblemDetail missing = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No resource at this path");
            return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(ProblemWriter.asMap(missing));
        }
        HttpStatus status = HttpStatus.resolve(code instanceof Integer i ? i : 500);
        if (status == null) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        String detail = status.is5xxServerError() ? "An unexpected error occurred; it has been logged"
                : "The request was refused: " + status.getReasonPhrase().toLowerCase(Locale.ROOT);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (uri != null) {
            try {
                problem.setInstance(new URI(String.valueOf(uri).replace(" ", "%20")));
            }
            catch (URISyntaxException e) {
                // a path that is no URI is left out of the answer
            }
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemWriter.asMap(problem));
    }
}
