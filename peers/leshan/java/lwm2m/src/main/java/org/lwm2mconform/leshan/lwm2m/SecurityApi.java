package org.lwm2mconform.leshan.lwm2m;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.leshan.core.util.Hex;
import org.eclipse.leshan.servers.security.EditableSecurityStore;
import org.eclipse.leshan.servers.security.NonUniqueSecurityInfoException;
import org.eclipse.leshan.servers.security.SecurityInfo;
import org.lwm2mconform.leshan.common.Rest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * /api/security of the Leshan demos: PUT /clients with {"endpoint",
 * "tls": {"mode": "psk", "details": {"identity", "key" (hex)}}} or
 * {"mode": "x509"}; GET /clients; DELETE /clients/{endpoint}; GET /server.
 */
final class SecurityApi {
    private final EditableSecurityStore store;
    private final X509Certificate serverCert;

    SecurityApi(EditableSecurityStore store, X509Certificate serverCert) {
        this.store = store;
        this.serverCert = serverCert;
    }

    void handle(Rest.Call c) throws Exception {
        List<String> s = c.segments;
        if (s.isEmpty()) {
            c.text(400, "Invalid path");
            return;
        }
        switch (c.method + " " + s.get(0) + (s.size() > 1 ? "/*" : "")) {
        case "PUT clients":
            SecurityInfo info = parse(Rest.JSON.readTree(c.body()));
            try {
                store.add(info);
            } catch (NonUniqueSecurityInfoException e) {
                c.text(400, e.getMessage());
                return;
            }
            System.out.println("security info added for endpoint " + info.getEndpoint());
            c.reply(200, null, null);
            return;
        case "GET clients":
            List<Object> all = new ArrayList<>();
            for (SecurityInfo i : store.getAll()) {
                all.add(json(i));
            }
            c.json(200, all);
            return;
        case "DELETE clients/*":
            SecurityInfo removed = store.remove(s.get(1), true);
            if (removed == null) {
                c.json(200, Map.of("message", "not_found"));
            } else {
                c.reply(200, null, null);
            }
            return;
        case "GET server":
            Map<String, Object> m = new LinkedHashMap<>();
            if (serverCert != null) {
                m.put("certificate", Map.of("b64Der", Base64.getEncoder().encodeToString(serverCert.getEncoded())));
            }
            c.json(200, m);
            return;
        default:
            c.text(400, "Invalid path");
        }
    }

    static SecurityInfo parse(JsonNode n) {
        if (!n.isObject() || !n.hasNonNull("endpoint")) {
            throw new IllegalArgumentException("security info needs an endpoint");
        }
        String ep = n.get("endpoint").asText();
        JsonNode tls = n.get("tls");
        if (tls == null || !tls.isObject()) {
            throw new IllegalArgumentException("security info needs a tls object");
        }
        switch (tls.path("mode").asText()) {
        case "psk":
            JsonNode d = tls.path("details");
            if (!d.hasNonNull("identity") || !d.hasNonNull("key")) {
                throw new IllegalArgumentException("psk needs details.identity and details.key (hex)");
            }
            return SecurityInfo.newPreSharedKeyInfo(ep, d.get("identity").asText(),
                    Hex.decodeHex(d.get("key").asText().toCharArray()));
        case "x509":
            return SecurityInfo.newX509CertInfo(ep);
        default:
            throw new IllegalArgumentException("tls.mode must be psk or x509");
        }
    }

    static Map<String, Object> json(SecurityInfo i) {
        Map<String, Object> tls = new LinkedHashMap<>();
        if (i.usePSK()) {
            tls.put("mode", "psk");
            tls.put("details", Map.of("identity", i.getPskIdentity(), "key", Hex.encodeHexString(i.getPreSharedKey())));
        } else if (i.useX509Cert()) {
            tls.put("mode", "x509");
        } else {
            tls.put("mode", "other");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("endpoint", i.getEndpoint());
        m.put("tls", tls);
        return m;
    }
}
