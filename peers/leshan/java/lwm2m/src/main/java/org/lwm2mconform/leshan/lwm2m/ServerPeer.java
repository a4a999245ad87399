package org.lwm2mconform.leshan.lwm2m;

import java.io.File;
import java.net.InetSocketAddress;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.util.CertPathUtil;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.leshan.core.endpoint.Protocol;
import org.eclipse.leshan.core.model.ObjectLoader;
import org.eclipse.leshan.server.LeshanServer;
import org.eclipse.leshan.server.LeshanServerBuilder;
import org.eclipse.leshan.server.model.VersionedModelProvider;
import org.eclipse.leshan.servers.security.InMemorySecurityStore;
import org.eclipse.leshan.transport.californium.server.endpoint.CaliforniumServerEndpointsProvider;
import org.eclipse.leshan.transport.californium.server.endpoint.coap.CoapServerProtocolProvider;
import org.eclipse.leshan.transport.californium.server.endpoint.coaps.CoapsServerProtocolProvider;
import org.lwm2mconform.leshan.common.Args;
import org.lwm2mconform.leshan.common.EventHub;
import org.lwm2mconform.leshan.common.Pem;
import org.lwm2mconform.leshan.common.Rest;

/**
 * A Leshan LwM2M server with the Leshan server demo's flags and REST API
 * (the subset the harness drives): /api/clients, /api/security/clients and
 * the /api/event stream.
 */
public final class ServerPeer {
    static final String CF_FILE = "Californium3.server.properties";

    private static final List<String> FLAGS = List.of("-lh", "-lp", "-slh", "-slp", "-wh", "-wp", "-cid", "-xcert",
            "-xprik", "-ts");
    private static final String USAGE = String.join("\n", //
            "Usage: server [flags]  (a Leshan " + Versions.LESHAN + " LwM2M server)", //
            "  -lh HOST      CoAP address (default any)", //
            "  -lp PORT      CoAP port (default 5683)", //
            "  -slh HOST     CoAP over DTLS address (default any)", //
            "  -slp PORT     CoAP over DTLS port (default 5684)", //
            "  -wh HOST      web (REST API) address (default any)", //
            "  -wp PORT      web (REST API) port (default 8080)", //
            "  -cid on|off|N DTLS Connection ID: on = 6-byte CIDs, N = N-byte CIDs (default on)", //
            "  -xcert FILE   server certificate chain, PEM or DER (X.509 mode)", //
            "  -xprik FILE   server private key, PKCS#8 PEM or DER (X.509 mode)", //
            "  -ts FILE|DIR  trust store for client certificates, PEM/DER file or directory (X.509 mode)", //
            "  -h, --help    this help");

    private ServerPeer() {
    }

    public static void main(String[] argv) {
        if (List.of(argv).contains("-h") || List.of(argv).contains("--help")) {
            System.out.println(USAGE);
            return;
        }
        try {
            run(Args.parse(argv, FLAGS, Set.of()));
        } catch (IllegalArgumentException e) {
            System.err.println("server: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        } catch (Exception e) {
            System.err.println("server: unable to create and start the server: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(Args a) throws Exception {
        boolean x509 = a.has("-xcert") || a.has("-xprik");
        if (x509 && !(a.has("-xcert") && a.has("-xprik"))) {
            throw new IllegalArgumentException("X.509 mode needs both -xcert and -xprik");
        }
        EventHub events = new EventHub();
        InMemorySecurityStore store = new InMemorySecurityStore();

        LeshanServerBuilder builder = new LeshanServerBuilder();
        builder.setObjectModelProvider(new VersionedModelProvider(ObjectLoader.loadAllDefault()));
        builder.setSecurityStore(store);
        X509Certificate[] chain = null;
        if (x509) {
            chain = Pem.certificates(a.get("-xcert"));
            PrivateKey key = Pem.privateKey(a.get("-xprik"));
            builder.setPrivateKey(key);
            builder.setCertificateChain(chain);
            List<Certificate> trust = a.has("-ts") ? Pem.trustStore(a.get("-ts")) : List.of();
            builder.setTrustedCertificates(trust.toArray(new Certificate[0]));
            System.out.println("X.509 identity " + chain[0].getSubjectX500Principal() + ", " + trust.size()
                    + " trusted certificate(s)");
        }

        DtlsLog dtls = new DtlsLog(events);
        CaliforniumServerEndpointsProvider.Builder endpoints = new CaliforniumServerEndpointsProvider.Builder(
                new CoapServerProtocolProvider(), new CoapsServerProtocolProvider(c -> c.setSessionListener(dtls)));
        Configuration cfg = endpoints.createDefaultConfiguration();
        cfg.setTransient(DtlsConfig.DTLS_CONNECTION_ID_LENGTH);
        // Californium 4 defaults to 6-byte CIDs and restores that default
        // for null: -1 is what turns the extension off.
        cfg.set(DtlsConfig.DTLS_CONNECTION_ID_LENGTH, a.cid("-cid", "on", -1));
        File cfFile = new File(CF_FILE);
        if (cfFile.isFile()) {
            cfg.load(cfFile);
        } else {
            cfg.store(cfFile, "lwm2m-conform Leshan server peer - " + Configuration.DEFAULT_HEADER);
        }
        // As the Leshan demo: a certificate without clientAuth cannot start
        // DTLS sessions itself, so the server takes the server role only.
        if (chain != null && cfg.get(DtlsConfig.DTLS_ROLE) == DtlsRole.BOTH
                && CertPathUtil.canBeUsedForAuthentication(chain[0], false)
                && !CertPathUtil.canBeUsedForAuthentication(chain[0], true)) {
            cfg.set(DtlsConfig.DTLS_ROLE, DtlsRole.SERVER_ONLY);
        }
        endpoints.setConfiguration(cfg);
        endpoints.addEndpoint(address(a.get("-lh"), a.port("-lp", 5683)), Protocol.COAP);
        endpoints.addEndpoint(address(a.get("-slh"), a.port("-slp", 5684)), Protocol.COAPS);
        builder.setEndpointsProviders(endpoints.build());
        LeshanServer server = builder.build();

        Rest rest = new Rest(address(a.get("-wh"), a.port("-wp", 8080)));
        ClientsApi clients = new ClientsApi(server, events);
        rest.mount("/api/clients", clients::handle);
        rest.mount("/api/security", new SecurityApi(store, chain == null ? null : chain[0])::handle);
        rest.mount("/api/event", events::serve);

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            rest.stop();
            server.destroy();
        }));
        server.start();
        rest.start();
        System.out.println("Leshan " + Versions.LESHAN + " server peer ready: coap " + server.getEndpoint(Protocol.COAP).getURI()
                + ", coaps " + server.getEndpoint(Protocol.COAPS).getURI() + ", web http://"
                + rest.address().getHostString() + ":" + rest.address().getPort() + " (cid " + a.get("-cid", "on")
                + ")");
    }

    static InetSocketAddress address(String host, int port) {
        return host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }
}
