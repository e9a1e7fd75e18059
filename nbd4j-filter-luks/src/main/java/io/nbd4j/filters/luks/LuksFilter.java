package io.nbd4j.filters.luks;

import io.nbd4j.plugins.common.Secrets;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code --filter=luks}: serves the decrypted contents of a LUKSv1-encrypted disk in the layer below,
 * read and written. See the package documentation.
 *
 * <p><b>Threads.</b> Configured on the main thread. Unlocking (slow by design: PBKDF2) happens once
 * per distinct disk, by the first connection that reaches {@code prepare}, under this object's
 * monitor; later connections to the same disk (recognised by its header) reuse the key.
 */
public final class LuksFilter implements Filter {
    private static final Parameter PASSPHRASE = new Parameter("passphrase", "SECRET",
            "the passphrase of one of the disk's key slots: the text itself, - to ask on the terminal, "
                    + "+FILE to read it from a file, or -FD to read it from a file descriptor (required)");

    private byte[] passphrase;
    private final Map<String, LuksVolume> unlocked = new HashMap<>();
    private final SectorLocks sectorLocks = new SectorLocks(256);

    @Override
    public String name() {
        return "luks";
    }

    @Override
    public String description() {
        return "read and write a LUKSv1-encrypted disk";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(PASSPHRASE);
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        if (PASSPHRASE.matches(key)) {
            passphrase = Secrets.read(key, value).getBytes(StandardCharsets.UTF_8);
        } else {
            Filter.super.config(key, value);
        }
    }

    @Override
    public void configComplete() throws ConfigException {
        if (passphrase == null) {
            throw new ConfigException("luks: the passphrase parameter is required (passphrase=SECRET, +FILE, -FD or -)");
        }
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        return new LuksHandle(below.open(request), this);
    }

    SectorLocks sectorLocks() {
        return sectorLocks;
    }

    /** The unlocked disk that {@code next} holds, unlocking it if no connection did yet. */
    synchronized LuksVolume volume(Next next) throws IOException {
        if (next.size() < LuksHeader.LENGTH) {
            throw new NbdException(NbdError.EINVAL, "luks: the disk is too small to hold a LUKS header");
        }
        ByteBuffer raw = ByteBuffer.allocate(LuksHeader.LENGTH);
        next.pread(raw, 0, 0);
        String identity = HexFormat.of().formatHex(raw.array());
        LuksVolume volume = unlocked.get(identity);
        if (volume == null) {
            LuksHeader header = LuksHeader.parse(raw);
            if (header.cipherMode().startsWith("xts") && XtsSectors.unavailableReason() != null) {
                throw new NbdException(NbdError.EINVAL, "luks: cipher " + header.cipher() + " needs AES-XTS: " + XtsSectors.unavailableReason());
            }
            long payload = header.payloadSector() * LuksHeader.SECTOR;
            if (payload > next.size()) {
                throw new NbdException(NbdError.EINVAL, "luks: the header places the payload beyond the end of the disk");
            }
            byte[] masterKey = KeyUnlocker.unlock(header, passphrase, next);
            volume = new LuksVolume(payload, SectorCipher.of(header.cipherName(), header.cipherMode(), masterKey));
            unlocked.put(identity, volume);
        }
        return volume;
    }
}
