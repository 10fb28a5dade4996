package dev.rollout.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium, driven as a person uses it: sign in with a token, open a page, press a
 * button, read the confirmation, confirm. Screenshots go to {@code target/console-screenshots/}.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target/console-screenshots");
    private static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome");
    private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

    private final ChromeDriver driver;
    private final String edge;

    private ConsoleBrowser(ChromeDriver driver, String edge) {
        this.driver = driver;
        this.edge = edge;
    }

    /** Chromium and its driver where the machine has them; a CI run without them fails rather than skips. */
    static ConsoleBrowser start(String edge) {
        String browser = BROWSERS.stream().filter(p -> new File(p).canExecute()).findFirst().orElse(null);
        String driver = DRIVERS.stream().filter(p -> new File(p).canExecute()).findFirst().orElse(null);
        if (browser == null || driver == null) {
            String missing = "the console's browser tests need chromium and chromium-driver (apt-get install chromium"
                    + " chromium-driver)";
            assertThat(System.getenv("CI")).as(missing).isNull();
            Assumptions.abort(missing);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--window-size=1400,1000", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(driver))
                .usingAnyFreePort().build();
        ChromeDriver chrome = new ChromeDriver(service, options);
        chrome.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return new ConsoleBrowser(chrome, edge);
    }

    /** Signs in on the sign-in page with the token, as a person pastes it. */
    ConsoleBrowser signIn(String token) {
        open("/console/login");
        driver.findElement(By.id("token")).sendKeys(token);
        driver.findElement(By.cssSelector("form button[type=submit]")).click();
        await("the rollouts after signing in", d -> d.getCurrentUrl().contains("/console/rollouts"));
        return this;
    }

    ConsoleBrowser open(String path) {
        driver.get(edge + path);
        return this;
    }

    String url() {
        return driver.getCurrentUrl();
    }

    /**
     * The text of the first element the selector finds, read in one step: a live section may be swapped for its
     * update between finding an element and reading it.
     */
    String text(String css) {
        Object text = script("const e = document.querySelector(arguments[0]); return e ? e.innerText.trim() : null;", css);
        assertThat(text).as("an element " + css + " on " + url()).isNotNull();
        return (String) text;
    }

    /** The texts of every element the selector finds, read in one step. */
    @SuppressWarnings("unchecked")
    List<String> texts(String css) {
        return (List<String>) script("return Array.from(document.querySelectorAll(arguments[0])).map(e => e.innerText.trim());",
                css);
    }

    String attribute(String css, String name) {
        return (String) script("const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;",
                css, name);
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    void click(String css) {
        driver.findElement(By.cssSelector(css)).click();
    }

    /** The buttons of the actions the page offers ({@code pause}, {@code rollback}, ...). */
    @SuppressWarnings("unchecked")
    List<String> actions() {
        return (List<String>) script("return Array.from(document.querySelectorAll('button[data-action]'))"
                + ".map(b => b.getAttribute('data-action'));");
    }

    /** Presses an action's button: its confirmation opens, naming what it does; returns that text. */
    String press(String action) {
        click("button[data-action='" + action + "']");
        await("the confirmation of " + action, d -> !d.findElements(By.cssSelector("dialog[open]")).isEmpty());
        return text("dialog[open] .effect");
    }

    /** Confirms the open dialog with its reason; waits for the page the console answers with. */
    String confirm(String reason) {
        WebElement dialog = driver.findElement(By.cssSelector("dialog[open]"));
        List<WebElement> reasons = dialog.findElements(By.name("reason"));
        if (!reasons.isEmpty()) {
            reasons.get(0).sendKeys(reason);
        }
        // the page before the answer may carry an earlier action's flash: wait for it to be replaced first
        WebElement before = driver.findElement(By.tagName("html"));
        dialog.findElement(By.cssSelector("button.confirm")).click();
        await("the console's answer to replace the page", ExpectedConditions.stalenessOf(before));
        await("the answer to the action", d -> !d.findElements(By.cssSelector(".flash")).isEmpty());
        return text(".flash");
    }

    /** A batch's cell in the grid ({@code responseRate}, {@code errorRate}, {@code p95}). */
    String batchCell(int batch, String column) {
        return text("tr[data-batch='" + batch + "'] td[data-col='" + column + "']");
    }

    Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    Object asyncScript(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    <T> T await(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(60)).withMessage(() -> what + " on " + driver.getCurrentUrl())
                .ignoring(StaleElementReferenceException.class).until(condition);
    }

    /** The whole page as a PNG in target/console-screenshots. */
    Path screenshot(String name) throws IOException {
        Object height = script("return Math.min(4000, document.documentElement.scrollHeight)");
        driver.manage().window().setSize(new Dimension(1400, ((Number) height).intValue() + 20));
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        }
        finally {
            driver.manage().window().setSize(new Dimension(1400, 1000));
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
