package dev.rollout.phaseengine.leadership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Two replicas and one lease on real PostgreSQL: one leads, the other takes over after expiry, the old one is fenced. */
@SpringBootTest
class LeaderLeaseTest {

    static final String LEASE = "lease-test";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    LeaderLease replicaA;
    LeaderLease replicaB;

    @BeforeEach
    void setUp() {
        jdbc.update("DELETE FROM leader_lease WHERE name = ?", LEASE);
        jdbc.update("INSERT INTO leader_lease (name, holder, fencing_token) VALUES (?, NULL, 0)", LEASE);
        replicaA = new LeaderLease(jdbc, LEASE, Duration.ofMillis(400));
        replicaB = new LeaderLease(jdbc, LEASE, Duration.ofMillis(400));
    }

    /** A write on the leader's behalf: fenced, then a change that must not survive a refusal. */
    void writeAsLeader(LeaderLease lease, LeaderLease.Held held, String marker) {
        new TransactionTemplate(transactions).executeWithoutResult(tx -> {
            jdbc.update("UPDATE leader_lease SET acquired_at = acquired_at WHERE name = ?", LEASE);
            lease.fence(held);
            jdbc.update("INSERT INTO leader_lease (name, holder, fencing_token) VALUES (?, ?, 0)", marker, held.holder());
        });
    }

    @Test
    void oneReplicaLeadsTheOtherTakesOverAfterExpiryAndTheOldLeaderIsFenced() throws InterruptedException {
        LeaderLease.Held a = replicaA.acquire("replica-a").orElseThrow();
        assertThat(replicaB.acquire("replica-b")).isEmpty();
        assertThat(replicaA.acquire("replica-a")).contains(a);
        writeAsLeader(replicaA, a, "marker-1");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM leader_lease WHERE name = 'marker-1'", Integer.class)).isEqualTo(1);

        Thread.sleep(700); // replica A stops renewing (paused, or killed)
        LeaderLease.Held b = replicaB.acquire("replica-b").orElseThrow();
        assertThat(b.token()).isEqualTo(a.token() + 1);

        // replica A resumes and tries to write with its old lease: refused, nothing written
        assertThatThrownBy(() -> writeAsLeader(replicaA, a, "marker-2")).isInstanceOf(LeaderLease.LostLeadership.class)
                .hasMessageContaining("replica-a no longer holds");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM leader_lease WHERE name = 'marker-2'", Integer.class)).isZero();
        assertThat(replicaA.acquire("replica-a")).isEmpty();

        writeAsLeader(replicaB, b, "marker-3");
        replicaB.release(b);
        Optional<LeaderLease.Held> again = replicaA.acquire("replica-a");
        assertThat(again).isPresent();
        assertThat(again.get().token()).isEqualTo(b.token() + 1);
        jdbc.update("DELETE FROM leader_lease WHERE name LIKE 'marker-%'");
    }
}
