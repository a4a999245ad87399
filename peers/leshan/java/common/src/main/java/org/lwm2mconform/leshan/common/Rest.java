package org.lwm2mconform.leshan.common;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The peers' REST API server on the JDK's HTTP server. Handlers are mounted
 * under a prefix ("/api/clients") and get the path segments after it.
 */
public final class Rest {
    public static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /** One request. */
    public static final class Call {
        public final String method;
        public final List<String> segments;
        public final String rawPath; // the path after the prefix, "" or "/..."
        public final Map<String, String> query;
        public final String rawQuery;
        private final HttpExchange ex;

        Call(HttpExchange ex, String prefix) {
            this.ex = ex;
            this.method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            this.rawPath = path.substring(prefix.length());
            this.segments = new ArrayList<>();
            for (String s : rawPath.split("/")) {
                if (!s.isEmpty()) {
                    segments.add(s);
                }
            }
            this.rawQuery = ex.getRequestURI().getRawQuery();
            this.query = parseQuery(rawQuery);
        }

        public byte[] body() throws IOException {
            return ex.getRequestBody().readAllBytes();
        }

        public void reply(int status, String contentType, byte[] body) throws IOException {
            if (contentType != null) {
                ex.getResponseHeaders().set("Content-Type", contentType);
            }
            if (body == null || body.length == 0) {
                ex.sendResponseHeaders(status, -1);
            } else {
                ex.sendResponseHeaders(status, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        }

        public void json(int status, Object value) throws IOException {
            reply(status, "application/json", JSON.writeValueAsBytes(value));
        }

        public void text(int status, String msg) throws IOException {
            reply(status, "text/plain; charset=UTF-8", msg.getBytes(StandardCharsets.UTF_8));
        }

        /** For streaming responses (server-sent events). */
        public HttpExchange exchange() {
            return ex;
        }
    }

    /** A handler for one prefix. */
    public interface Handler {
        void handle(Call call) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "rest");
        t.setDaemon(true);
        return t;
    });

    public Rest(InetSocketAddress addr) throws IOException {
        server = HttpServer.create(addr, 64);
        server.setExecutor(pool);
    }

    public void mount(String prefix, Handler h) {
        server.createContext(prefix, ex -> {
            try {
                h.handle(new Call(ex, prefix));
            } catch (IllegalArgumentException e) {
                safeReply(ex, 400, "Invalid request: " + e.getMessage());
            } catch (Exception e) {
                System.err.println("REST " + ex.getRequestMethod() + " " + ex.getRequestURI() + ": " + e);
                safeReply(ex, 500, "Unexpected exception: " + e);
            } finally {
                ex.close();
            }
        });
    }

    private static void safeReply(HttpExchange ex, int status, String msg) {
        try {
            byte[] b = msg.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=UTF-8");
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
        } catch (IOException ignored) {
            // headers already sent: the client sees a truncated answer
        }
    }

    public void start() {
        server.start();
    }

    public void stop() {
        server.stop(0);
        pool.shutdownNow();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    static Map<String, String> parseQuery(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String kv : raw.split("&")) {
            String[] p = kv.split("=", 2);
            String k = URLDecoder.decode(p[0], StandardCharsets.UTF_8);
            String v = p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "";
            out.put(k, v);
        }
        return out;
    }

    /** "/3/0/13" from segments [ep, "3", "0", "13"] starting at index from. */
    public static String lwm2mPath(List<String> segments, int from, int to) {
        return "/" + String.join("/", segments.subList(from, to));
    }

    public static List<String> list(String... s) {
        return Arrays.asList(s);
    }
}
