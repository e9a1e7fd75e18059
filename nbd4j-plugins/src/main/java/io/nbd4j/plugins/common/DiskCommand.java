package io.nbd4j.plugins.common;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Values;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How the tmpdisk and ondemand plugins make a new disk: a shell script run with {@code $disk} (the
 * path to create), {@code $size} (the requested size in bytes) and every other parameter of the plugin
 * as a variable of its own name. Without {@code command=} the script makes a sparse file of
 * {@code $size} bytes and formats it with {@code mkfs -t $type} (ext4 unless {@code type=} says
 * otherwise), labelled {@code $label} when {@code label=} is given, as nbdkit's plugins do.
 *
 * <p>This class owns the parameters {@code size=}, {@code command=}, {@code type=}, {@code label=} and
 * the free {@code VAR=VALUE} ones; a plugin passes it every key it does not handle itself.
 *
 * <p>Threads: configured on the main thread; after {@link #configComplete}, {@link #create} may run on
 * many threads at once (each run is its own process).
 */
public final class DiskCommand {
    private static final Pattern SHELL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * Formats {@code $disk} with mkfs. The options by family: ext2/3/4 must be forced onto a regular
     * file ({@code -F}), mkfs.fat must be told a whole unpartitioned disk is intended ({@code -I}) and
     * takes its label with {@code -n}, NTFS formats quickly and takes its label with {@code -n} too, XFS
     * overwrites whatever was there ({@code -f}).
     */
    static final String MKFS_SCRIPT = """
            type="${type:-ext4}"
            label_option=-L
            case "$type" in
                ext?) options=-F ;;
                *fat|msdos) options=-I; label_option=-n ;;
                ntfs) options='-Q -F'; label_option=-n ;;
                xfs) options=-f ;;
                *) options= ;;
            esac
            truncate -s "$size" "$disk" || exit
            if [ -z "$label" ]; then
                mkfs -t "$type" $options "$disk"
            else
                mkfs -t "$type" $options $label_option "$label" "$disk"
            fi
            """;

    public static final Parameter COMMAND = new Parameter("command", "SCRIPT",
            "shell commands that create $disk instead of mkfs (given $disk, $size and every other key=value)");
    public static final Parameter TYPE = new Parameter("type", "TYPE",
            "the file system mkfs makes: ext4 (the default), xfs, vfat, any mkfs -t type; with command=, only the variable $type");
    public static final Parameter LABEL = new Parameter("label", "LABEL",
            "the file system label (default none); with command=, only the variable $label");

    private final String plugin;
    private long size = -1;
    private String command;
    private final Map<String, String> variables = new LinkedHashMap<>();

    /** @param plugin the plugin's name, for messages */
    public DiskCommand(String plugin) {
        this.plugin = plugin;
    }

    /** The parameters this class owns, with {@code size=}'s help line. */
    public static List<Parameter> parameters(Parameter size) {
        return List.of(size, COMMAND, TYPE, LABEL);
    }

    /** Takes one parameter; a key that repeats keeps its last value. */
    public void config(String key, String value) throws ConfigException {
        switch (key) {
            case "size" -> size = Values.parseSize(key, value);
            case "command" -> command = value;
            case "disk" -> throw new ConfigException(plugin + ": disk= is reserved: $disk is set to the path of the disk");
            default -> {
                if (!SHELL_NAME.matcher(key).matches()) {
                    throw new ConfigException(plugin + ": parameter '" + key
                            + "' cannot become a shell variable (use letters, digits and _)");
                }
                variables.put(key, value);
            }
        }
    }

    /** Refuses to start without a size. */
    public void configComplete() throws ConfigException {
        if (size < 0) {
            throw new ConfigException(plugin + ": size= is required (e.g. '" + plugin + " 1G')");
        }
    }

    /** The requested size in bytes. */
    public long size() {
        return size;
    }

    /**
     * Runs the script to create {@code disk}, which must not exist yet.
     *
     * @throws io.nbd4j.spi.NbdException EIO naming the script's exit status and its error output
     */
    public void create(Path disk) throws IOException {
        Map<String, String> env = new LinkedHashMap<>(variables);
        env.put("disk", disk.toString());
        env.put("size", Long.toString(size));
        String what = command == null ? plugin + ": mkfs" : plugin + ": command=";
        ExternalCommand.shell(what, command == null ? MKFS_SCRIPT : command)
                .environment(env)
                .discardStdout()
                .run();
    }
}
