package io.nbd4j.plugins.floppy;

import io.nbd4j.spi.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the floppy holds: the host directory's subdirectories and regular files, read once at start,
 * sorted by name so that the same directory always gives the same image. Symbolic links, devices,
 * FIFOs and sockets are left out (FAT has no place for them), each with a log line.
 *
 * <p>Threads: immutable once scanned.
 */
final class SourceTree {
    private static final Logger LOG = LoggerFactory.getLogger(SourceTree.class);
    /** FAT keeps a file's size in 32 bits. */
    static final long MAX_FILE_SIZE = 0xFFFF_FFFFL;

    /** A file or directory: its name on the floppy, where it lives on the host, and its times. */
    record Node(String name, Path path, boolean directory, long size,
                FileTime created, FileTime modified, FileTime accessed, List<Node> children) {}

    private SourceTree() {}

    /** The tree under {@code dir}, whose root node has the empty name. */
    static Node scan(Path dir) throws ConfigException {
        try {
            BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class);
            if (!a.isDirectory()) {
                throw new ConfigException("floppy: dir=" + dir + " is not a directory");
            }
            return directory("", dir, a);
        } catch (IOException e) {
            throw new ConfigException("floppy: cannot read " + e.getMessage(), e);
        }
    }

    private static Node directory(String name, Path dir, BasicFileAttributes a) throws IOException, ConfigException {
        List<Node> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                BasicFileAttributes e = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String entryName = entry.getFileName().toString();
                if (e.isDirectory()) {
                    children.add(directory(entryName, entry, e));
                } else if (e.isRegularFile()) {
                    if (e.size() > MAX_FILE_SIZE) {
                        throw new ConfigException("floppy: " + entry + " is larger than FAT32 allows (4 GiB - 1 byte)");
                    }
                    children.add(new Node(entryName, entry, false, e.size(),
                            e.creationTime(), e.lastModifiedTime(), e.lastAccessTime(), List.of()));
                } else {
                    LOG.info("floppy: leaving out {}: not a regular file or directory", entry);
                }
            }
        }
        children.sort(Comparator.comparing(Node::name));
        return new Node(name, dir, true, 0, a.creationTime(), a.lastModifiedTime(), a.lastAccessTime(), List.copyOf(children));
    }
}
