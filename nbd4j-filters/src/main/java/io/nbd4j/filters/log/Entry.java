package io.nbd4j.filters.log;

/**
 * One thing the log filter reports, before it is written out as a file line or passed to the script.
 *
 * @param connection the filter's number for the connection, or 0 for events outside one (Ready,
 *                   Preconnect, ListExports)
 * @param id         the call's number, shared by its two entries, or 0 for a single entry
 * @param action     what happened: {@code Read}, {@code Connect} …
 * @param type       whether the entry opens a call, closes it, or stands alone
 * @param fields     the details as space-separated {@code key=value} words, shell-quoted where needed
 *                   (they become shell variables for the script), possibly empty
 */
record Entry(long connection, long id, String action, Type type, String fields) {
    enum Type { ENTER, LEAVE, PRINT }
}
