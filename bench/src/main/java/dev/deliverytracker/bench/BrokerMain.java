package dev.deliverytracker.bench;

import dev.deliverytracker.kafka.embedded.EmbeddedKafkaBroker;

import java.io.IOException;

/**
 * The child process of {@link BenchBroker.ChildProcess}: starts one KRaft broker on free ports with a temporary log
 * directory, prints {@value #READY} and its address on standard output, and stops when standard input closes.
 */
public final class BrokerMain {

    static final String READY = "BROKER-READY ";

    private BrokerMain() {
    }

    public static void main(String[] args) throws IOException {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
            System.out.println(READY + broker.bootstrapServers());
            System.out.flush();
            while (System.in.read() >= 0) {
                // the parent never writes; end of input means it is done or gone
            }
        }
        System.exit(0);
    }
}
