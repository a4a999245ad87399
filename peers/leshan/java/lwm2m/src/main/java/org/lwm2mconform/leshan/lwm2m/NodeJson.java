package org.lwm2mconform.leshan.lwm2m;

import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.leshan.core.link.DefaultLinkSerializer;
import org.eclipse.leshan.core.link.Link;
import org.eclipse.leshan.core.model.ResourceModel.Type;
import org.eclipse.leshan.core.node.LwM2mMultipleResource;
import org.eclipse.leshan.core.node.LwM2mNode;
import org.eclipse.leshan.core.node.LwM2mObject;
import org.eclipse.leshan.core.node.LwM2mObjectInstance;
import org.eclipse.leshan.core.node.LwM2mResource;
import org.eclipse.leshan.core.node.LwM2mResourceInstance;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.eclipse.leshan.core.node.ObjectLink;
import org.eclipse.leshan.core.util.Hex;
import org.eclipse.leshan.core.util.datatype.ULong;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * LwM2M nodes to and from the Leshan demo's JSON shape: {"id", "kind":
 * obj|instance|singleResource|multiResource|resourceInstance, "type", "value"
 * or "values" or "resources" or "instances"}. Integers and floats travel as
 * strings (JavaScript numbers lose precision), opaque as hex, time as epoch
 * milliseconds.
 */
final class NodeJson {
    private NodeJson() {
    }

    static Object toJson(LwM2mNode node) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (node instanceof LwM2mObject) {
            LwM2mObject o = (LwM2mObject) node;
            m.put("id", o.getId());
            m.put("kind", "obj");
            List<Object> inst = new ArrayList<>();
            for (LwM2mObjectInstance i : o.getInstances().values()) {
                inst.add(toJson(i));
            }
            m.put("instances", inst);
        } else if (node instanceof LwM2mObjectInstance) {
            LwM2mObjectInstance i = (LwM2mObjectInstance) node;
            m.put("id", i.getId());
            m.put("kind", "instance");
            List<Object> res = new ArrayList<>();
            for (LwM2mResource r : i.getResources().values()) {
                res.add(toJson(r));
            }
            m.put("resources", res);
        } else if (node instanceof LwM2mResource) {
            LwM2mResource r = (LwM2mResource) node;
            m.put("id", r.getId());
            m.put("type", r.getType().name().toLowerCase());
            if (r.isMultiInstances()) {
                m.put("kind", "multiResource");
                Map<String, Object> values = new TreeMap<>();
                for (Map.Entry<Integer, LwM2mResourceInstance> e : r.getInstances().entrySet()) {
                    values.put(e.getKey().toString(), value(r.getType(), e.getValue().getValue()));
                }
                m.put("values", values);
            } else {
                m.put("kind", "singleResource");
                m.put("value", value(r.getType(), r.getValue()));
            }
        } else if (node instanceof LwM2mResourceInstance) {
            LwM2mResourceInstance ri = (LwM2mResourceInstance) node;
            m.put("id", ri.getId());
            m.put("kind", "resourceInstance");
            m.put("type", ri.getType().name().toLowerCase());
            m.put("value", value(ri.getType(), ri.getValue()));
        } else {
            throw new IllegalArgumentException("unsupported node " + node.getClass().getSimpleName());
        }
        return m;
    }

    private static Object value(Type type, Object v) {
        switch (type) {
        case OPAQUE:
            return Hex.encodeHexString((byte[]) v);
        case INTEGER:
        case UNSIGNED_INTEGER:
        case FLOAT:
            return v.toString();
        case TIME:
            return ((Date) v).getTime();
        case OBJLNK:
            ObjectLink l = (ObjectLink) v;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("objectId", l.getObjectId());
            m.put("objectInstanceId", l.getObjectInstanceId());
            return m;
        case CORELINK:
            return new DefaultLinkSerializer().serializeCoreLinkFormat((Link[]) v);
        default:
            return v;
        }
    }

    /** A node for Write; the kind may be omitted where the fields tell. */
    static LwM2mNode fromJson(JsonNode n) {
        if (!n.isObject()) {
            throw new IllegalArgumentException("a node must be a JSON object");
        }
        String kind = n.path("kind").asText("");
        if (kind.equals("instance") || n.has("resources")) {
            List<LwM2mResource> res = new ArrayList<>();
            for (JsonNode r : n.get("resources")) {
                LwM2mNode rn = fromJson(r);
                if (!(rn instanceof LwM2mResource)) {
                    throw new IllegalArgumentException("an instance holds resources only");
                }
                res.add((LwM2mResource) rn);
            }
            return n.has("id") ? new LwM2mObjectInstance(n.get("id").asInt(), res) : new LwM2mObjectInstance(res);
        }
        if (!n.has("id")) {
            throw new IllegalArgumentException("missing id");
        }
        int id = n.get("id").asInt();
        if (!n.has("type")) {
            throw new IllegalArgumentException("missing type");
        }
        Type type = type(n.get("type").asText());
        if (kind.equals("multiResource") || n.has("values")) {
            Map<Integer, Object> values = new TreeMap<>();
            for (Iterator<String> it = n.get("values").fieldNames(); it.hasNext();) {
                String k = it.next();
                values.put(Integer.valueOf(k), parse(n.get("values").get(k), type));
            }
            return LwM2mMultipleResource.newResource(id, values, type);
        }
        if (!n.has("value")) {
            throw new IllegalArgumentException("missing value");
        }
        Object v = parse(n.get("value"), type);
        if (kind.equals("resourceInstance")) {
            return LwM2mResourceInstance.newInstance(id, v, type);
        }
        return LwM2mSingleResource.newResource(id, v, type);
    }

    private static Type type(String name) {
        try {
            return Type.valueOf(name.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown type " + name);
        }
    }

    private static Object parse(JsonNode v, Type type) {
        switch (type) {
        case STRING:
            return v.asText();
        case BOOLEAN:
            if (!v.isBoolean()) {
                throw new IllegalArgumentException("boolean value expected, got " + v);
            }
            return v.asBoolean();
        case INTEGER:
            return Long.parseLong(v.asText());
        case UNSIGNED_INTEGER:
            return ULong.valueOf(v.asText());
        case FLOAT:
            return Double.parseDouble(v.asText());
        case TIME:
            return new Date(Long.parseLong(v.asText()));
        case OPAQUE:
            return Hex.decodeHex(v.asText().toCharArray());
        case OBJLNK:
            return new ObjectLink(v.get("objectId").asInt(), v.get("objectInstanceId").asInt());
        default:
            throw new IllegalArgumentException("type " + type + " is not supported for writing");
        }
    }
}
