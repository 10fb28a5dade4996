package dev.rollout.clusterbatcher.agentapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.rollout.starter.web.ProblemWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/** An instance serves at most its in-flight limit of agent calls at once; the next is a 429 at once, not a wait. */
class AgentAdmissionTest {

    @Test
    void pastTheCallsInFlightTheNextIsRefusedAtOnceAndAdmittedAgainWhenOneEnds() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AgentAdmission admission = new AgentAdmission(1_000_000, Duration.ofSeconds(1), 1,
                new ProblemWriter(JsonMapper.builder().build()), meters);
        CountDownLatch serving = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<MockHttpServletResponse> slow = CompletableFuture.supplyAsync(() -> {
            MockHttpServletResponse response = new MockHttpServletResponse();
            try {
                admission.doFilter(poll(), response, new MockFilterChain(new HttpServlet() {
                    @Override
                    protected void service(HttpServletRequest req,
                            HttpServletResponse res) throws IOException {
                        serving.countDown();
                        try {
                            release.await(10, TimeUnit.SECONDS);
                        }
                        catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        res.setStatus(200);
                    }
                }));
            }
            catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return response;
        });
        assertThat(serving.await(10, TimeUnit.SECONDS)).isTrue();

        MockHttpServletResponse refused = new MockHttpServletResponse();
        admission.doFilter(poll(), refused, new MockFilterChain());
        assertThat(refused.getStatus()).isEqualTo(429);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
        assertThat(refused.getContentAsString()).contains("serving its limit of 1 calls at once");
        assertThat(meters.counter("rollout.agent.limited", "limit", "in-flight").count()).isEqualTo(1);

        release.countDown();
        assertThat(slow.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
        MockHttpServletResponse admitted = new MockHttpServletResponse();
        admission.doFilter(poll(), admitted, new MockFilterChain());
        assertThat(admitted.getStatus()).isEqualTo(200);

        MockHttpServletResponse control = new MockHttpServletResponse();
        MockHttpServletRequest read = new MockHttpServletRequest("GET", "/api/rollouts");
        read.setRequestURI("/api/rollouts");
        admission.doFilter(read, control, new MockFilterChain());
        assertThat(control.getStatus()).as("the control plane is not behind the agent API's limits").isEqualTo(200);
    }

    private static MockHttpServletRequest poll() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/agent/v1/agents/a-1/desired");
        request.setRequestURI("/agent/v1/agents/a-1/desired");
        return request;
    }
}
