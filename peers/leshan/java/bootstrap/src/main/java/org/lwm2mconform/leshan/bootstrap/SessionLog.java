package org.lwm2mconform.leshan.bootstrap;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.leshan.core.peer.LwM2mPeer;
import org.eclipse.leshan.core.request.BootstrapDownlinkRequest;
import org.eclipse.leshan.core.request.BootstrapRequest;
import org.eclipse.leshan.core.response.LwM2mResponse;
import org.eclipse.leshan.server.bootstrap.BootstrapFailureCause;
import org.eclipse.leshan.server.bootstrap.BootstrapSession;
import org.eclipse.leshan.server.bootstrap.BootstrapSessionAdapter;
import org.lwm2mconform.leshan.common.EventHub;
import org.lwm2mconform.leshan.common.Rest;

/**
 * Bootstrap sessions on stdout and as events: BOOTSTRAP_STARTED,
 * BOOTSTRAP_REQUEST (each request sent and its answer), BOOTSTRAP_SUCCESS,
 * BOOTSTRAP_FAILURE with Leshan's cause.
 */
final class SessionLog extends BootstrapSessionAdapter {
    private final EventHub events;

    SessionLog(EventHub events) {
        this.events = events;
    }

    @Override
    public void sessionInitiated(BootstrapRequest request, LwM2mPeer client) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ep", request.getEndpointName());
        m.put("peer", client.toString());
        emit("BOOTSTRAP_STARTED", request.getEndpointName(), m);
    }

    @Override
    public void unAuthorized(BootstrapRequest request, LwM2mPeer client) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ep", request.getEndpointName());
        m.put("peer", client.toString());
        m.put("cause", "UNAUTHORIZED");
        emit("BOOTSTRAP_FAILURE", request.getEndpointName(), m);
    }

    @Override
    public void onResponseSuccess(BootstrapSession s, BootstrapDownlinkRequest<? extends LwM2mResponse> request,
            LwM2mResponse response) {
        request(s, request, response.getCode().toString());
    }

    @Override
    public void onResponseError(BootstrapSession s, BootstrapDownlinkRequest<? extends LwM2mResponse> request,
            LwM2mResponse response) {
        request(s, request, response.getCode().toString() + " " + response.getErrorMessage());
    }

    @Override
    public void onRequestFailure(BootstrapSession s, BootstrapDownlinkRequest<? extends LwM2mResponse> request,
            Throwable cause) {
        request(s, request, "failure: " + cause);
    }

    private void request(BootstrapSession s, BootstrapDownlinkRequest<? extends LwM2mResponse> request, String result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ep", s.getEndpoint());
        m.put("request", request.getClass().getSimpleName() + " " + request.getPath());
        m.put("result", result);
        emit("BOOTSTRAP_REQUEST", s.getEndpoint(), m);
    }

    @Override
    public void end(BootstrapSession s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ep", s.getEndpoint());
        emit("BOOTSTRAP_SUCCESS", s.getEndpoint(), m);
    }

    @Override
    public void failed(BootstrapSession s, BootstrapFailureCause cause) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ep", s.getEndpoint());
        m.put("cause", cause.name());
        emit("BOOTSTRAP_FAILURE", s.getEndpoint(), m);
    }

    private void emit(String name, String ep, Map<String, Object> m) {
        try {
            String json = Rest.JSON.writeValueAsString(m);
            System.out.println(name + " " + json);
            events.publish(name, ep, json);
        } catch (Exception e) {
            System.err.println("bootstrap event: " + e);
        }
    }
}
