package org.lwm2mconform.leshan.lwm2m;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import org.eclipse.leshan.core.link.Link;
import org.eclipse.leshan.core.node.LwM2mPath;
import org.eclipse.leshan.core.request.BindingMode;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.registration.RegistrationUpdate;

/** Registrations as the Leshan server demo's REST API shows them. */
final class RegistrationJson {
    private RegistrationJson() {
    }

    static Map<String, Object> of(Registration r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("endpoint", r.getEndpoint());
        m.put("registrationId", r.getId());
        m.put("registrationDate", r.getRegistrationDate().getTime());
        m.put("lastUpdate", r.getLastUpdate().getTime());
        m.put("address", r.getAddress().getHostAddress() + ":" + r.getPort());
        m.put("lwM2mVersion", r.getLwM2mVersion().toString());
        m.put("lifetime", r.getLifeTimeInSec());
        m.put("bindingMode", BindingMode.toString(r.getBindingMode()));
        m.put("rootPath", r.getRootPath());
        m.put("objectLinks", links(r.getObjectLinks()));
        m.put("secure", r.getClientTransportData().getIdentity().isSecure());
        m.put("identity", r.getClientTransportData().getIdentity().toString());
        m.put("additionalRegistrationAttributes", r.getAdditionalRegistrationAttributes());
        m.put("queuemode", r.usesQueueMode());
        SortedMap<Integer, TreeSet<Integer>> inst = new TreeMap<>();
        for (LwM2mPath p : r.getAvailableInstances()) {
            inst.computeIfAbsent(p.getObjectId(), k -> new TreeSet<>()).add(p.getObjectInstanceId());
        }
        m.put("availableInstances", inst);
        return m;
    }

    static Map<String, Object> update(RegistrationUpdate u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("registrationId", u.getRegistrationId());
        if (u.getLifeTimeInSec() != null) {
            m.put("lifetime", u.getLifeTimeInSec());
        }
        if (u.getBindingMode() != null) {
            m.put("bindingMode", BindingMode.toString(u.getBindingMode()));
        }
        if (u.getObjectLinks() != null) {
            m.put("objectLinks", links(u.getObjectLinks()));
        }
        m.put("address", u.getClientTransportData().toString());
        return m;
    }

    static List<Map<String, Object>> links(Link[] links) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (links == null) {
            return out;
        }
        for (Link l : links) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("url", l.getUriReference());
            m.put("link", l.toCoreLinkFormat());
            out.add(m);
        }
        return out;
    }
}
