import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The JVM's side of bench/lib/one_copy_write.c: what the memory plugin's second copy costs in Java, with
 * no socket, as CPU time of the copying thread per GiB copied. A resident WRITE_BYTES source (the pooled
 * receive buffer) is copied into a resident 256 MiB anonymous mapping (the disk), sequentially or at
 * random WRITE_BYTES-aligned offsets, by
 *   put      ByteBuffer.put(int, ByteBuffer, int, int), as Region.write does
 *   segment  MemorySegment.copy
 *   memcpy   glibc's memcpy through a critical FFM downcall
 * Each method runs ROUNDS times in alternation after a warm-up; prints the median and the range.
 *
 * Run: java bench/lib/CopyCost.java WRITE_BYTES sequential|random [ROUNDS]
 */
public class CopyCost {
    private static final long DISK = 256L << 20;
    private static final long GIB = 1L << 30;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final MethodHandle MEMCPY = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("memcpy").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
            Linker.Option.critical(false));

    public static void main(String[] args) throws Throwable {
        int len = Integer.parseInt(args[0]);
        boolean random = args[1].equals("random");
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        Arena arena = Arena.ofShared();
        MemorySegment disk = arena.allocate(DISK, 4096);
        disk.fill((byte) 1);
        MemorySegment source = arena.allocate(len, 4096);
        source.fill((byte) 2);
        ByteBuffer diskBytes = disk.asByteBuffer();
        ByteBuffer sourceBytes = source.asByteBuffer();
        long writes = GIB / len;
        long slots = DISK / len;
        long[] offsets = new long[(int) Math.min(writes, 1 << 20)];
        long state = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < offsets.length; i++) {
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            offsets[i] = (random ? Long.remainderUnsigned(state, slots) : i % slots) * len;
        }
        String[] methods = {"put", "segment", "memcpy"};
        List<List<Double>> samples = new ArrayList<>();
        for (String ignored : methods) {
            samples.add(new ArrayList<>());
        }
        for (int r = -2; r < rounds; r++) {
            for (int m = 0; m < methods.length; m++) {
                long start = THREADS.getCurrentThreadCpuTime();
                for (long w = 0; w < writes; w++) {
                    long at = offsets[(int) (w % offsets.length)];
                    switch (m) {
                        case 0 -> diskBytes.put((int) at, sourceBytes, 0, len);
                        case 1 -> MemorySegment.copy(source, 0, disk, at, len);
                        default -> {
                            MemorySegment ignored = (MemorySegment) MEMCPY.invokeExact(disk.asSlice(at, len), source, (long) len);
                        }
                    }
                }
                double ms = (THREADS.getCurrentThreadCpuTime() - start) / 1e6;
                if (r >= 0) {
                    samples.get(m).add(ms);
                }
            }
        }
        for (int m = 0; m < methods.length; m++) {
            List<Double> s = samples.get(m);
            Collections.sort(s);
            System.out.printf("bytes=%d %s method=%s copy_ms_per_gib=%.1f (%.1f-%.1f) rounds=%d%n", len,
                    random ? "random" : "sequential", methods[m], s.get(s.size() / 2), s.getFirst(), s.getLast(), s.size());
        }
    }
}
