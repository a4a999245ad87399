package org.lwm2mconform.leshan.bootstrap;

import org.eclipse.leshan.server.bootstrap.BootstrapConfig;
import org.eclipse.leshan.server.bootstrap.EditableBootstrapConfigStore;
import org.eclipse.leshan.server.bootstrap.InvalidConfigurationException;
import org.lwm2mconform.leshan.common.Rest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * /api/bootstrap of the Leshan bootstrap server demo: POST /{endpoint} with a
 * BootstrapConfig as JSON (Leshan's field names: "toDelete", "servers",
 * "security" keyed by instance id), GET for all, DELETE /{endpoint}.
 */
final class BootstrapApi {
    private static final ObjectMapper MAPPER = Rest.JSON.copy()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final EditableBootstrapConfigStore store;

    BootstrapApi(EditableBootstrapConfigStore store) {
        this.store = store;
    }

    void handle(Rest.Call c) throws Exception {
        switch (c.method + " " + c.segments.size()) {
        case "GET 0":
            c.json(200, store.getAll());
            return;
        case "POST 1":
            BootstrapConfig cfg;
            try {
                cfg = MAPPER.readValue(c.body(), BootstrapConfig.class);
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                c.text(400, "Invalid bootstrap config: " + e.getOriginalMessage());
                return;
            }
            try {
                store.add(c.segments.get(0), cfg);
            } catch (InvalidConfigurationException e) {
                c.text(400, e.getMessage());
                return;
            }
            System.out.println("bootstrap config added for endpoint " + c.segments.get(0) + ": " + cfg);
            c.reply(200, null, null);
            return;
        case "DELETE 1":
            if (store.remove(c.segments.get(0)) == null) {
                c.text(404, "no config for " + c.segments.get(0));
            } else {
                c.reply(204, null, null);
            }
            return;
        default:
            c.text(400, "endpoint name should be specified in the URL, nothing more");
        }
    }
}
