package org.lwm2mconform.leshan.lwm2m;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.leshan.core.node.LwM2mNode;
import org.eclipse.leshan.core.observation.CompositeObservation;
import org.eclipse.leshan.core.observation.Observation;
import org.eclipse.leshan.core.observation.SingleObservation;
import org.eclipse.leshan.core.request.ContentFormat;
import org.eclipse.leshan.core.request.DownlinkDeviceManagementRequest;
import org.eclipse.leshan.core.request.ExecuteRequest;
import org.eclipse.leshan.core.request.ObserveRequest;
import org.eclipse.leshan.core.request.ReadRequest;
import org.eclipse.leshan.core.request.WriteRequest;
import org.eclipse.leshan.core.response.LwM2mResponse;
import org.eclipse.leshan.core.response.ObserveCompositeResponse;
import org.eclipse.leshan.core.response.ObserveResponse;
import org.eclipse.leshan.core.response.ReadResponse;
import org.eclipse.leshan.server.LeshanServer;
import org.eclipse.leshan.server.observation.ObservationListener;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.registration.RegistrationListener;
import org.eclipse.leshan.server.registration.RegistrationUpdate;
import org.lwm2mconform.leshan.common.EventHub;
import org.lwm2mconform.leshan.common.Rest;

/**
 * /api/clients of the Leshan server demo: list and inspect registrations,
 * Read, Write, Execute, Observe; and the registration and notification
 * events on the event stream.
 */
final class ClientsApi {
    private static final long DEFAULT_TIMEOUT_S = 5;

    private final LeshanServer server;
    private final EventHub events;

    ClientsApi(LeshanServer server, EventHub events) {
        this.server = server;
        this.events = events;
        server.getRegistrationService().addListener(new RegistrationListener() {
            @Override
            public void registered(Registration reg, Registration previous, Collection<Observation> prevObs) {
                publish("REGISTRATION", reg.getEndpoint(), RegistrationJson.of(reg));
            }

            @Override
            public void updated(RegistrationUpdate update, Registration updated, Registration previous) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("registration", RegistrationJson.of(updated));
                m.put("update", RegistrationJson.update(update));
                publish("UPDATED", updated.getEndpoint(), m);
            }

            @Override
            public void unregistered(Registration reg, Collection<Observation> obs, boolean expired,
                    Registration newReg) {
                Map<String, Object> m = RegistrationJson.of(reg);
                m.put("expired", expired);
                publish("DEREGISTRATION", reg.getEndpoint(), m);
            }
        });
        server.getObservationService().addListener(new ObservationListener() {
            @Override
            public void newObservation(Observation observation, Registration registration) {
            }

            @Override
            public void cancelled(Observation observation) {
            }

            @Override
            public void onResponse(SingleObservation obs, Registration reg, ObserveResponse response) {
                if (reg == null) {
                    return;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("ep", reg.getEndpoint());
                m.put("kind", "single");
                m.put("res", obs.getPath().toString());
                m.put("val", response.getContent() == null ? null : NodeJson.toJson(response.getContent()));
                publish("NOTIFICATION", reg.getEndpoint(), m);
            }

            @Override
            public void onResponse(CompositeObservation obs, Registration reg, ObserveCompositeResponse response) {
            }

            @Override
            public void onError(Observation observation, Registration reg, Exception error) {
                System.err.println("notification error for " + observation + ": " + error);
            }
        });
    }

    private void publish(String name, String ep, Object data) {
        try {
            events.publish(name, ep, Rest.JSON.writeValueAsString(data));
        } catch (Exception e) {
            System.err.println("event " + name + ": " + e);
        }
    }

    void handle(Rest.Call c) throws Exception {
        List<String> s = c.segments;
        if (s.isEmpty()) {
            if (!c.method.equals("GET")) {
                c.text(405, "method not allowed");
                return;
            }
            List<Object> all = new ArrayList<>();
            for (Iterator<Registration> it = server.getRegistrationService().getAllRegistrations(); it.hasNext();) {
                all.add(RegistrationJson.of(it.next()));
            }
            c.json(200, all);
            return;
        }
        String ep = s.get(0);
        Registration reg = server.getRegistrationService().getByEndpoint(ep);
        if (reg == null) {
            c.text(c.method.equals("GET") && s.size() == 1 ? 404 : 400,
                    String.format("No registered client with id '%s'", ep));
            return;
        }
        String last = s.get(s.size() - 1);
        switch (c.method) {
        case "GET":
            if (s.size() == 1) {
                c.json(200, RegistrationJson.of(reg));
                return;
            }
            send(c, reg, new ReadRequest(format(c), Rest.lwm2mPath(s, 1, s.size())));
            return;
        case "PUT":
            if (s.size() < 3) {
                c.text(400, "Invalid path: write needs /endpoint/object/instance[/resource]");
                return;
            }
            LwM2mNode node = NodeJson.fromJson(Rest.JSON.readTree(c.body()));
            boolean replace = !"false".equals(c.query.get("replace"));
            send(c, reg, new WriteRequest(replace ? WriteRequest.Mode.REPLACE : WriteRequest.Mode.UPDATE, format(c),
                    Rest.lwm2mPath(s, 1, s.size()), node));
            return;
        case "POST":
            if (s.size() >= 3 && last.equals("observe")) {
                send(c, reg, new ObserveRequest(format(c), Rest.lwm2mPath(s, 1, s.size() - 1)));
                return;
            }
            if (s.size() == 4) {
                byte[] body = c.body();
                String params = body.length == 0 ? null : new String(body, StandardCharsets.UTF_8);
                send(c, reg, new ExecuteRequest(Rest.lwm2mPath(s, 1, 4), params));
                return;
            }
            c.text(400, "Invalid path");
            return;
        case "DELETE":
            if (s.size() >= 3 && last.equals("observe")) {
                int n = server.getObservationService().cancelObservations(reg, Rest.lwm2mPath(s, 1, s.size() - 1));
                c.json(200, Map.of("cancelled", n));
                return;
            }
            c.text(400, "Invalid path");
            return;
        default:
            c.text(405, "method not allowed");
        }
    }

    private static ContentFormat format(Rest.Call c) {
        String f = c.query.get("format");
        if (f == null || f.isEmpty()) {
            return null;
        }
        ContentFormat cf = ContentFormat.fromName(f.toUpperCase());
        if (cf == null) {
            throw new IllegalArgumentException("unknown content format " + f);
        }
        return cf;
    }

    private <T extends LwM2mResponse> void send(Rest.Call c, Registration reg, DownlinkDeviceManagementRequest<T> req)
            throws Exception {
        long timeout = c.query.containsKey("timeout") ? Long.parseLong(c.query.get("timeout")) : DEFAULT_TIMEOUT_S;
        T resp = server.send(reg, req, timeout * 1000);
        if (resp == null) {
            c.text(504, "Request timeout: no response from " + reg.getEndpoint() + " within " + timeout + " s");
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", resp.getCode().toString());
        m.put("valid", resp.isValid());
        m.put("success", resp.isSuccess());
        m.put("failure", resp.isFailure());
        if (resp instanceof ReadResponse && ((ReadResponse) resp).getContent() != null) {
            m.put("content", NodeJson.toJson(((ReadResponse) resp).getContent()));
        }
        if (resp.isFailure() && resp.getErrorMessage() != null && !resp.getErrorMessage().isEmpty()) {
            m.put("errormessage", resp.getErrorMessage());
        }
        c.json(200, m);
    }
}
