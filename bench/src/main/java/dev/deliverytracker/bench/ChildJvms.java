package dev.deliverytracker.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the benchmarks' child JVMs (the broker, services in their own JVMs) share: the command that starts one from
 * this JVM's java and class path, with {@code -D<kind>.heap} (default 1g) and {@code -D<kind>.jvmOptions="..."}
 * (a profiler, say); its CPU time; and a free port for a server to announce.
 */
final class ChildJvms {

    private ChildJvms() {
    }

    /** {@code java -Xmx<heap> [options] [-D<kind>.jvmOptions] -cp <this class path> <main>}. */
    static List<String> command(String kind, List<String> options, Class<?> main) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx" + heap(kind)));
        command.addAll(options);
        String extra = System.getProperty(kind + ".jvmOptions", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        return command;
    }

    /** The heap a child JVM of {@code kind} gets: {@code -D<kind>.heap}, default 1g. */
    static String heap(String kind) {
        return System.getProperty(kind + ".heap", "1g");
    }

    /** CPU time {@code process} has used so far, in nanoseconds; -1 when the OS does not say. */
    static long cpuNanos(Process process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
