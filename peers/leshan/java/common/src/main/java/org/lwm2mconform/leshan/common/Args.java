package org.lwm2mconform.leshan.common;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line flags in the style of the Leshan demos: "-lp 5683", "-cid on".
 * Every flag takes exactly one value except the declared switches.
 */
public final class Args {
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> switches;

    private Args(Set<String> switches) {
        this.switches = switches;
    }

    /**
     * Parses args; known lists the accepted value flags, switches the flags
     * without a value. An unknown flag or a missing value is an error.
     */
    public static Args parse(String[] args, List<String> known, Set<String> switches) {
        Args a = new Args(switches);
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (switches.contains(flag)) {
                a.values.put(flag, "true");
                continue;
            }
            if (!known.contains(flag)) {
                throw new IllegalArgumentException("unknown flag " + flag + " (known: " + String.join(" ", known)
                        + " " + String.join(" ", switches) + ")");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("flag " + flag + " needs a value");
            }
            a.values.put(flag, args[++i]);
        }
        return a;
    }

    public String get(String flag) {
        return values.get(flag);
    }

    public String get(String flag, String def) {
        return values.getOrDefault(flag, def);
    }

    public boolean has(String flag) {
        return values.containsKey(flag);
    }

    public boolean on(String flag) {
        return switches.contains(flag) && values.containsKey(flag);
    }

    public int port(String flag, int def) {
        String v = values.get(flag);
        if (v == null) {
            return def;
        }
        try {
            int p = Integer.parseInt(v);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " " + v + ": not a port number (0..65535)");
        }
    }

    public long number(String flag, long def) {
        String v = values.get(flag);
        if (v == null) {
            return def;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " " + v + ": not a number");
        }
    }

    /**
     * The demos' -cid: "off" disables the Connection ID extension, "on" uses
     * 6-byte CIDs, a number N uses N-byte CIDs (0 = support without using).
     * off is the value that disables CID in the Californium in use: null in
     * Californium 3, -1 in Californium 4 (where null restores the default
     * of 6).
     */
    public Integer cid(String flag, String def, Integer off) {
        String v = get(flag, def);
        switch (v) {
        case "off":
            return off;
        case "on":
            return 6;
        default:
            try {
                int n = Integer.parseInt(v);
                if (n < 0 || n > 255) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " " + v + ": want on, off or a length 0..255");
            }
        }
    }
}
