package org.lwm2mconform.leshan.bootstrap;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.californium.scandium.dtls.AlertMessage;
import org.eclipse.californium.scandium.dtls.DTLSContext;
import org.eclipse.californium.scandium.dtls.DTLSSession;
import org.eclipse.californium.scandium.dtls.HandshakeException;
import org.eclipse.californium.scandium.dtls.Handshaker;
import org.eclipse.californium.scandium.dtls.SessionAdapter;
import org.lwm2mconform.leshan.common.EventHub;
import org.lwm2mconform.leshan.common.Rest;

/**
 * Logs every DTLS handshake's outcome (peer, suite, CID, or the failure and
 * its alert) on stdout and as a "DTLS" event, so that a refused client
 * leaves evidence of what the server did.
 */
final class DtlsLog extends SessionAdapter {
    private final EventHub events;

    DtlsLog(EventHub events) {
        this.events = events;
    }

    @Override
    public void handshakeCompleted(Handshaker h) {
        Map<String, Object> e = base(h, "completed");
        DTLSContext ctx = h.getDtlsContext();
        if (ctx != null) {
            DTLSSession s = ctx.getSession();
            e.put("suite", s.getCipherSuite().name());
            if (s.getPeerIdentity() != null) {
                e.put("identity", s.getPeerIdentity().getName());
            }
            if (ctx.getWriteConnectionId() != null) {
                e.put("peerCid", ctx.getWriteConnectionId().getAsString());
            }
            if (ctx.getReadConnectionId() != null) {
                e.put("cid", ctx.getReadConnectionId().getAsString());
            }
        }
        emit(e);
    }

    @Override
    public void handshakeFailed(Handshaker h, Throwable cause) {
        Map<String, Object> e = base(h, "failed");
        e.put("error", String.valueOf(cause.getMessage()));
        if (cause instanceof HandshakeException) {
            AlertMessage alert = ((HandshakeException) cause).getAlert();
            if (alert != null) {
                e.put("alert", alert.getDescription().name());
                e.put("alertLevel", alert.getLevel().name());
            }
        }
        emit(e);
    }

    private static Map<String, Object> base(Handshaker h, String result) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("result", result);
        e.put("peer", String.valueOf(h.getPeerAddress()));
        return e;
    }

    private void emit(Map<String, Object> e) {
        try {
            String json = Rest.JSON.writeValueAsString(e);
            System.out.println("DTLS handshake " + json);
            events.publish("DTLS", null, json);
        } catch (Exception ex) {
            System.err.println("DTLS log: " + ex);
        }
    }
}
