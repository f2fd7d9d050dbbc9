package dev.reprise.agent.telemetry;

import java.util.OptionalLong;

/** Pure parsers for Linux {@code /proc/PID/stat} and {@code /proc/PID/status}. */
public final class ProcStat {

    /** USER_HZ: the unit of utime/stime. It is 100 on every Linux architecture the agent runs on. */
    public static final int CLOCK_TICKS_PER_SECOND = 100;

    private ProcStat() {
    }

    /** utime + stime in clock ticks from a {@code stat} line; the command name may contain spaces and parentheses. */
    public static OptionalLong cpuTicks(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return OptionalLong.empty();
        }
        String[] f = stat.substring(close + 1).trim().split("\\s+");
        // after the name: state(3) ppid(4) ... utime(14) stime(15) → indexes 11 and 12
        if (f.length < 13) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(f[11]) + Long.parseLong(f[12]));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Resident memory in bytes from the {@code VmRSS:} line of a {@code status} file (absent for zombies). */
    public static OptionalLong rssBytes(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] f = line.substring(6).trim().split("\\s+");
                try {
                    long kib = Long.parseLong(f[0]);
                    return OptionalLong.of(kib * 1024);
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }
}
