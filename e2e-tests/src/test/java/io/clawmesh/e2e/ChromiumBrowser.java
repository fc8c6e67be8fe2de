package io.clawmesh.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.jspecify.annotations.Nullable;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The system's headless Chromium driven through its chromedriver, offline: explicit binaries (so Selenium Manager never
 * goes looking on the internet), no background networking, and every host name but 127.0.0.1 unresolvable.
 */
final class ChromiumBrowser implements AutoCloseable {

    /** Debian's Chromium; another one with {@code -Dchromium.binary=...}. */
    static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));

    /** Debian's chromium-driver; another one with {@code -Dchromium.driver=...}. */
    static final Path CHROMEDRIVER = Path.of(System.getProperty("chromium.driver", "/usr/bin/chromedriver"));

    private final ChromeDriver driver;

    private final Path screenshots;

    private ChromiumBrowser(ChromeDriver driver, Path screenshots) {
        this.driver = driver;
        this.screenshots = screenshots;
    }

    /** Why the browser tests cannot run here, or {@code null} when they can. */
    static @Nullable String missing() {
        if (!Files.isExecutable(CHROMIUM)) {
            return CHROMIUM + " is missing (apt-get install -y chromium chromium-driver; .ci/run does this)";
        }
        if (!Files.isExecutable(CHROMEDRIVER)) {
            return CHROMEDRIVER + " is missing (apt-get install -y chromium-driver; .ci/run does this)";
        }
        return null;
    }

    static ChromiumBrowser start(Path profileDir, Path screenshots) throws IOException {
        return start(profileDir, screenshots, List.of());
    }

    /** With extra command-line flags, for example the certificate pin of an HTTPS coordinator. */
    static ChromiumBrowser start(Path profileDir, Path screenshots, List<String> extraArguments) throws IOException {
        Files.createDirectories(screenshots);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--lang=en-US",
                "--window-size=1280,900",
                "--user-data-dir=" + profileDir.toAbsolutePath(),
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1");
        options.addArguments(extraArguments);
        // Console messages (script errors, content security policy violations) for the tests to check.
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return new ChromiumBrowser(driver, screenshots);
    }

    ChromeDriver driver() {
        return this.driver;
    }

    void resize(int width, int height) {
        this.driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Saves the whole page (not only the window) as {@code <name>.png} for review, keeping the window's size. */
    Path screenshot(String name) throws IOException {
        Dimension window = this.driver.manage().window().getSize();
        Number height = (Number)
                ((JavascriptExecutor) this.driver).executeScript("return document.documentElement.scrollHeight");
        resize(window.getWidth(), Math.min(4000, Math.max(window.getHeight(), height.intValue() + 140)));
        try {
            Path file = this.screenshots.resolve(name + ".png");
            Files.write(file, this.driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } finally {
            resize(window.getWidth(), window.getHeight());
        }
    }

    /** The browser console's errors since the last call: script errors, refused resources, CSP violations. */
    List<String> consoleErrors() {
        return this.driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter((entry) -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    @Override
    public void close() {
        this.driver.quit();
    }
}
