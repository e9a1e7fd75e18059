package io.nbd4j.spi;

import jdk.jfr.Configuration;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

import java.io.IOException;
import java.text.ParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * nbd4j's Java Flight Recorder events (named {@code io.nbd4j.*}, such as the server's
 * {@code io.nbd4j.Request}): which recordings get them, and a test cheap enough for every request of
 * whether any recording wants them.
 *
 * <p>Such an event class is annotated {@code @Enabled(false)}, so JFR's {@code default} settings leave
 * it off. The server turns every {@link #declare declared} event on in each recording whose settings
 * are JFR's {@code profile} ones (more of the settings where {@code profile} and {@code default}
 * differ have profile's value than default's), and any recording may turn one on by name, e.g.
 * {@code -XX:StartFlightRecording:+io.nbd4j.Request#enabled=true} or a {@code .jfc} file.
 *
 * <p>Code that emits an event creates it only while {@link #isRecording()} is true, then checks
 * {@code isEnabled()} or {@code shouldCommit()} as usual before filling it in:
 *
 * <pre>{@code
 * if (FlightEvents.isRecording()) {
 *     RoundEvent e = new RoundEvent();
 *     ...
 * }
 * }</pre>
 *
 * The first use of a {@code jdk.jfr.Event} class makes the JVM set up JFR's metadata, hundreds of
 * milliseconds that a server nobody records must not pay.
 *
 * <p><b>Threads.</b> Thread-safe. {@link #isRecording()} is one volatile read.
 */
public final class FlightEvents {
    private static final Set<String> DECLARED = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean WATCHING = new AtomicBoolean();
    private static volatile boolean recording;

    private FlightEvents() {}

    /** Whether a running recording has one of nbd4j's events ({@code io.nbd4j.*}) on. */
    public static boolean isRecording() {
        return recording;
    }

    /**
     * Names an event that recordings with JFR's {@code profile} settings get. A layer declares its
     * events in {@code getReady} or {@code afterStart}; a name declared later also reaches the
     * recordings already running.
     */
    public static void declare(String eventName) {
        Objects.requireNonNull(eventName, "eventName");
        if (DECLARED.add(eventName) && WATCHING.get()) {
            Watcher.refresh();
        }
    }

    /**
     * Starts following recordings (once per JVM; later calls do nothing). The server calls it when it
     * starts, off the path to its first client: it loads a few JFR classes.
     */
    public static void watch() {
        if (WATCHING.compareAndSet(false, true)) {
            FlightRecorder.addListener(new Watcher());
        }
    }

    /**
     * Follows every recording's start and end: turns the declared events on in profile recordings and
     * keeps {@link #recording} true while a running recording has any {@code io.nbd4j.*} event on.
     * JFR calls it outside its own locks, from the thread that starts or stops a recording.
     */
    private static final class Watcher implements FlightRecorderListener {
        private static final String PREFIX = "io.nbd4j.";
        private static final String ENABLED = "#enabled";
        /** Where the profile settings differ from the default ones: each key with profile's value, and default's. */
        private static Map<String, String[]> distinguishing;

        @Override
        public void recorderInitialized(FlightRecorder recorder) {
            refresh();
        }

        @Override
        public void recordingStateChanged(Recording changed) {
            refresh();
        }

        static synchronized void refresh() {
            if (!FlightRecorder.isInitialized()) {
                return;
            }
            boolean any = false;
            for (Recording r : FlightRecorder.getFlightRecorder().getRecordings()) {
                RecordingState state = r.getState();
                if (state == RecordingState.STOPPED || state == RecordingState.CLOSED) {
                    continue;
                }
                Map<String, String> settings = r.getSettings();
                if (isProfile(settings)) {
                    for (String name : DECLARED) {
                        if (!settings.containsKey(name + ENABLED)) {
                            r.enable(name);   // a recording that names the event itself keeps its choice
                        }
                    }
                    settings = r.getSettings();
                }
                any |= state == RecordingState.RUNNING && enablesOurs(settings);
            }
            recording = any;
        }

        private static boolean enablesOurs(Map<String, String> settings) {
            for (Map.Entry<String, String> e : settings.entrySet()) {
                if (e.getKey().startsWith(PREFIX) && e.getKey().endsWith(ENABLED) && "true".equals(e.getValue())) {
                    return true;
                }
            }
            return false;
        }

        private static boolean isProfile(Map<String, String> settings) {
            int profile = 0;
            int standard = 0;
            for (Map.Entry<String, String[]> e : distinguishing().entrySet()) {
                String value = settings.get(e.getKey());
                if (e.getValue()[0].equals(value)) {
                    profile++;
                } else if (e.getValue()[1].equals(value)) {
                    standard++;
                }
            }
            return profile > standard;
        }

        private static Map<String, String[]> distinguishing() {
            if (distinguishing == null) {
                Map<String, String[]> differ = new HashMap<>();
                try {
                    Map<String, String> profile = Configuration.getConfiguration("profile").getSettings();
                    Map<String, String> standard = Configuration.getConfiguration("default").getSettings();
                    for (Map.Entry<String, String> e : profile.entrySet()) {
                        String other = standard.get(e.getKey());
                        if (other != null && !other.equals(e.getValue())) {
                            differ.put(e.getKey(), new String[] {e.getValue(), other});
                        }
                    }
                } catch (IOException | ParseException e) {
                    // A JDK without its settings files: no recording counts as profile; naming events still works.
                }
                distinguishing = differ;
            }
            return distinguishing;
        }
    }
}
