package org.jwtgate.bench;

import java.lang.management.ManagementFactory;

/** CPU time of this JVM, all its threads: what the in-process part of a benchmark cost. */
final class ProcessCpu {

    private ProcessCpu() {
    }

    /** Nanoseconds of CPU so far, or -1 where the platform does not tell. */
    static long nanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }
}
