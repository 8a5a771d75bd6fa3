package com.hsrcpay.apikeys.localstack;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Run in a JVM of its own with {@code -Dos.name} and {@code -Dos.arch} of another platform: resolves the PostgreSQL
 * bundle exactly as {@code DurablePostgres} gets it when it starts (zonky's {@code EmbeddedPostgres} names the
 * platform from those two properties, its default resolver finds the bundle on the class path) and prints
 * {@code <os> <arch> <sha-256 of the bundle> <bytes>}.
 */
public final class PostgresBinarySelection {

    private PostgresBinarySelection() {
    }

    public static void main(String[] args) throws Exception {
        // EmbeddedPostgres.prepareBinaries passes these two to the resolver; they are private, hence reflection
        String system = (String) privateStatic("getOS").invoke(null);
        String architecture = (String) privateStatic("getArchitecture").invoke(null);
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        long bytes;
        try (InputStream bundle = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, architecture);
                OutputStream digest = new DigestOutputStream(OutputStream.nullOutputStream(), sha256)) {
            bytes = bundle.transferTo(digest);
        }
        System.out.println("selected " + system + " " + architecture + " " + HexFormat.of().formatHex(sha256.digest())
                + " " + bytes);
    }

    private static Method privateStatic(String name) throws NoSuchMethodException {
        Method method = EmbeddedPostgres.class.getDeclaredMethod(name);
        method.setAccessible(true);
        return method;
    }
}
