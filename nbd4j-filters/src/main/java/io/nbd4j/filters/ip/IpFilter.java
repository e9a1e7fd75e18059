package io.nbd4j.filters.ip;

import io.nbd4j.spi.ClientInfo;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Parameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --filter=ip}: lets clients in or turns them away by address, or, on a Unix socket, by the
 * client process's pid, uid and gid (see the package documentation).
 *
 * <p><b>Threads.</b> The rule lists are built on the main thread and only read afterwards, by each
 * connection's thread in {@code preconnect}.
 */
public final class IpFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(IpFilter.class);

    private final List<Rule> allow = new ArrayList<>();
    private final List<Rule> deny = new ArrayList<>();
    private boolean debugRules;

    @Override
    public String name() {
        return "ip";
    }

    @Override
    public String description() {
        return "allow or deny clients by address or Unix peer credentials";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(
                new Parameter("allow", "RULE[,RULE...]", "clients matching any of these are let in"),
                new Parameter("deny", "RULE[,RULE...]", "clients matching any of these (and no allow rule) are turned away"));
    }

    /** Both parameters may repeat; each adds to its list. */
    @Override
    public void config(String key, String value) throws ConfigException {
        List<Rule> list = switch (key) {
            case "allow" -> allow;
            case "deny" -> deny;
            default -> throw new ConfigException(name() + ": unknown parameter '" + key + "'");
        };
        for (String entry : value.split(",", -1)) {
            if (entry.isEmpty()) {
                throw new ConfigException(key + ": empty entry in the rule list '" + value + "'");
            }
            list.add(Rule.parse(key, entry));
        }
    }

    @Override
    public void configComplete() {
        debugRules = Integer.getInteger("nbd4j.debug.ip.rules", 0) != 0;
        if (debugRules) {
            allow.forEach(r -> LOG.debug("ip: allow={}", r));
            deny.forEach(r -> LOG.debug("ip: deny={}", r));
        }
    }

    @Override
    public void preconnect(ClientInfo client, boolean readOnly) throws IOException {
        if (client.address() == null && !client.isUnix()) {
            // nbdkit fails closed when it cannot learn who the client is
            throw new NbdException(NbdError.EPERM, "ip: cannot tell where the client connects from: connection rejected");
        }
        if (!allowed(client)) {
            throw new NbdException(NbdError.EPERM, "client not permitted to connect because of IP address restriction");
        }
    }

    /** The allow list first, then the deny list, then let in. */
    boolean allowed(ClientInfo client) {
        return matchesAny("allow", allow, client) || !matchesAny("deny", deny, client);
    }

    private boolean matchesAny(String list, List<Rule> rules, ClientInfo client) {
        for (Rule r : rules) {
            boolean match = r.matches(client);
            if (debugRules) {
                LOG.debug("ip: {} rule {} {} client {} {}", list, r, match ? "matches" : "does not match",
                        client.address(), client.peer() == null ? "" : client.peer());
            }
            if (match) {
                return true;
            }
        }
        return false;
    }
}
