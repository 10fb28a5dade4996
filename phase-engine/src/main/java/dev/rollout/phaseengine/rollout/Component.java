package dev.rollout.phaseengine.rollout;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** A deployable part of the product, rolled out at a version (and rolled back on its own in a partial rollback). */
@Embeddable
public class Component {

    @Column(name = "name", nullable = false, length = 100)
    private String name;

    @Column(name = "version", nullable = false, length = 64)
    private String version;

    protected Component() {
    }

    public Component(String name, String version) {
        this.name = name;
        this.version = version;
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }
}
