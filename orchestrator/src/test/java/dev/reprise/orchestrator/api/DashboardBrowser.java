package dev.reprise.orchestrator.api;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import dev.reprise.orchestrator.testing.NoSkipsInCi;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptException;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which {@code .ci/run} installs) driven
 * by Selenium against the orchestrator under test. A fresh profile per browser; nothing is downloaded at run time.
 */
final class DashboardBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("reprise.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("reprise.chromedriver", "/usr/bin/chromedriver"));
    /**
     * Where screenshots go: target/screenshots, or the committed docs/screenshots when the tests run with
     * {@code -Dreprise.screenshots.update=true} (so that an ordinary test run leaves the working tree alone).
     */
    static final Path SCREENSHOTS = Boolean.getBoolean("reprise.screenshots.update")
            ? Path.of("..", "docs", "screenshots") : Path.of("target", "screenshots");
    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final int WIDTH = 1440;

    private final String base;
    private final Path profile;
    private final ChromeDriverService service;
    private final ChromeDriver driver;

    /**
     * Skips the browser tests where no Chromium is installed, except in CI ({@code CI} set), where that is a failure:
     * {@code .ci/run} installs it, so a missing browser there is a broken set-up, not a reason to pass.
     */
    static void assumeInstalled() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String missing = "needs " + CHROMIUM + " and " + CHROMEDRIVER + " (apt-get install chromium chromium-driver)";
        if (!installed && System.getenv("CI") != null) {
            Assertions.fail("browser tests " + missing);
        }
        NoSkipsInCi.assume(installed, "browser tests skipped: " + missing);
    }

    DashboardBrowser(URL server) {
        // Chromium may resolve "localhost" to ::1 first; the orchestrator listens on 127.0.0.1
        this.base = server.toString().replace("://localhost:", "://127.0.0.1:");
        try {
            this.profile = Files.createTempDirectory("reprise-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-extensions", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--window-size=" + WIDTH + ",1000", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        this.service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        signIn(dev.reprise.orchestrator.security.TestCredentials.ADMIN_TOKEN);
    }

    /** Signs in through the dashboard's form: the token becomes an HttpOnly session cookie for this browser. */
    void signIn(String token) {
        driver.get(base);
        find("#login-token").sendKeys(token);
        find("#login-submit").click();
        until(() -> all("#login-token").isEmpty() && !all("#who").isEmpty()
                && !find("#who").getText().isBlank());
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Opens a page of the dashboard by its route, e.g. {@code /sweeps/12}. */
    void open(String route) {
        driver.get(base + "#" + route);
    }

    String route() {
        String url = driver.getCurrentUrl();
        int hash = url.indexOf('#');
        return hash < 0 ? "" : url.substring(hash + 1);
    }

    /** The element, once it is there (waiting up to a minute). */
    WebElement find(String css) {
        return await().atMost(PATIENCE).ignoreExceptions().until(() -> driver.findElement(By.cssSelector(css)),
                e -> e != null);
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits until the condition holds; elements replaced while it is evaluated just mean "not yet". */
    void until(Supplier<Boolean> condition) {
        // one predicate: each ignoreExceptionsInstanceOf call would replace the one before
        await().atMost(PATIENCE).ignoreExceptionsMatching(e -> e instanceof StaleElementReferenceException
                        || e instanceof NoSuchElementException || e instanceof NullPointerException)
                .until(condition::get);
    }

    /** An integer data attribute of the first element matching css; -1 while there is none. */
    long data(String css, String attribute) {
        List<WebElement> found = all(css);
        if (found.isEmpty()) {
            return -1;
        }
        String value = found.get(0).getDomAttribute("data-" + attribute);
        return value == null ? -1 : Long.parseLong(value);
    }

    /** Uncaught script errors and failed requests the page logged, other than the ones a test provoked. */
    List<String> scriptErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> m.contains("Uncaught") || m.contains("TypeError") || m.contains("ReferenceError")
                        || m.contains("SyntaxError"))
                .toList();
    }

    /**
     * Saves a PNG of the whole page under {@link #SCREENSHOTS}, after the charts have drawn: the window grows to the
     * page's height for the shot and shrinks back after.
     */
    void screenshot(String name) {
        Dimension size = driver.manage().window().getSize();
        try {
            // the window is taller than its viewport by the (headless) browser's own frame
            long height = ((Number) driver.executeScript("return Math.ceil(document.documentElement.scrollHeight)"
                    + " + (window.outerHeight - window.innerHeight)")).longValue();
            driver.manage().window().setSize(new Dimension(WIDTH, (int) Math.min(Math.max(height, 700), 6000)));
            afterTwoFrames();
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            driver.manage().window().setSize(size);
        }
    }

    /** Returns once the page has rendered two more frames (charts redraw at the next animation frame). */
    void afterTwoFrames() {
        try {
            driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "requestAnimationFrame(() => requestAnimationFrame(() => done(true)));");
        } catch (JavascriptException e) {
            // a page that navigated away meanwhile has nothing left to draw
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary profile left behind is harmless
            }
        }
    }
}
