package dev.rollout.api.console;

import java.util.EnumSet;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.rollout.starter.security.SecurityAutoConfiguration.BearerTokens;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.stereotype.Component;

/**
 * Signing a person in to the console with a bearer token, whether pasted on the sign-in page or issued by the identity
 * provider's login: the token is checked exactly as the API checks it, only the four roles of people and pipelines
 * get in, and the session is issued anew (its id and its CSRF token) with the person and their token in it.
 */
@Component
class ConsoleSignIn {

    /** Why a token did not sign anyone in, and the status the sign-in page answers with. */
    static final class Refused extends RuntimeException {

        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    private final BearerTokens tokens;
    private final HttpSessionSecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

    ConsoleSignIn(BearerTokens tokens) {
        this.tokens = tokens;
    }

    ConsoleCaller signIn(String token, HttpServletRequest request, HttpServletResponse response) {
        Authentication authentication;
        try {
            if (token.isEmpty() || token.length() > 8192) {
                throw new BadCredentialsException("no token given");
            }
            authentication = tokens.manager().authenticate(new BearerTokenAuthenticationToken(token));
        }
        catch (AuthenticationException refused) {
            throw new Refused(401, "The token was not accepted (" + refused.getMessage() + ").");
        }
        Set<RolloutScreen.Role> roles = EnumSet.noneOf(RolloutScreen.Role.class);
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            for (RolloutScreen.Role role : RolloutScreen.Role.values()) {
                if (authority.getAuthority().equals("ROLE_" + role.name())) {
                    roles.add(role);
                }
            }
        }
        if (roles.isEmpty()) {
            throw new Refused(403, "This console is for release managers, on-call engineers, pipelines and viewers;"
                    + " this token has none of those roles.");
        }
        // a new session id at sign-in (no fixation), a new CSRF token, the person and their token in the session
        request.getSession(true);
        request.changeSessionId();
        new HttpSessionCsrfTokenRepository().saveToken(null, request, response);
        // a bearer token's authentication is transient (never kept in a session): the session keeps its own, made
        // from the checked token's name and authorities; the token itself travels in the caller, to the services
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(authentication.getName(), null,
                authentication.getAuthorities()));
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        ConsoleCaller caller = new ConsoleCaller(authentication.getName(), roles, token);
        request.getSession().setAttribute(ConsoleCaller.ATTRIBUTE, caller);
        return caller;
    }
}
