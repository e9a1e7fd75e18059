package io.nbd4j.plugins.floppy;

import java.nio.file.attribute.FileTime;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * A time as FAT directory entries hold it: local time (FAT has no time zone), a date of 7 bits of
 * year from 1980, 4 of month and 5 of day, a time of 5 bits of hour, 6 of minute and 5 of seconds/2,
 * and for creation times an extra count of 10 ms. Times outside 1980–2107 are clamped to the ends.
 *
 * @param date       the packed date
 * @param time       the packed time
 * @param hundredths 10 ms units past {@code time}'s even second (0–199)
 */
record FatTime(int date, int time, int hundredths) {
    private static final LocalDateTime EARLIEST = LocalDateTime.of(1980, 1, 1, 0, 0);
    private static final LocalDateTime LATEST = LocalDateTime.of(2107, 12, 31, 23, 59, 59);

    static FatTime of(FileTime t, ZoneId zone) {
        LocalDateTime local = LocalDateTime.ofInstant(t.toInstant(), zone);
        if (local.isBefore(EARLIEST)) {
            local = EARLIEST;
        } else if (local.isAfter(LATEST)) {
            local = LATEST;
        }
        int date = (local.getYear() - 1980) << 9 | local.getMonthValue() << 5 | local.getDayOfMonth();
        int time = local.getHour() << 11 | local.getMinute() << 5 | local.getSecond() / 2;
        int hundredths = (local.getSecond() % 2) * 100 + local.getNano() / 10_000_000;
        return new FatTime(date, time, hundredths);
    }
}
