package dev.deliverytracker.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real browser (Debian's chromium and chromium-driver, headless) over the one-machine mode with
 * traffic across every scenario of the fake Bizgo: the tiles show what the JSON API answers, the chart has drawn, a
 * burst of 64008 failures is in the failure table and an active alert, and a stuck delivery's history opens on a
 * click. It saves {@code target/dashboard.png}. Where Chromium or its driver is absent it is skipped with the reason;
 * the numbers themselves are covered by the monitor's DashboardTopologyTest either way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LocalPipeline pipeline;
    private WebDriver browser;

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium or chromedriver is not installed (Debian packages chromium and chromium-driver; .ci/run installs them): "
                        + CHROMIUM + ", " + CHROMEDRIVER);
        pipeline = LocalPipeline.start(EndToEndScenarios.testOptions(data));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1900", "--user-data-dir=" + Files.createTempDirectory(data, "chromium"));
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(), options);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void thePageShowsWhatTheApiSaysAndABurstOf64008AsAFailureAndAnAlert() throws Exception {
        // Every number ending once (00-99), and six more ending 90-92: a burst of nine 64008 (account not permitted).
        List<String> numbers = new ArrayList<>();
        for (int tail = 0; tail < 100; tail++) {
            numbers.add(String.format("010-5000-%04d", tail));
        }
        for (int i = 0; i < 6; i++) {
            numbers.add(String.format("010-5001-%02d%02d", i, 90 + i % 3));
        }
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < numbers.size(); i++) {
            sent.add(HTTP.sendAsync(message(numbers.get(i), "browser-" + i), HttpResponse.BodyHandlers.ofString()));
        }
        sent.forEach(f -> assertThat(f.join().statusCode()).as(f.join().body()).isEqualTo(202));

        // Settled as the fake's scenarios say: 87 delivered, 17 failed (5 x 64016, 9 x 64008, 3 x 22000), 2 stuck.
        JsonNode summary = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> api("/api/summary?window=1h"), s -> s.get("delivered").asLong() == 87 && s.get("failed").asLong() == 17
                        && s.get("stuckNow").asLong() == 2);
        assertThat(summary.get("accepted").asLong()).isEqualTo(106);
        assertThat(summary.get("failedByClassification").get("ACCOUNT_FAILURE").asLong()).isEqualTo(9);

        browser.get(pipeline.monitorUrl() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(d -> "true".equals(d.findElement(By.id("updated")).getAttribute("data-ready")));

        // The tiles agree with the API (the page refreshes every 5 s; the numbers are settled by now).
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode now = api("/api/summary?window=1h");
            for (String tile : List.of("accepted", "delivered", "failed", "stuckNow", "unmatched")) {
                assertThat(tile(tile)).as(tile).isEqualTo(now.get(tile).asText());
            }
            double rate = Double.parseDouble(tile("deliveryRate").replace(" %", ""));
            assertThat(rate).isCloseTo(now.get("deliveryRate").asDouble() * 100, org.assertj.core.data.Offset.offset(0.051));
        });

        WebElement chart = browser.findElement(By.cssSelector("#chart canvas"));
        assertThat(chart.getSize().getWidth()).as("the chart has drawn").isGreaterThan(300);

        List<String> codes = rows("failures");
        assertThat(codes).anySatisfy(row -> assertThat(row).startsWith("bizgo 64008 ACCOUNT_FAILURE").contains(" 9 "));
        assertThat(rows("alerts")).anySatisfy(row -> assertThat(row).startsWith("FIRING DeliveryAccountFailure bizgo"));
        assertThat(rows("breakdown")).as("Korean template names display as sent")
                .anySatisfy(row -> assertThat(row).startsWith("bizgo ALIMTALK 주문_안내 demo"));

        assertThat(rows("stuck")).as("recipients only masked").allSatisfy(row -> assertThat(row).containsPattern("010-\\*{4}-\\d{4}")
                .doesNotContainPattern("010-\\d{4}-\\d{4}"));
        // A stuck delivery's whole history, through the monitor, on a click.
        WebElement stuck = browser.findElement(By.cssSelector("#stuck tbody a.history"));
        String msgKey = stuck.getText();
        stuck.click();
        wait.until(d -> d.findElement(By.id("history-body")).getText().contains("STUCK_PENDING"));
        assertThat(browser.findElement(By.id("history-body")).getText()).contains(msgKey);

        Path screenshot = Path.of("target", "dashboard.png");
        Files.createDirectories(screenshot.getParent());
        browser.findElement(By.cssSelector("#history form button")).click();
        File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(screenshot)).isGreaterThan(10_000);
    }

    private String tile(String name) {
        return browser.findElement(By.cssSelector("[data-tile='" + name + "']")).getText();
    }

    private List<String> rows(String table) {
        return browser.findElements(By.cssSelector("#" + table + " tbody tr")).stream()
                .map(row -> String.join(" ", row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList()))
                .toList();
    }

    private JsonNode api(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.monitorUrl() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpRequest message(String to, String ref) {
        String body = """
                {"to":"%s","origin":"demo","ref":"%s",
                 "flow":[{"channel":"ALIMTALK","templateCode":"주문_안내","text":"안녕하세요 #{name}"},{"channel":"SMS","text":"Hi #{name}"}],
                 "variables":{"name":"Lee"}}""".formatted(to, ref);
        return HttpRequest.newBuilder(URI.create(pipeline.sendServiceUrl() + "/v1/messages"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + LocalPipeline.DEMO_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
