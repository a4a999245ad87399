package org.lwm2mconform.leshan.lwm2m;

import java.io.File;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.leshan.client.LeshanClient;
import org.eclipse.leshan.client.LeshanClientBuilder;
import org.eclipse.leshan.client.engine.DefaultRegistrationEngineFactory;
import org.eclipse.leshan.client.object.Device;
import org.eclipse.leshan.client.object.Security;
import org.eclipse.leshan.client.object.Server;
import org.eclipse.leshan.client.resource.ObjectsInitializer;
import org.eclipse.leshan.core.LwM2mId;
import org.eclipse.leshan.core.model.ObjectLoader;
import org.eclipse.leshan.core.model.StaticModel;
import org.eclipse.leshan.core.util.Hex;
import org.eclipse.leshan.core.util.datatype.ULong;
import org.eclipse.leshan.transport.californium.client.endpoint.CaliforniumClientEndpointsProvider;
import org.eclipse.leshan.transport.californium.client.endpoint.coap.CoapClientProtocolProvider;
import org.eclipse.leshan.transport.californium.client.endpoint.coaps.CoapsClientProtocolProvider;
import org.lwm2mconform.leshan.common.Args;
import org.lwm2mconform.leshan.common.Pem;

/**
 * A Leshan LwM2M client with the Leshan client demo's flags (the subset
 * that provisions security): an implementation under test for the harness.
 */
public final class ClientPeer {
    static final String CF_FILE = "Californium3.client.properties";

    private static final List<String> FLAGS = List.of("-u", "-n", "-lt", "-i", "-p", "-ccert", "-cprik", "-scert",
            "-cu", "-ts", "-cid", "-c", "-rwt");
    private static final String USAGE = String.join("\n", //
            "Usage: client -n ENDPOINT [flags]  (a Leshan " + Versions.LESHAN + " LwM2M client)", //
            "  -u URI        server URI (default coap://localhost:5683)", //
            "  -b            the URI is a bootstrap server", //
            "  -n NAME       endpoint name", //
            "  -lt SECONDS   registration lifetime (default 300)", //
            "  -i ID -p HEX  PSK identity and key", //
            "  -ccert FILE   client certificate, PEM or DER (X.509)", //
            "  -cprik FILE   client private key, PKCS#8 PEM or DER (X.509)", //
            "  -scert FILE   server certificate or CA, PEM or DER: Server Public Key (X.509)", //
            "  -cu 0..3      certificate usage (default: Leshan's default, 3)", //
            "  -ts FILE|DIR  trust store, PEM/DER file or directory", //
            "  -cid on|off|N DTLS Connection ID (default off)", //
            "  -c SUITES     comma-separated cipher suite names, e.g. TLS_PSK_WITH_AES_128_CCM_8", //
            "  -rwt MS       wait before retrying a failed bootstrap or registration (Leshan's default 600000)", //
            "  -h, --help    this help");

    private ClientPeer() {
    }

    public static void main(String[] argv) {
        if (List.of(argv).contains("-h") || List.of(argv).contains("--help")) {
            System.out.println(USAGE);
            return;
        }
        try {
            run(Args.parse(argv, FLAGS, Set.of("-b")));
        } catch (IllegalArgumentException e) {
            System.err.println("client: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        } catch (Exception e) {
            System.err.println("client: unable to create and start the client: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(Args a) throws Exception {
        String ep = a.get("-n");
        if (ep == null || ep.isEmpty()) {
            throw new IllegalArgumentException("-n ENDPOINT is required");
        }
        String uri = a.get("-u", "coap://localhost:5683");
        boolean bootstrap = a.on("-b");
        int ssid = 123;
        Security sec;
        if (a.has("-i") || a.has("-p")) {
            if (!(a.has("-i") && a.has("-p"))) {
                throw new IllegalArgumentException("PSK needs both -i and -p");
            }
            byte[] id = a.get("-i").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] key = Hex.decodeHex(a.get("-p").toCharArray());
            sec = bootstrap ? Security.pskBootstrap(uri, id, key) : Security.psk(uri, ssid, id, key);
        } else if (a.has("-ccert") || a.has("-cprik")) {
            if (!(a.has("-ccert") && a.has("-cprik"))) {
                throw new IllegalArgumentException("X.509 needs both -ccert and -cprik");
            }
            byte[] cert = Pem.certificates(a.get("-ccert"))[0].getEncoded();
            byte[] key = Pem.privateKey(a.get("-cprik")).getEncoded();
            byte[] server = a.has("-scert") ? Pem.certificates(a.get("-scert"))[0].getEncoded() : new byte[0];
            ULong usage = a.has("-cu") ? ULong.valueOf(a.number("-cu", 3)) : null;
            if (usage != null && (usage.longValue() < 0 || usage.longValue() > 3)) {
                throw new IllegalArgumentException("-cu must be 0..3");
            }
            sec = bootstrap ? Security.x509Bootstrap(uri, cert, key, server, usage)
                    : Security.x509(uri, ssid, cert, key, server, usage);
        } else {
            sec = bootstrap ? Security.noSecBootstrap(uri) : Security.noSec(uri, ssid);
        }

        ObjectsInitializer init = new ObjectsInitializer(new StaticModel(ObjectLoader.loadAllDefault()));
        init.setInstancesForObject(LwM2mId.SECURITY, sec);
        if (!bootstrap) {
            init.setInstancesForObject(LwM2mId.SERVER, new Server(ssid, a.number("-lt", 300)));
        } else {
            init.setClassForObject(LwM2mId.SERVER, Server.class);
        }
        init.setInstancesForObject(LwM2mId.DEVICE, new Device("Eclipse Leshan", "lwm2m-conform peer", "0001"));

        CaliforniumClientEndpointsProvider.Builder endpoints = new CaliforniumClientEndpointsProvider.Builder(
                new CoapClientProtocolProvider(), new CoapsClientProtocolProvider());
        Configuration cfg = endpoints.createDefaultConfiguration();
        cfg.setTransient(DtlsConfig.DTLS_CONNECTION_ID_LENGTH);
        cfg.set(DtlsConfig.DTLS_CONNECTION_ID_LENGTH, a.cid("-cid", "off", -1));
        if (a.has("-c")) {
            List<CipherSuite> suites = new ArrayList<>();
            for (String name : a.get("-c").split(",")) {
                CipherSuite cs = CipherSuite.getTypeByName(name.trim());
                if (cs == null) {
                    throw new IllegalArgumentException("-c: unknown cipher suite " + name.trim());
                }
                suites.add(cs);
            }
            cfg.setTransient(DtlsConfig.DTLS_CIPHER_SUITES);
            cfg.set(DtlsConfig.DTLS_CIPHER_SUITES, suites);
        }
        File cfFile = new File(CF_FILE);
        if (cfFile.isFile()) {
            cfg.load(cfFile);
        } else {
            cfg.store(cfFile, "lwm2m-conform Leshan client peer - " + Configuration.DEFAULT_HEADER);
        }
        endpoints.setConfiguration(cfg);

        LeshanClientBuilder builder = new LeshanClientBuilder(ep);
        if (a.has("-rwt")) {
            // Leshan retries a failed bootstrap, and a registration failing
            // right after one, only after this wait (10 min by default).
            DefaultRegistrationEngineFactory engine = new DefaultRegistrationEngineFactory();
            engine.setRetryWaitingTimeInMs((int) a.number("-rwt", 600000));
            builder.setRegistrationEngineFactory(engine);
        }
        builder.setObjects(init.createAll());
        builder.setEndpointsProviders(endpoints.build());
        if (a.has("-ts")) {
            List<Certificate> trust = Pem.trustStore(a.get("-ts"));
            builder.setTrustStore(trust);
        }
        LeshanClient client = builder.build();
        client.addObserver(new ClientLog());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            client.destroy(true);
            stopped.countDown();
        }));
        client.start();
        System.out.println("Leshan " + Versions.LESHAN + " client peer started: endpoint " + ep + ", server " + uri
                + (bootstrap ? " (bootstrap)" : ""));
        stopped.await();
    }
}
