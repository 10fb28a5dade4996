package dev.rollout.api.console;

import java.io.Serializable;
import java.util.EnumSet;
import java.util.Set;

import jakarta.servlet.http.HttpSession;

/**
 * Who is signed in to the console: a name, the roles the token gave, and the token itself, which every call to the
 * services carries (kept in the server's session only, never sent to the browser).
 */
record ConsoleCaller(String name, Set<RolloutScreen.Role> roles, String token) implements Serializable {

    static final String ATTRIBUTE = ConsoleCaller.class.getName();

    ConsoleCaller {
        roles = roles.isEmpty() ? Set.of() : EnumSet.copyOf(roles);
    }

    static ConsoleCaller of(HttpSession session) {
        return session == null ? null : (ConsoleCaller) session.getAttribute(ATTRIBUTE);
    }

    public String rolesText() {
        return String.join(", ", roles.stream().map(Enum::name).sorted().toList());
    }

    @Override
    public String toString() {
        return "ConsoleCaller[" + name + ", " + roles + "]"; // never the token
    }
}
