package dev.deliverytracker.local;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

/** The end-to-end scenarios on the one-machine mode itself: embedded KRaft broker, mock:// registry. Part of ./mvnw verify. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalPipelineEndToEndTest extends EndToEndScenarios {

    private LocalPipeline pipeline;

    @BeforeAll
    void start(@TempDir Path data) throws IOException {
        pipeline = LocalPipeline.start(testOptions(data));
    }

    @AfterAll
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Override
    protected LocalPipeline pipeline() {
        return pipeline;
    }
}
