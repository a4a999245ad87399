package org.lwm2mconform.leshan.bootstrap;

import java.io.File;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.leshan.core.endpoint.Protocol;
import org.eclipse.leshan.core.model.ObjectLoader;
import org.eclipse.leshan.server.bootstrap.InMemoryBootstrapConfigStore;
import org.eclipse.leshan.server.bootstrap.LeshanBootstrapServer;
import org.eclipse.leshan.server.bootstrap.LeshanBootstrapServerBuilder;
import org.eclipse.leshan.server.californium.bootstrap.endpoint.CaliforniumBootstrapServerEndpointsProvider;
import org.eclipse.leshan.server.californium.bootstrap.endpoint.coap.CoapBootstrapServerProtocolProvider;
import org.eclipse.leshan.server.californium.bootstrap.endpoint.coaps.CoapsBootstrapServerProtocolProvider;
import org.eclipse.leshan.server.model.VersionedBootstrapModelProvider;
import org.eclipse.leshan.server.security.BootstrapSecurityStoreAdapter;
import org.eclipse.leshan.server.security.InMemorySecurityStore;
import org.lwm2mconform.leshan.common.Args;
import org.lwm2mconform.leshan.common.EventHub;
import org.lwm2mconform.leshan.common.Pem;
import org.lwm2mconform.leshan.common.Rest;

/**
 * A Leshan bootstrap server with the Leshan bootstrap server demo's flags and
 * REST API subset: /api/bootstrap, /api/security/clients, /api/event.
 */
public final class BootstrapServerPeer {
    static final String CF_FILE = "Californium3.bsserver.properties";

    private static final List<String> FLAGS = List.of("-lh", "-lp", "-slh", "-slp", "-wh", "-wp", "-cid", "-xcert",
            "-xprik", "-ts");
    private static final String USAGE = String.join("\n", //
            "Usage: bsserver [flags]  (a Leshan " + Versions.LESHAN + " bootstrap server)", //
            "  -lh HOST      CoAP address (default any)", //
            "  -lp PORT      CoAP port (default 5683)", //
            "  -slh HOST     CoAP over DTLS address (default any)", //
            "  -slp PORT     CoAP over DTLS port (default 5684)", //
            "  -wh HOST      web (REST API) address (default any)", //
            "  -wp PORT      web (REST API) port (default 8080)", //
            "  -cid on|off|N DTLS Connection ID: on = 6-byte CIDs, N = N-byte CIDs (default on)", //
            "  -xcert FILE   server certificate chain, PEM or DER (X.509 mode)", //
            "  -xprik FILE   server private key, PKCS#8 PEM or DER (X.509 mode)", //
            "  -ts FILE|DIR  trust store for client certificates (X.509 mode)", //
            "  -h, --help    this help");

    private BootstrapServerPeer() {
    }

    public static void main(String[] argv) {
        if (List.of(argv).contains("-h") || List.of(argv).contains("--help")) {
            System.out.println(USAGE);
            return;
        }
        try {
            run(Args.parse(argv, FLAGS, Set.of()));
        } catch (IllegalArgumentException e) {
            System.err.println("bsserver: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        } catch (Exception e) {
            System.err.println("bsserver: unable to create and start the bootstrap server: " + e);
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
        InMemoryBootstrapConfigStore configs = new InMemoryBootstrapConfigStore();
        InMemorySecurityStore security = new InMemorySecurityStore();

        LeshanBootstrapServerBuilder builder = new LeshanBootstrapServerBuilder();
        builder.setObjectModelProvider(new VersionedBootstrapModelProvider(ObjectLoader.loadDefault()));
        builder.setConfigStore(configs);
        builder.setSecurityStore(new BootstrapSecurityStoreAdapter(security));
        X509Certificate[] chain = null;
        if (x509) {
            chain = Pem.certificates(a.get("-xcert"));
            builder.setPrivateKey(Pem.privateKey(a.get("-xprik")));
            builder.setCertificateChain(chain);
            List<Certificate> trust = a.has("-ts") ? Pem.trustStore(a.get("-ts")) : List.of();
            builder.setTrustedCertificates(trust.toArray(new Certificate[0]));
        }

        DtlsLog dtls = new DtlsLog(events);
        CaliforniumBootstrapServerEndpointsProvider.Builder endpoints = new CaliforniumBootstrapServerEndpointsProvider.Builder(
                new CoapBootstrapServerProtocolProvider(),
                new CoapsBootstrapServerProtocolProvider(c -> c.setSessionListener(dtls)));
        Configuration cfg = endpoints.createDefaultConfiguration();
        cfg.setTransient(DtlsConfig.DTLS_CONNECTION_ID_LENGTH);
        cfg.set(DtlsConfig.DTLS_CONNECTION_ID_LENGTH, a.cid("-cid", "on", null));
        File cfFile = new File(CF_FILE);
        if (cfFile.isFile()) {
            cfg.load(cfFile);
        } else {
            cfg.store(cfFile, "lwm2m-conform Leshan bootstrap server peer - " + Configuration.DEFAULT_HEADER);
        }
        endpoints.setConfiguration(cfg);
        endpoints.addEndpoint(address(a.get("-lh"), a.port("-lp", 5683)), Protocol.COAP);
        endpoints.addEndpoint(address(a.get("-slh"), a.port("-slp", 5684)), Protocol.COAPS);
        builder.setEndpointsProviders(endpoints.build());
        LeshanBootstrapServer server = builder.build();
        server.addListener(new SessionLog(events));

        Rest rest = new Rest(address(a.get("-wh"), a.port("-wp", 8080)));
        rest.mount("/api/bootstrap", new BootstrapApi(configs)::handle);
        rest.mount("/api/security", new SecurityApi(security, chain == null ? null : chain[0])::handle);
        rest.mount("/api/event", events::serve);

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            rest.stop();
            server.destroy();
        }));
        server.start();
        rest.start();
        System.out.println("Leshan " + Versions.LESHAN + " bootstrap server peer ready: coap "
                + server.getEndpoint(Protocol.COAP).getURI() + ", coaps " + server.getEndpoint(Protocol.COAPS).getURI()
                + ", web http://" + rest.address().getHostString() + ":" + rest.address().getPort() + " (cid "
                + a.get("-cid", "on") + ")");
    }

    static InetSocketAddress address(String host, int port) {
        return host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }
}
