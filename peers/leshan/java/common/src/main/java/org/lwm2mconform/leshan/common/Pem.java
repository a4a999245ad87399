package org.lwm2mconform.leshan.common;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads certificates and PKCS#8 private keys from PEM or DER files. */
public final class Pem {
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");

    private Pem() {
    }

    /** Every certificate of a PEM bundle or a single DER certificate. */
    public static X509Certificate[] certificates(String file) throws IOException, GeneralSecurityException {
        byte[] data = Files.readAllBytes(Path.of(file));
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        List<byte[]> blocks = blocks(data, "CERTIFICATE");
        if (blocks.isEmpty()) {
            blocks = List.of(data);
        }
        for (byte[] der : blocks) {
            Collection<? extends Certificate> certs = cf.generateCertificates(new ByteArrayInputStream(der));
            for (Certificate c : certs) {
                out.add((X509Certificate) c);
            }
        }
        if (out.isEmpty()) {
            throw new GeneralSecurityException(file + ": no certificate found");
        }
        return out.toArray(new X509Certificate[0]);
    }

    /**
     * A trust store: one file (PEM bundle or DER) or a directory of them
     * (files that are not certificates, such as READMEs, are skipped).
     */
    public static List<Certificate> trustStore(String path) throws IOException, GeneralSecurityException {
        Path p = Path.of(path);
        List<Certificate> out = new ArrayList<>();
        if (!Files.isDirectory(p)) {
            out.addAll(List.of(certificates(path)));
            return out;
        }
        try (Stream<Path> files = Files.list(p)) {
            for (Path f : files.sorted().toList()) {
                if (!Files.isRegularFile(f)) {
                    continue;
                }
                try {
                    for (X509Certificate c : certificates(f.toString())) {
                        if (!out.contains(c)) {
                            out.add(c);
                        }
                    }
                } catch (GeneralSecurityException e) {
                    // not a certificate file
                }
            }
        }
        if (out.isEmpty()) {
            throw new GeneralSecurityException(path + ": no certificate in the trust store directory");
        }
        return out;
    }

    /** A PKCS#8 private key (PEM "PRIVATE KEY" or DER); EC, RSA or Ed25519. */
    public static PrivateKey privateKey(String file) throws IOException, GeneralSecurityException {
        byte[] data = Files.readAllBytes(Path.of(file));
        List<byte[]> blocks = blocks(data, "PRIVATE KEY");
        byte[] der = blocks.isEmpty() ? data : blocks.get(0);
        if (blocks.isEmpty() && !blocks(data, "EC PRIVATE KEY").isEmpty()) {
            throw new GeneralSecurityException(file + ": SEC1 \"EC PRIVATE KEY\" is not supported, give PKCS#8");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        GeneralSecurityException last = null;
        for (String alg : new String[] { "EC", "RSA", "Ed25519" }) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException(file + ": not a PKCS#8 private key (EC, RSA or Ed25519)", last);
    }

    private static List<byte[]> blocks(byte[] data, String type) {
        List<byte[]> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(new String(data, StandardCharsets.ISO_8859_1));
        while (m.find()) {
            if (m.group(1).equals(type)) {
                out.add(Base64.getMimeDecoder().decode(m.group(2)));
            }
        }
        return out;
    }
}
