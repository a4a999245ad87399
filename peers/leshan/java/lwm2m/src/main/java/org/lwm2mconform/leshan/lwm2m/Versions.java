package org.lwm2mconform.leshan.lwm2m;

/** The Leshan library version this module is built on (see the pom). */
final class Versions {
    static final String LESHAN = "2.0.0-M18";

    private Versions() {
    }
}
