package io.nbd4j.filters.common;

/**
 * The data calls of a handle, for filters that treat them alike ({@link InterceptingHandle}), named as
 * nbdkit names them in messages and parameters ({@code error-pread-rate}, {@code delay-extents}).
 */
public enum Operation {
    PREAD("pread"),
    PWRITE("pwrite"),
    ZERO("zero"),
    TRIM("trim"),
    FLUSH("flush"),
    EXTENTS("extents"),
    CACHE("cache");

    private final String nbdkitName;

    Operation(String nbdkitName) {
        this.nbdkitName = nbdkitName;
    }

    /** The lower-case name nbdkit uses: {@code pread}, {@code pwrite}, {@code zero} … */
    public String nbdkitName() {
        return nbdkitName;
    }
}
