package org.lwm2mconform.leshan.common;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;

/**
 * Server-sent events at /api/event, as the Leshan demos publish them:
 * "event: NAME" and one "data: JSON" line. "?ep=NAME" keeps one endpoint's
 * events only.
 */
public final class EventHub {
    private static final class Sink {
        final String endpoint;
        final BlockingQueue<String> queue = new LinkedBlockingQueue<>(4096);

        Sink(String endpoint) {
            this.endpoint = endpoint;
        }
    }

    private final Set<Sink> sinks = ConcurrentHashMap.newKeySet();

    /** Publishes an event; endpoint may be null for events of no client. */
    public void publish(String name, String endpoint, String jsonData) {
        String frame = "event: " + name + "\ndata: " + jsonData.replace("\n", " ") + "\n\n";
        for (Sink s : sinks) {
            if (s.endpoint == null || s.endpoint.equals(endpoint)) {
                if (!s.queue.offer(frame)) {
                    System.err.println("event stream of a slow subscriber overflowed; dropped " + name);
                }
            }
        }
    }

    /** Serves one subscriber until it goes away. */
    public void serve(Rest.Call call) throws IOException {
        HttpExchange ex = call.exchange();
        Sink sink = new Sink(call.query.get("ep"));
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        sinks.add(sink);
        try (OutputStream out = ex.getResponseBody()) {
            // A first comment so that the subscriber knows it is connected.
            out.write(": connected\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (true) {
                String frame = sink.queue.poll(10, TimeUnit.SECONDS);
                out.write((frame == null ? ": keep-alive\n\n" : frame).getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // subscriber closed the stream
        } finally {
            sinks.remove(sink);
        }
    }
}
