package io.streamsgd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium while {@code streamsgd demo} trains: every model is
 * listed, its version rises, its curves are drawn; a screenshot of the finished run goes to {@code
 * target/dashboard.png}. Needs Debian's {@code chromium} and {@code chromium-driver} (elsewhere:
 * {@code -Dstreamsgd.chromium=PATH -Dstreamsgd.chromedriver=PATH}); is skipped, saying so, without
 * them.
 */
class DashboardBrowserITCase {
  static final Path CHROMIUM =
      Path.of(System.getProperty("streamsgd.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER =
      Path.of(System.getProperty("streamsgd.chromedriver", "/usr/bin/chromedriver"));
  static final Path SCREENSHOT = Path.of("target", "dashboard.png");
  static final String[] MODELS = {"linear-fast", "linear-slow", "logistic"};

  @Test
  void dashboardShowsEveryModelLearningWhileTheDemoRuns(@TempDir Path tmp) throws Exception {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "no headless browser, so the dashboard is not tested in one: "
            + CHROMIUM
            + " and "
            + CHROMEDRIVER
            + " are needed (apt-get install chromium chromium-driver)");
    int port = freePort();
    String dashboard = "http://127.0.0.1:" + port + "/dashboard";
    Path report = tmp.resolve("demo.json");
    CompletableFuture<Integer> demo =
        CompletableFuture.supplyAsync(
            () ->
                Main.commandLine()
                    .execute(
                        "demo",
                        "--http-port",
                        Integer.toString(port),
                        "--report",
                        report.toString(),
                        "--keep-serving",
                        "PT5S",
                        "--timeout",
                        "PT4M"));
    awaitUp(dashboard, demo);

    WebDriver browser = chromium();
    try {
      browser.get(dashboard);
      WebDriverWait wait =
          new WebDriverWait(browser, Duration.ofSeconds(120), Duration.ofMillis(200));
      wait.until(d -> versions(d).size() == MODELS.length);
      Map<String, Long> first = versions(browser);
      assertThat(first).containsOnlyKeys(MODELS);

      // while the demo trains, each model's version goes up on the page without a reload
      wait.until(
          d -> {
            Map<String, Long> now = versions(d);
            return first.keySet().stream().allMatch(id -> now.getOrDefault(id, 0L) > first.get(id));
          });
      // until every model has seen all its samples
      wait.until(d -> table(d).values().stream().allMatch(row -> row.get(1).equals("200,000")));

      for (String id : MODELS) {
        for (String line : new String[] {"prequential-loss", "batch-loss", "batch-size"}) {
          Object points =
              ((JavascriptExecutor) browser)
                  .executeScript(
                      "const l = document.querySelector(`section.model[data-model='${arguments[0]}'] polyline.${arguments[1]}`);"
                          + " return l ? l.points.numberOfItems : 0;",
                      id,
                      line);
          assertThat(((Number) points).intValue())
              .as("%s: %s points drawn", id, line)
              .isGreaterThan(10);
        }
      }
      Files.createDirectories(SCREENSHOT.getParent());
      Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(shot, SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
      System.out.println("dashboard screenshot: " + SCREENSHOT.toAbsolutePath());
    } finally {
      browser.quit();
    }

    assertThat(demo.get(5, TimeUnit.MINUTES)).as("demo exit code").isZero();
    assertThat(Files.size(tmp.resolve("demo-loss.png"))).as("the demo's loss chart").isPositive();
  }

  /** Model id to the version the page shows. */
  private static Map<String, Long> versions(WebDriver d) {
    Map<String, Long> out = new TreeMap<>();
    table(d).forEach((id, row) -> out.put(id, Long.parseLong(row.get(0))));
    return out;
  }

  /**
   * Model id to the texts of its row's version and samples cells, read in one script: the page
   * redraws its rows every second, so elements looked up one by one may be gone when read.
   */
  @SuppressWarnings("unchecked")
  private static Map<String, List<String>> table(WebDriver d) {
    List<List<String>> rows =
        (List<List<String>>)
            ((JavascriptExecutor) d)
                .executeScript(
                    "return Array.from(document.querySelectorAll('#models tbody tr')).map(r =>"
                        + " [r.dataset.model, r.querySelector('td.version').textContent, r.querySelector('td.samples').textContent]);");
    Map<String, List<String>> out = new TreeMap<>();
    rows.forEach(r -> out.put(r.get(0), r.subList(1, r.size())));
    return out;
  }

  private static WebDriver chromium() {
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // no sandbox: CI runs as root, where Chromium's sandbox refuses to start
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,1400");
    return new ChromeDriver(service, options);
  }

  /** Waits until the demo's serving app answers the dashboard page. */
  private static void awaitUp(String url, CompletableFuture<Integer> demo) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(demo.isDone())
          .as("demo ended before its dashboard came up: exit code %s", demo.getNow(null))
          .isFalse();
      try {
        if (http.send(
                    HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("dashboard never came up at " + url);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
