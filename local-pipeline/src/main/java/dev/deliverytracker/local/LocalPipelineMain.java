package dev.deliverytracker.local;

import java.util.concurrent.CountDownLatch;

/** {@code ./run-local [--demo]}: starts the one-machine pipeline, prints where everything is, stops on Ctrl-C. */
public final class LocalPipelineMain {

    private LocalPipelineMain() {
    }

    public static void main(String[] args) throws Exception {
        if (java.util.List.of(args).contains("--help")) {
            System.out.println(LocalPipelineOptions.help());
            return;
        }
        LocalPipelineOptions options;
        try {
            options = LocalPipelineOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("run-local: " + e.getMessage());
            System.err.println(LocalPipelineOptions.help());
            System.exit(2);
            return;
        }
        System.out.println("Starting the delivery-tracker pipeline on one machine (data in " + options.dataDir().toAbsolutePath() + ") ...");
        LocalPipeline pipeline = LocalPipeline.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        DemoTraffic[] demo = new DemoTraffic[1];
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping ...");
            try {
                if (demo[0] != null) {
                    demo[0].close();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            pipeline.close();
            System.out.println("Stopped. Nothing is left running.");
            stopped.countDown();
        }, "local-pipeline-shutdown"));
        System.out.println(Banner.text(pipeline));
        if (options.demo()) {
            demo[0] = new DemoTraffic(pipeline);
        }
        stopped.await();
    }
}
