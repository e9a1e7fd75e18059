package io.nbd4j.plugins.data;

import io.nbd4j.plugins.data.Expr.FileContent;
import io.nbd4j.plugins.data.Expr.ScriptOutput;
import io.nbd4j.spi.ConfigException;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The bytes of {@code <FILE} and {@code <(SCRIPT)}, streamed into a {@link SparseImage}. A slice
 * {@code [N:M]} of either is read directly: only its bytes are read, so {@code </dev/urandom[:512]}
 * and a script printing forever end, and a script is stopped once its slice is read. Scripts run with
 * {@code /bin/sh -c}, stdin from {@code /dev/null} and stderr shared with the server's. Stateless;
 * used by the evaluator's thread.
 */
final class ExternalBytes {
    private static final int BUFFER = 64 * 1024;

    /** Writes bytes {@code [from, to)} of the file ({@code to} = {@link Expr#END}: to its end) at {@code at}; returns how many. */
    long file(FileContent f, long from, long to, SparseImage image, long at) throws ConfigException {
        try (InputStream in = Files.newInputStream(Path.of(f.path()))) {
            return copy(in, from, to, image, at, "<" + f.path(), f.origin());
        } catch (IOException e) {
            throw new ConfigException(f.origin().message("cannot read <" + f.path() + ": " + reason(e)), e);
        }
    }

    /** As {@link #file}, for what the script prints; the script must succeed unless it is stopped early. */
    long script(ScriptOutput s, long from, long to, SparseImage image, long at) throws ConfigException {
        Process p;
        try {
            p = new ProcessBuilder("/bin/sh", "-c", s.script())
                    .redirectInput(new File("/dev/null"))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw new ConfigException(s.origin().message("cannot run <(SCRIPT): " + e.getMessage()), e);
        }
        try (InputStream out = p.getInputStream()) {
            long n = copy(out, from, to, image, at, "<(SCRIPT)", s.origin());
            if (to == Expr.END) {
                int status = p.waitFor();
                if (status != 0) {
                    throw new ConfigException(s.origin().message("<(SCRIPT) exited with status " + status));
                }
            }
            return n;
        } catch (IOException e) {
            throw new ConfigException(s.origin().message("cannot read the output of <(SCRIPT): " + e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException(s.origin().message("interrupted while <(SCRIPT) ran"), e);
        } finally {
            stop(p);
        }
    }

    private static String reason(IOException e) {
        return switch (e) {
            case NoSuchFileException n -> "no such file";
            case AccessDeniedException a -> "permission denied";
            default -> e.getMessage();
        };
    }

    /** The script may still be writing (a slice of endless output): it and what it started are ended. */
    private static void stop(Process p) {
        if (p.isAlive()) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long copy(InputStream in, long from, long to, SparseImage image, long at, String what, Origin origin)
            throws IOException, ConfigException {
        byte[] buffer = new byte[BUFFER];
        long skipped = 0;
        while (skipped < from) {
            long s = in.skip(from - skipped);
            if (s <= 0) {
                int r = in.read(buffer, 0, (int) Math.min(buffer.length, from - skipped));
                if (r < 0) {
                    throw new ConfigException(origin.message(what + " has only " + skipped + " bytes, so a slice cannot start at " + from));
                }
                s = r;
            }
            skipped += s;
        }
        long copied = 0;
        long wanted = to == Expr.END ? Long.MAX_VALUE : to - from;
        while (copied < wanted) {
            int r = in.read(buffer, 0, (int) Math.min(buffer.length, wanted - copied));
            if (r < 0) {
                if (to != Expr.END) {
                    throw new ConfigException(origin.message(what + " has only " + (from + copied) + " bytes, so it has no slice ending at " + to));
                }
                break;
            }
            image.write(at + copied, buffer, 0, r);
            copied += r;
        }
        return copied;
    }
}
