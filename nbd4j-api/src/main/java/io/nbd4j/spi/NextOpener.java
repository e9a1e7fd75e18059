package io.nbd4j.spi;

import java.io.IOException;

/** Opens the layers below a filter for one connection. A filter calls it at most once per {@link Filter#open}. */
@FunctionalInterface
public interface NextOpener {
    Next open(OpenRequest request) throws IOException;
}
