package io.nbd4j.filters.luks;

import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.RIPEMD160Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA224Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;

import java.util.Locale;
import java.util.function.Supplier;

/** The hashes a LUKS header names ({@code sha256}…), as Bouncy Castle digests and JDK names. Stateless. */
final class Hashes {
    private Hashes() {}

    /** A fresh digest for {@code hashSpec}, or {@code null} if it is not one LUKS uses that we know. */
    static Supplier<Digest> digest(String hashSpec) {
        return switch (hashSpec.toLowerCase(Locale.ROOT)) {
            case "sha1" -> SHA1Digest::new;
            case "sha224" -> SHA224Digest::new;
            case "sha256" -> SHA256Digest::new;
            case "sha384" -> SHA384Digest::new;
            case "sha512" -> SHA512Digest::new;
            case "ripemd160" -> RIPEMD160Digest::new;
            default -> null;
        };
    }

    /** The JDK's name of a SHA hash ({@code sha256} is {@code SHA-256}). */
    static String jdkName(String hashSpec) {
        String lower = hashSpec.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("sha") || lower.length() < 4) {
            throw new IllegalArgumentException("not a SHA hash: " + hashSpec);
        }
        return lower.equals("sha1") ? "SHA-1" : "SHA-" + lower.substring(3);
    }
}
