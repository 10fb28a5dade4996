package dev.rollout.pilotservice.onboarding;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.rollout.pilotservice.roster.Pilot;
import dev.rollout.pilotservice.roster.PilotGroup;
import dev.rollout.pilotservice.roster.Roster;
import dev.rollout.starter.web.ProblemException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Onboarding sessions per pilot group, attendance and completion per pilot. */
@Service
public class Onboarding {

    public record Session(UUID id, PilotGroup group, String title, Instant scheduledAt, String createdBy) {
    }

    public record PilotStatus(String pilotId, PilotGroup group, boolean attended, boolean completed) {
    }

    /** The share of the roster that has completed onboarding: a gate input of Phase 2. */
    public record Status(int pilots, int onboarded, double share, List<PilotStatus> byPilot) {
    }

    private final Roster roster;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    Onboarding(Roster roster, JdbcTemplate jdbc, Clock clock) {
        this.roster = roster;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional
    public Session schedule(PilotGroup group, String title, Instant at, String actor) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO onboarding_session (id, pilot_group, title, scheduled_at, created_by) VALUES (?, ?, ?, ?, ?)",
                id, group.name(), title, Timestamp.from(at), actor);
        return new Session(id, group, title, at, actor);
    }

    @Transactional(readOnly = true)
    public List<Session> sessions() {
        return jdbc.query("SELECT id, pilot_group, title, scheduled_at, created_by FROM onboarding_session ORDER BY scheduled_at",
                (rs, n) -> new Session(rs.getObject(1, UUID.class), PilotGroup.valueOf(rs.getString(2)), rs.getString(3),
                        rs.getTimestamp(4).toInstant(), rs.getString(5)));
    }

    /** Records a pilot's attendance and completion of a session of its group. */
    @Transactional
    public PilotStatus record(UUID sessionId, String pilotId, boolean attended, boolean completed) {
        List<String> group = jdbc.queryForList("SELECT pilot_group FROM onboarding_session WHERE id = ?", String.class,
                sessionId);
        if (group.isEmpty()) {
            throw ProblemException.notFound("Onboarding session", sessionId);
        }
        Pilot pilot = roster.find(pilotId).orElseThrow(() -> ProblemException.notFound("Pilot", pilotId));
        if (!pilot.group().name().equals(group.get(0))) {
            throw ProblemException.unprocessable("Pilot " + pilotId + " is " + pilot.group() + "; session " + sessionId
                    + " is for " + group.get(0));
        }
        if (completed && !attended) {
            throw ProblemException.unprocessable("A pilot completes onboarding by attending: completed needs attended");
        }
        Timestamp now = Timestamp.from(clock.instant());
        int updated = jdbc.update("UPDATE onboarding_attendance SET attended = ?, completed = ?, recorded_at = ?"
                + " WHERE session_id = ? AND pilot_id = ?", attended, completed, now, sessionId, pilotId);
        if (updated == 0) {
            jdbc.update("INSERT INTO onboarding_attendance (session_id, pilot_id, attended, completed, recorded_at)"
                    + " VALUES (?, ?, ?, ?, ?)", sessionId, pilotId, attended, completed, now);
        }
        return new PilotStatus(pilotId, pilot.group(), attended, completed);
    }

    @Transactional(readOnly = true)
    public Status status() {
        List<Pilot> pilots = roster.all();
        Map<String, boolean[]> attendance = new HashMap<>();
        jdbc.query("SELECT pilot_id, MAX(CASE WHEN attended THEN 1 ELSE 0 END), MAX(CASE WHEN completed THEN 1 ELSE 0 END)"
                + " FROM onboarding_attendance GROUP BY pilot_id", rs -> {
                    attendance.put(rs.getString(1), new boolean[] { rs.getInt(2) == 1, rs.getInt(3) == 1 });
                });
        List<PilotStatus> byPilot = pilots.stream().map(p -> {
            boolean[] seen = attendance.getOrDefault(p.id(), new boolean[2]);
            return new PilotStatus(p.id(), p.group(), seen[0], seen[1]);
        }).toList();
        int onboarded = (int) byPilot.stream().filter(PilotStatus::completed).count();
        return new Status(pilots.size(), onboarded, pilots.isEmpty() ? 0 : (double) onboarded / pilots.size(), byPilot);
    }
}
