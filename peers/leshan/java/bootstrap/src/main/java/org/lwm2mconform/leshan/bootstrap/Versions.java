package org.lwm2mconform.leshan.bootstrap;

/** The Leshan library version this module is built on (see the pom). */
final class Versions {
    static final String LESHAN = "2.0.0-M15";

    private Versions() {
    }
}
