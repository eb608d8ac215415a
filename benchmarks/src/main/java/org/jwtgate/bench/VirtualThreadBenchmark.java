package org.jwtgate.bench;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What a container that starts a new virtual thread per request (Tomcat 11 {@code useVirtualThreads}, Jetty 12
 * {@code VirtualThreadPool}) costs the filter: {@link FilterBenchmark}'s authenticated request run on the
 * benchmark's own (platform) thread, and on a fresh virtual thread per request. Anything the filter keeps per
 * thread is rebuilt on every request of the second kind; {@link #virtualThreadEmpty} (start and join a virtual
 * thread that does nothing) is subtracted from {@link #virtualThread} to see the filter's own share. Needs
 * JDK 21+ (the virtual thread is started through a method handle: the module compiles for Java 17).
 * {@link #digestGetInstance} and {@link #digestClone} time the two ways to obtain a SHA-256 digest, which a
 * per-thread cache pays once per thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(1)
public class VirtualThreadBenchmark {

    /** {@link RevocationVariant} names. */
    @Param({"memory", "redis-cluster"})
    public String revocation;

    private FilterBenchmark filter;
    private MethodHandle startVirtualThread;
    private MessageDigest prototype;

    @Setup(Level.Trial)
    public void setUp() throws ServletException, IOException, ReflectiveOperationException, NoSuchAlgorithmException {
        startVirtualThread = startVirtualThread();
        prototype = MessageDigest.getInstance("SHA-256");
        filter = new FilterBenchmark();
        filter.revocation = revocation;
        filter.setUp();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (filter != null) {
            filter.tearDown();
        }
    }

    /** {@code Thread.startVirtualThread(Runnable)}, or a clear failure below JDK 21. */
    static MethodHandle startVirtualThread() throws IllegalAccessException {
        try {
            return MethodHandles.publicLookup().findStatic(Thread.class, "startVirtualThread",
                    MethodType.methodType(Thread.class, Runnable.class));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("virtual threads need JDK 21 or later; this is " + Runtime.version(), e);
        }
    }

    /** The authenticated request on the calling platform thread, whose per-thread state is warm. */
    @Benchmark
    public Object platformThread(Blackhole blackhole) throws IOException, ServletException {
        return filter.authenticated(blackhole);
    }

    /** The same request on a new virtual thread, as a container with virtual threads runs each request. */
    @Benchmark
    public Object virtualThread(Blackhole blackhole) throws Throwable {
        Object[] seen = new Object[1];
        onVirtualThread(() -> {
            try {
                seen[0] = filter.authenticated(blackhole);
            } catch (IOException | ServletException e) {
                throw new IllegalStateException(e);
            }
        });
        if (seen[0] == null) {
            throw new IllegalStateException("the filter did not authenticate the request on a virtual thread");
        }
        return seen[0];
    }

    /** Starting and joining a virtual thread that does nothing: the part of {@link #virtualThread} that is not the filter. */
    @Benchmark
    public void virtualThreadEmpty() throws Throwable {
        onVirtualThread(() -> { });
    }

    @Benchmark
    public MessageDigest digestGetInstance() throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256");
    }

    @Benchmark
    public Object digestClone() throws CloneNotSupportedException {
        return prototype.clone();
    }

    private void onVirtualThread(Runnable task) throws Throwable {
        Thread thread = (Thread) startVirtualThread.invokeExact(task);
        thread.join();
    }
}
