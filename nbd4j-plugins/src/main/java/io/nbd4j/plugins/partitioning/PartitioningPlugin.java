package io.nbd4j.plugins.partitioning;

import io.nbd4j.plugins.file.DiskFile;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ThreadModel;
import io.nbd4j.spi.Values;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code partitioning}: a partitioned disk made of files, one partition each. See the package
 * documentation.
 *
 * <p><b>Threads.</b> Configured and readied on the main thread; afterwards the layout and the open files
 * are shared read-only by every connection, and {@link #unload} closes the files after the last one.
 */
public final class PartitioningPlugin implements Plugin {
    private static final Logger LOG = LoggerFactory.getLogger(PartitioningPlugin.class);
    private static final long MAX_ALIGNMENT = 2048L * DiskLayout.SECTOR;
    private static final int DEFAULT_MBR_TYPE = 0x83;
    /** About 2 TB: what 32-bit sector numbers reach, less room for the padding between partitions. */
    private static final long MAX_MBR_DISK = 0xffff_ffffL * DiskLayout.SECTOR - 5 * MAX_ALIGNMENT;

    private static final Parameter FILE = new Parameter("file", "FILENAME",
            "a file holding one partition; repeat it, in order (the magic key, required)");
    private static final Parameter PARTITION_TYPE = new Parameter("partition-type", "mbr|gpt",
            "the partition table (default: mbr for up to 4 files and 2 TB, else gpt; dos means mbr)");
    private static final Parameter ALIGNMENT = new Parameter("alignment", "N",
            "align the following partitions to N bytes (a multiple of 512, at most 1M; default 1M)");
    private static final Parameter MBR_ID = new Parameter("mbr-id", "0xN|default",
            "the MBR type byte of the following partitions (default 0x83, Linux)");
    private static final Parameter TYPE_GUID = new Parameter("type-guid", "GUID|default",
            "the GPT type GUID of the following partitions (default " + Guids.LINUX_FILESYSTEM + ", Linux)");

    private final List<PartitionFile> files = new ArrayList<>();
    private long alignment = MAX_ALIGNMENT;
    private int mbrType = DEFAULT_MBR_TYPE;
    private byte[] typeGuid = Guids.parse(Guids.LINUX_FILESYSTEM);
    private String partitionType;
    private DiskLayout layout;
    private DiskFile[] open;

    @Override public String name() { return "partitioning"; }
    @Override public String description() { return "a partitioned disk made of one file per partition"; }
    @Override public String magicConfigKey() { return "file"; }
    @Override public ThreadModel threadModel() { return ThreadModel.PARALLEL; }

    @Override
    public List<Parameter> parameters() {
        return List.of(FILE, PARTITION_TYPE, ALIGNMENT, MBR_ID, TYPE_GUID);
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        if (FILE.matches(key)) {
            addFile(value);
        } else if (PARTITION_TYPE.matches(key)) {
            partitionType = Values.parseChoice(key, value, "mbr", "dos", "gpt").equals("gpt") ? "gpt" : "mbr";
        } else if (ALIGNMENT.matches(key)) {
            long a = Values.parseSize(key, value);
            if (a < DiskLayout.SECTOR || a > MAX_ALIGNMENT || a % DiskLayout.SECTOR != 0) {
                throw new ConfigException(key + ": " + value + " must be a multiple of 512 from 512 to 1M");
            }
            alignment = a;
        } else if (MBR_ID.matches(key)) {
            mbrType = value.strip().equalsIgnoreCase("default") ? DEFAULT_MBR_TYPE : (int) Values.parseInteger(key, value, 0, 255);
        } else if (TYPE_GUID.matches(key)) {
            byte[] guid = value.strip().equalsIgnoreCase("default") ? Guids.parse(Guids.LINUX_FILESYSTEM) : Guids.parse(value.strip());
            if (guid == null) {
                throw new ConfigException(key + ": '" + value + "' is not a GUID (expected e.g. " + Guids.LINUX_FILESYSTEM + ")");
            }
            typeGuid = guid;
        } else {
            throw new ConfigException("partitioning: unknown parameter '" + key
                    + "' (accepted: file, partition-type, alignment, mbr-id, type-guid)");
        }
    }

    private void addFile(String value) throws ConfigException {
        Path path = Path.of(value);
        long size;
        try {
            if (!Files.exists(path)) {
                throw new ConfigException("partitioning: " + value + ": no such file");
            }
            size = Files.size(path);
        } catch (IOException e) {
            throw new ConfigException("partitioning: " + value + ": " + e.getMessage(), e);
        }
        if (size == 0) {
            throw new ConfigException("partitioning: " + value + ": zero-length partitions are not allowed");
        }
        files.add(new PartitionFile(path, size, alignment, mbrType, typeGuid.clone(), Guids.random()));
    }

    @Override
    public void configComplete() throws ConfigException {
        if (files.isEmpty()) {
            throw new ConfigException("partitioning: at least one file=FILENAME is required");
        }
        long total = 0;
        for (PartitionFile f : files) {
            total = total > Long.MAX_VALUE - f.size() ? Long.MAX_VALUE : total + f.size();
        }
        boolean needsGpt = total > MAX_MBR_DISK;
        if (partitionType == null) {
            partitionType = needsGpt || files.size() > 4 ? "gpt" : "mbr";
        } else if (partitionType.equals("mbr") && needsGpt) {
            throw new ConfigException("partitioning: an MBR disk holds about 2 TB, but the " + files.size()
                    + " file(s) hold " + total + " bytes; use partition-type=gpt");
        }
    }

    @Override
    public void getReady(ThreadModel effective) throws IOException {
        if (partitionType.equals("gpt")) {
            layout = DiskLayout.gpt(files);
            GptTables.write(layout, files, Guids.random());
        } else {
            layout = DiskLayout.mbr(files);
            MbrTables.write(layout, files);
        }
        if (Integer.getInteger("nbd4j.debug.partitioning.regions", 0) != 0) {
            for (int i = 0; i < layout.regions().size(); i++) {
                Region r = layout.region(i);
                String what = r.isFile() ? files.get(r.file()).path().toString() : r.isData() ? "data" : "zero";
                LOG.debug("partitioning: region[{}]: {}-{} type={}", i, Long.toHexString(r.start()), Long.toHexString(r.end() - 1), what);
            }
        }
        open = new DiskFile[files.size()];
        try {
            for (int i = 0; i < open.length; i++) {
                open[i] = DiskFile.open(files.get(i).path(), true);
            }
        } catch (IOException | RuntimeException e) {
            unload();
            throw e;
        }
    }

    @Override
    public Handle open(OpenRequest request) {
        return new PartitioningHandle(layout, open, request.readOnly());
    }

    @Override
    public void unload() {
        if (open == null) {
            return;
        }
        for (DiskFile f : open) {
            if (f != null) {
                f.close();
            }
        }
        open = null;
    }
}
