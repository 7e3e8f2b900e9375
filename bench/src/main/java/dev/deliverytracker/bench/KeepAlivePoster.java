package dev.deliverytracker.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.IntConsumer;

/**
 * A load generator's HTTP/1.1 client, as light as it can be so that the cores go to the services under test (the JDK
 * {@code HttpClient} used about three quarters of a core at 1,000 requests/s on these machines): a fixed number of
 * keep-alive connections, each served by one thread that writes a POST and reads its answer (status line, headers, a
 * {@code Content-Length} or chunked body) before the next. A connection that fails or is closed by the server is
 * reopened; the request it carried is reported with status -1.
 */
final class KeepAlivePoster implements AutoCloseable {

    /** One POST: its body and what to do with the answer's status (-1: no answer). */
    private record Post(byte[] body, IntConsumer onStatus) {
    }

    private static final Post STOP = new Post(new byte[0], status -> { });

    private final String host;
    private final int port;
    private final byte[] head;
    private final BlockingQueue<Post> queue;
    private final List<Thread> workers = new ArrayList<>();

    KeepAlivePoster(String host, int port, String path, Map<String, String> headers, int connections) {
        this.host = host;
        this.port = port;
        StringBuilder h = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n");
        headers.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
        this.head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        this.queue = new ArrayBlockingQueue<>(connections * 4);
        for (int i = 0; i < connections; i++) {
            Thread worker = new Thread(this::serve, "bench-http-" + i);
            worker.setDaemon(true);
            worker.start();
            workers.add(worker);
        }
    }

    /** Queues one POST (blocks while the queue is full); {@code onStatus} runs on a connection's thread. */
    void post(String body, IntConsumer onStatus) {
        try {
            queue.put(new Post(body.getBytes(StandardCharsets.UTF_8), onStatus));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            onStatus.accept(-1);
        }
    }

    private void serve() {
        Socket socket = null;
        BufferedInputStream in = null;
        try {
            while (true) {
                Post post = queue.take();
                if (post == STOP) {
                    return;
                }
                int status;
                try {
                    if (socket == null) {
                        socket = new Socket();
                        socket.setTcpNoDelay(true);
                        socket.connect(new InetSocketAddress(host, port), 2_000);
                        socket.setSoTimeout(10_000);
                        in = new BufferedInputStream(socket.getInputStream(), 8192);
                    }
                    status = exchange(socket.getOutputStream(), in, post.body());
                } catch (IOException e) {
                    closeQuietly(socket);
                    socket = null;
                    status = -1;
                }
                post.onStatus().accept(status);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(socket);
        }
    }

    private int exchange(OutputStream out, InputStream in, byte[] body) throws IOException {
        byte[] length = ("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = new byte[head.length + length.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(length, 0, request, head.length, length.length);
        System.arraycopy(body, 0, request, head.length + length.length, body.length);
        out.write(request);
        out.flush();

        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        long contentLength = -1;
        boolean chunked = false;
        boolean close = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                contentLength = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                close = true;
            }
        }
        if (chunked) {
            for (long size = Long.parseLong(line(in).split(";")[0].trim(), 16); size > 0;
                 size = Long.parseLong(line(in).split(";")[0].trim(), 16)) {
                skip(in, size);
                line(in);
            }
            for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
                // trailers, if any, are ignored
            }
        } else if (contentLength > 0) {
            skip(in, contentLength);
        }
        if (close) {
            throw new IOException("the server closed the connection after answering " + status);
        }
        return status;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed mid-answer");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private static void skip(InputStream in, long count) throws IOException {
        for (long left = count; left > 0; ) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed mid-body");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken connection
            }
        }
    }

    @Override
    public void close() {
        try {
            for (int i = 0; i < workers.size(); i++) {
                queue.offer(STOP, 10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        for (Thread worker : workers) {
            try {
                worker.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
