package dev.rollout.api.console;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import dev.rollout.starter.security.RolloutSecurityProperties;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The release manager's console: the rollouts, one rollout's page that updates itself, and the actions the signed-in
 * person's roles allow, each confirmed and then asked of the service that owns it with that person's token.
 */
@Controller
@Hidden
@PreAuthorize("hasAnyRole('RELEASE_MANAGER','CI_PIPELINE','ON_CALL','VIEWER')")
class ConsoleController {

    private static final Set<String> ACTIONS = Set.of("start", "approve", "promote", "pause", "resume", "abort");
    private static final Set<String> STATUSES = Set.of("DRAFT", "DEVELOPMENT", "PILOT", "EXPANSION", "PRODUCTION",
            "COMPLETED", "PAUSED", "ROLLING_BACK", "ROLLED_BACK", "PARTIALLY_ROLLED_BACK", "ABORTED");
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9][a-z0-9-]{0,99}");

    private final ConsoleApi api;
    private final ConsoleSignIn signIn;
    private final Clock clock;
    private final RolloutSecurityProperties security;
    private final ObjectProvider<ClientRegistrationRepository> registrations;

    ConsoleController(ConsoleApi api, ConsoleSignIn signIn, Clock clock, RolloutSecurityProperties security,
            ObjectProvider<ClientRegistrationRepository> registrations) {
        this.api = api;
        this.signIn = signIn;
        this.clock = clock;
        this.security = security;
        this.registrations = registrations;
    }

    @GetMapping("/console/login")
    @PreAuthorize("permitAll()")
    String signInPage(@RequestParam(required = false) String signedOut, @RequestParam(required = false) String expired,
            @RequestParam(required = false) String failed, HttpServletRequest request, Model model) {
        signInModel(model);
        if (signedOut != null) {
            model.addAttribute("note", "Signed out.");
        }
        if (expired != null) {
            model.addAttribute("error", "Your token is no longer accepted; sign in again.");
        }
        if (failed != null) {
            HttpSession session = request.getSession(false);
            Object why = session == null ? null : session.getAttribute(ConsoleSecurity.SIGN_IN_ERROR);
            if (session != null) {
                session.removeAttribute(ConsoleSecurity.SIGN_IN_ERROR);
            }
            model.addAttribute("error", why != null ? why.toString()
                    : "The identity provider's sign-in did not succeed; try again, or paste a token.");
        }
        return "console/login";
    }

    /** The development tokens' hint, and the identity provider's sign-in where one is configured. */
    private void signInModel(Model model) {
        model.addAttribute("devMode", security.mode() == RolloutSecurityProperties.Mode.DEV);
        List<Map<String, String>> providers = new ArrayList<>();
        ClientRegistrationRepository registrations = this.registrations.getIfAvailable();
        if (registrations instanceof Iterable<?> all) {
            for (Object registration : all) {
                ClientRegistration r = (ClientRegistration) registration;
                providers.add(Map.of("name", r.getClientName(), "url", "/oauth2/authorization/" + r.getRegistrationId()));
            }
        }
        model.addAttribute("providers", providers);
    }

    @PostMapping("/console/login")
    @PreAuthorize("permitAll()")
    String signIn(@RequestParam(defaultValue = "") String token, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        try {
            signIn.signIn(token.strip(), request, response);
            return "redirect:/console/rollouts";
        }
        catch (ConsoleSignIn.Refused refused) {
            response.setStatus(refused.status());
            signInModel(model);
            model.addAttribute("error", refused.getMessage());
            return "console/login";
        }
    }

    @GetMapping({ "/console", "/console/" })
    String home() {
        return "redirect:/console/rollouts";
    }

    @GetMapping("/console/rollouts")
    String rollouts(@RequestParam(required = false) String status, HttpSession session, Model model) {
        listModel(status, session, model);
        return "console/rollouts";
    }

    @GetMapping("/console/rollouts/list")
    String rolloutsList(@RequestParam(required = false) String status, HttpSession session, Model model) {
        listModel(status, session, model);
        return "console/rollouts :: list";
    }

    private void listModel(String status, HttpSession session, Model model) {
        ConsoleCaller caller = caller(session);
        String filter = status == null || status.isBlank() ? null : status.strip().toUpperCase(Locale.ROOT);
        if (filter != null && !STATUSES.contains(filter)) {
            throw new ConsoleApi.Refused(400, "Bad Request", "status: no such status '" + status + "'");
        }
        Reads.RolloutPage page = api.rollouts(caller.token(), filter);
        model.addAttribute("caller", caller);
        model.addAttribute("status", filter);
        model.addAttribute("statuses", STATUSES.stream().sorted().toList());
        model.addAttribute("rows", page.items().stream().map(r -> RolloutScreen.summary(r, clock.instant())).toList());
        model.addAttribute("rollouts", page.items());
        model.addAttribute("total", page.totalItems());
    }

    @GetMapping("/console/rollouts/{id}")
    String rollout(@PathVariable UUID id, HttpSession session, Model model) {
        screenModel(id, session, model);
        return "console/rollout";
    }

    @GetMapping("/console/rollouts/{id}/live")
    String live(@PathVariable UUID id, HttpSession session, Model model) {
        screenModel(id, session, model);
        return "console/rollout :: live";
    }

    private void screenModel(UUID id, HttpSession session, Model model) {
        ConsoleCaller caller = caller(session);
        String token = caller.token();
        Reads.Rollout rollout = api.rollout(token, id);
        Reads.Evaluation evaluation = rollout.lastEvaluation() == null ? null
                : api.evaluation(token, rollout.lastEvaluation().id());
        model.addAttribute("caller", caller);
        model.addAttribute("requestKey", UUID.randomUUID()); // one rollback request, however often it is sent
        model.addAttribute("screen", RolloutScreen.of(rollout, api.timeline(token, id), api.batches(token, id),
                evaluation, api.evaluations(token, id), api.series(token, id), api.rollbacks(token, id), caller.roles(),
                clock.instant()));
    }

    @PostMapping("/console/rollouts/{id}/actions/{action}")
    String act(@PathVariable UUID id, @PathVariable String action, @RequestParam(defaultValue = "") String reason,
            HttpSession session, RedirectAttributes flash) {
        if (!ACTIONS.contains(action)) {
            throw new ConsoleApi.Refused(404, "Not Found", "No action '" + action + "'");
        }
        ConsoleCaller caller = caller(session);
        String why = reason.strip().isEmpty() ? action + " from the console" : reason.strip();
        try {
            api.act(caller.token(), id, action, why);
            flash.addFlashAttribute("done", done(action) + " by " + caller.name() + ": " + why);
        }
        catch (ConsoleApi.Refused refused) {
            flash.addFlashAttribute("refused", refusal(action, refused));
        }
        return "redirect:/console/rollouts/" + id;
    }

    @PostMapping("/console/rollouts/{id}/rollback")
    String rollback(@PathVariable UUID id, @RequestParam(defaultValue = "PARTIAL") String scope,
            @RequestParam(required = false) List<String> components, @RequestParam(defaultValue = "") String reason,
            @RequestParam String requestKey, HttpSession session, RedirectAttributes flash) {
        ConsoleCaller caller = caller(session);
        List<String> picked = new ArrayList<>();
        if ("PARTIAL".equals(scope)) {
            for (String component : components == null ? List.<String>of() : components) {
                if (!COMPONENT.matcher(component).matches()) {
                    throw new ConsoleApi.Refused(400, "Bad Request", "components: '" + component + "' is not a component name");
                }
                picked.add(component);
            }
            if (picked.isEmpty()) {
                flash.addFlashAttribute("refused", "Nothing rolled back: pick the components to roll back, or the whole version.");
                return "redirect:/console/rollouts/" + id;
            }
        }
        else if (!"FULL".equals(scope)) {
            throw new ConsoleApi.Refused(400, "Bad Request", "scope: FULL or PARTIAL, not '" + scope + "'");
        }
        if (reason.isBlank()) {
            flash.addFlashAttribute("refused", "Nothing rolled back: say why (the reason is kept with the rollback).");
            return "redirect:/console/rollouts/" + id;
        }
        try {
            Reads.Rollback started = api.rollback(caller.token(), id, picked, reason.strip(), requestKey);
            flash.addFlashAttribute("done", ("FULL".equals(scope) ? "Full rollback" : "Rollback of " + String.join(", ", picked))
                    + " " + started.status().toLowerCase(Locale.ROOT).replace('_', ' ') + " (" + started.id() + ")");
        }
        catch (ConsoleApi.Refused refused) {
            flash.addFlashAttribute("refused", refusal("roll back", refused));
        }
        return "redirect:/console/rollouts/" + id;
    }

    @PostMapping("/console/rollouts/{id}/fix")
    String fix(@PathVariable UUID id, @RequestParam String component, @RequestParam String version,
            @RequestParam(defaultValue = "") String reason, HttpSession session, RedirectAttributes flash) {
        ConsoleCaller caller = caller(session);
        if (!COMPONENT.matcher(component).matches()) {
            throw new ConsoleApi.Refused(400, "Bad Request", "component: '" + component + "' is not a component name");
        }
        try {
            api.fix(caller.token(), id, component, version.strip(), reason.isBlank() ? "fix re-deployed from the console"
                    : reason.strip());
            flash.addFlashAttribute("done", component + " " + version.strip() + " re-deployed by " + caller.name());
        }
        catch (ConsoleApi.Refused refused) {
            flash.addFlashAttribute("refused", refusal("re-deploy " + component, refused));
        }
        return "redirect:/console/rollouts/" + id;
    }

    /** A token that is no longer accepted: the session ends and the person signs in again. */
    @ExceptionHandler(ConsoleApi.SignedOut.class)
    String signedOut(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        SecurityContextHolder.clearContext();
        return "redirect:/console/login?expired";
    }

    /** A page the services refuse to read (a rollout that does not exist, a role that may not see it). */
    @ExceptionHandler(ConsoleApi.Refused.class)
    String refused(ConsoleApi.Refused refused, HttpServletResponse response, HttpSession session, Model model) {
        response.setStatus(refused.status() >= 500 ? 502 : refused.status());
        model.addAttribute("caller", ConsoleCaller.of(session));
        model.addAttribute("status", refused.status());
        model.addAttribute("title", refused.title());
        model.addAttribute("detail", refused.getMessage());
        return "console/problem";
    }

    private static ConsoleCaller caller(HttpSession session) {
        ConsoleCaller caller = ConsoleCaller.of(session);
        if (caller == null) {
            throw new ConsoleApi.SignedOut("not signed in");
        }
        return caller;
    }

    private static String done(String action) {
        return switch (action) {
            case "start" -> "Started";
            case "approve" -> "Approved";
            case "promote" -> "Promoted";
            case "pause" -> "Paused";
            case "resume" -> "Resumed";
            default -> "Aborted";
        };
    }

    private static String refusal(String action, ConsoleApi.Refused refused) {
        return "Could not " + action + ": " + refused.status() + " " + refused.title()
                + (refused.getMessage() == null || refused.getMessage().isBlank() ? "" : ": " + refused.getMessage());
    }
}
