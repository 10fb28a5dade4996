package dev.rollout.pilotservice.roster;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One of the 44 pilots who receive a version before the fleet does. */
@Entity
@Table(name = "pilot")
public class Pilot {

    @Id
    @Column(length = 64)
    private String id;

    @Column(nullable = false, length = 200)
    private String name;

    @Column(nullable = false, length = 200)
    private String contact;

    @Enumerated(EnumType.STRING)
    @Column(name = "pilot_group", nullable = false, length = 16)
    private PilotGroup group;

    @Column(nullable = false)
    private int wing;

    @Column(nullable = false)
    private int squadron;

    protected Pilot() {
    }

    public Pilot(String id, String name, String contact, PilotGroup group, int wing, int squadron) {
        this.id = id;
        this.name = name;
        this.contact = contact;
        this.group = group;
        this.wing = wing;
        this.squadron = squadron;
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public String contact() {
        return contact;
    }

    public PilotGroup group() {
        return group;
    }

    public int wing() {
        return wing;
    }

    public int squadron() {
        return squadron;
    }
}
