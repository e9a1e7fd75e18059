package io.nbd4j.protocol.pem;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code -----BEGIN label-----} ... {@code -----END label-----} block of a PEM file, decoded.
 * Text outside blocks (comments such as those {@code certtool} writes) is ignored. Immutable.
 *
 * @param label the word after BEGIN, e.g. {@code PRIVATE KEY} or {@code CERTIFICATE}
 * @param der   the decoded bytes
 */
record PemBlock(String label, byte[] der) {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    static List<PemBlock> parse(String text, String fileName) throws IOException {
        List<PemBlock> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            if (body.contains(":")) {
                // RFC 1421 headers such as Proc-Type mark a key encrypted the legacy way
                throw new IOException(fileName + ": encrypted PEM blocks are not supported; store the key unencrypted (mode 0600)");
            }
            try {
                blocks.add(new PemBlock(m.group(1), Base64.getMimeDecoder().decode(body)));
            } catch (IllegalArgumentException e) {
                throw new IOException(fileName + ": the " + m.group(1) + " block is not valid base64", e);
            }
        }
        return blocks;
    }
}
