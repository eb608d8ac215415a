package org.jwtgate.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real browser: Debian's headless Chromium driven by its chromedriver. It needs the
 * Debian packages {@code chromium} and {@code chromium-driver} ({@code /usr/bin/chromium},
 * {@code /usr/bin/chromedriver}; other paths through {@code CHROMIUM_BINARY} and
 * {@code CHROMEDRIVER}), and fails, never skips, without them.
 *
 * <p>The page is opened as {@code http://localhost}: a secure context for Chromium, so it keeps
 * the {@code Secure} cookies even over plain HTTP.
 */
class SampleBrowserIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static RunningSample app;
    private static String page;
    /** The same app with JWTGATE_DPOP_MODE=allowed, started by the DPoP test. */
    private static RunningSample dpopApp;

    /**
     * How often a wait looks again: 50 ms, not Selenium's 500 (each look is one WebDriver command to a local
     * browser). With 500 ms every wait for the page to react took up to half a second more than the page did.
     */
    private static final Duration POLL = Duration.ofMillis(50);

    /**
     * One browser for the class, each test in a tab of its own with no cookie, storage or cache left from the one
     * before ({@link #freshState}): starting a Chromium for each test took most of the class's time.
     */
    private static WebDriver browser;
    private static WebDriverWait wait;
    /** One directory per browser profile: two browsers in one test keep their cookies apart. */
    @TempDir
    static Path profiles;

    @BeforeAll
    static void start() throws Exception {
        app = RunningSample.start(REDIS.cluster());
        page = "http://localhost:" + app.client().base().getPort() + "/";
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.close();
        }
        if (dpopApp != null) {
            dpopApp.close();
        }
    }

    @BeforeEach
    void openBrowser() {
        if (browser != null) {
            try {
                freshState();
            } catch (WebDriverException e) { // the browser a failed test left is unusable: a new one
                try {
                    browser.quit();
                } catch (WebDriverException alreadyGone) {
                    // nothing to end
                }
                browser = null;
            }
        }
        if (browser == null) {
            browser = chromium("main-" + System.nanoTime());
            wait = new WebDriverWait(browser, Duration.ofSeconds(20), POLL);
            freshState();
        }
        app.clearLoginFailures();
    }

    /**
     * What a browser started anew has: one tab, opened now (no page, no script, an empty sessionStorage); no cookie;
     * no cache; nothing in the storage (localStorage, IndexedDB: the DPoP key) of the sample's origins; the window's
     * first size.
     */
    private static void freshState() {
        String tab = browser.switchTo().newWindow(WindowType.TAB).getWindowHandle();
        for (String handle : browser.getWindowHandles()) {
            if (!handle.equals(tab)) {
                browser.switchTo().window(handle).close();
            }
        }
        browser.switchTo().window(tab);
        ChromeDriver chrome = (ChromeDriver) browser;
        chrome.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        chrome.executeCdpCommand("Network.clearBrowserCache", Map.of());
        for (RunningSample sample : new RunningSample[] {app, dpopApp}) {
            if (sample != null) {
                chrome.executeCdpCommand("Storage.clearDataForOrigin", Map.of("origin",
                        "http://localhost:" + sample.client().base().getPort(), "storageTypes", "all"));
            }
        }
        browser.manage().window().setSize(new Dimension(1000, 800));
    }

    /** A headless Chromium with its own profile (cookies, IndexedDB) under {@code profiles/name}. */
    private static WebDriver chromium(String name) {
        File chromium = executable("CHROMIUM_BINARY", "/usr/bin/chromium");
        File chromedriver = executable("CHROMEDRIVER", "/usr/bin/chromedriver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        // The flags this machine needs (no sandbox as root; no background traffic to a closed network).
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profiles.resolve(name).toAbsolutePath(),
                "--window-size=1000,800");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver)
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    @Test
    void whenAliceLogsInThenHerNameShowsAndTheTokenStaysOutOfJavaScriptAndLogoutShowsTheFormAgain() throws Exception {
        browser.get(page);
        signIn("alice", "wonderland");
        wait.until(ExpectedConditions.textToBe(By.id("who"), "alice"));
        assertEquals("user", browser.findElement(By.id("roles")).getText());

        Cookie access = browser.manage().getCookieNamed("access_token");
        assertNotNull(access, "the browser kept the Secure cookie on http://localhost");
        assertTrue(access.isHttpOnly() && access.isSecure(), access.toString());
        assertEquals("Strict", access.getSameSite());
        String visibleToScript = (String) ((JavascriptExecutor) browser).executeScript("return document.cookie");
        assertFalse(visibleToScript.contains(access.getValue()), "document.cookie: " + visibleToScript);
        assertFalse(visibleToScript.contains("access_token"), "document.cookie: " + visibleToScript);
        screenshot("signed-in");

        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBe(By.id("who"), "alice"));

        browser.findElement(By.id("logout-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
        assertFalse(browser.findElement(By.id("session")).isDisplayed());
        assertNull(browser.manage().getCookieNamed("access_token"), "logout cleared the cookie");
        assertEquals(401, app.client().get("/api/me", "Authorization", "Bearer " + access.getValue()).status(),
                "and revoked the token");
    }

    @Test
    void whenTheAccessCookieIsGoneThenThePageRefreshesWithTheRefreshCookie() {
        browser.get(page);
        signIn("bob", "builder");
        wait.until(ExpectedConditions.textToBe(By.id("who"), "bob"));
        String firstJti = browser.findElement(By.id("jti")).getText();

        browser.manage().deleteCookieNamed("access_token"); // as if it had expired
        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBe(By.id("who"), "bob"));
        assertFalse(firstJti.equals(browser.findElement(By.id("jti")).getText()), "a new access token was issued");
        assertNotNull(browser.manage().getCookieNamed("access_token"));
    }

    @Test
    void whenTheAccessCookieHasExpiredThenSignOutStillEndsTheSession() {
        // After 15 minutes the browser drops the access cookie (Max-Age=900) and /logout answers 401; the page showed
        // the sign-in form, but the refresh family lived on, and the next visit to the page signed the user back in.
        signedInWithTheAccessCookieExpired("alice", "wonderland");
        browser.findElement(By.id("logout-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));

        browser.navigate().refresh();
        wait.until(b -> b.findElement(By.id("login-form")).isDisplayed() || b.findElement(By.id("session")).isDisplayed());
        assertFalse(browser.findElement(By.id("session")).isDisplayed(),
                "signed out, yet the page signed in again as " + browser.findElement(By.id("who")).getText());
        assertTrue(browser.findElement(By.id("login-form")).isDisplayed());
    }

    @Test
    void whenTheAccessCookieHasExpiredAndRedisIsDownThenSignOutIsNotShownAsDone() {
        // /logout answered 401 (no access cookie), and the refresh meant to renew it 503: nothing had changed, the
        // refresh family lived on, yet the page showed the sign-in form, and the next visit signed the user back in.
        signedInWithTheAccessCookieExpired("bob", "builder");

        REDIS.cluster().stopAll();
        try {
            browser.findElement(By.id("logout-button")).click();
            new WebDriverWait(browser, Duration.ofSeconds(30), POLL)
                    .until(b -> !b.findElement(By.id("message")).getText().isEmpty()
                            || b.findElement(By.id("login-form")).isDisplayed());
            assertTrue(browser.findElement(By.id("session")).isDisplayed(), "shown as signed out");
            assertTrue(browser.findElement(By.id("message")).getText().startsWith("Sign-out not yet confirmed by Redis"),
                    browser.findElement(By.id("message")).getText());
        } finally {
            REDIS.cluster().startAll();
        }
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(b -> { // until the cluster answers again
            ((JavascriptExecutor) b).executeScript("document.getElementById('message').textContent = ''");
            b.findElement(By.id("logout-button")).click();
            new WebDriverWait(b, Duration.ofSeconds(30), POLL).until(d -> d.findElement(By.id("login-form")).isDisplayed()
                    || !d.findElement(By.id("message")).getText().isEmpty());
            return b.findElement(By.id("login-form")).isDisplayed();
        });
        browser.navigate().refresh();
        wait.until(b -> b.findElement(By.id("login-form")).isDisplayed() || b.findElement(By.id("session")).isDisplayed());
        assertTrue(browser.findElement(By.id("login-form")).isDisplayed(), "signed in again as "
                + browser.findElement(By.id("who")).getText());
    }

    @Test
    void whenTwoTabsFindTheAccessCookieExpiredAtOnceThenBothRenewItAndTheSessionLives() {
        // Tabs share the cookies. After 15 minutes (the access cookie gone) a browser restoring two tabs of the page,
        // or a click in each, made both send the same refresh cookie at once: the second was taken for a stolen
        // token's reuse, which ends the session, and both tabs were back at the sign-in form.
        browser.get(page);
        signIn("alice", "wonderland");
        wait.until(ExpectedConditions.textToBe(By.id("who"), "alice"));
        String firstTab = browser.getWindowHandle();
        browser.switchTo().newWindow(WindowType.TAB);
        browser.get(page);
        wait.until(ExpectedConditions.textToBe(By.id("who"), "alice"));
        String secondTab = browser.getWindowHandle();

        browser.manage().deleteCookieNamed("access_token"); // as if it had expired
        long at = System.currentTimeMillis() + 1500;
        for (String tab : List.of(firstTab, secondTab)) {
            browser.switchTo().window(tab);
            ((JavascriptExecutor) browser).executeScript(
                    "setTimeout(() => document.getElementById('me-button').click(), arguments[0] - Date.now())", at);
        }
        for (String tab : List.of(firstTab, secondTab)) {
            browser.switchTo().window(tab);
            // Selenium's 500 ms polling, as before: the tabs' answers get 2 to 2.5 s after the clicks.
            new WebDriverWait(browser, Duration.ofSeconds(20)).until(b -> System.currentTimeMillis() > at + 2000);
            wait.until(b -> b.findElement(By.id("login-form")).isDisplayed() || b.findElement(By.id("session")).isDisplayed());
            assertTrue(browser.findElement(By.id("session")).isDisplayed(),
                    "the tab says: " + browser.findElement(By.id("message")).getText());
            assertEquals("alice", browser.findElement(By.id("who")).getText());
        }
        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBe(By.id("who"), "alice"));
    }

    @Test
    void whenThePasswordIsWrongThenThePageSaysSoAndStaysOnTheForm() {
        browser.get(page);
        signIn("alice", "not-the-password");
        wait.until(ExpectedConditions.textToBe(By.id("message"), "Unknown user or wrong password."));
        assertTrue(browser.findElement(By.id("login-form")).isDisplayed());
        assertNull(browser.manage().getCookieNamed("access_token"));
    }

    /**
     * "Revoked at once, everywhere", as a picture: bob (admin) sees the operations panel — the six Redis
     * nodes with their roles, a fresh near-cache — and revokes alice with its form; in her own browser,
     * alice's next call is refused and she is back at the sign-in form; bob's panel counts the refusal.
     */
    @Test
    void whenBobRevokesAliceFromTheOperationsPanelThenHerNextCallIsRefusedAndThePanelCountsIt() throws Exception {
        browser.get(page);
        signIn("bob", "builder");
        wait.until(ExpectedConditions.textToBe(By.id("who"), "bob"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("operations")));
        wait.withMessage(() -> "the panel shows: " + browser.findElement(By.id("ops-nodes")).getText() + " "
                        + browser.findElement(By.id("ops-error")).getText())
                .until(b -> nodesUp(b, "master") == 3 && nodesUp(b, "replica") == 3);
        assertEquals(6, browser.findElements(By.cssSelector("#ops-nodes tr.node")).size());
        wait.withMessage(() -> "the near-cache: " + browser.findElement(By.id("ops-near-cache")).getText())
                .until(ExpectedConditions.textToBe(By.id("ops-near-cache-state"), "fresh"));
        browser.manage().window().setSize(new Dimension(1000, 2200)); // the whole panel in the picture
        screenshot("operations-panel");

        WebDriver aliceBrowser = chromium("alice");
        try {
            WebDriverWait aliceWait = new WebDriverWait(aliceBrowser, Duration.ofSeconds(20), POLL);
            aliceBrowser.get(page);
            signIn(aliceBrowser, aliceWait, "alice", "wonderland");
            aliceWait.until(ExpectedConditions.textToBe(By.id("who"), "alice"));
            assertFalse(aliceBrowser.findElement(By.id("operations")).isDisplayed(), "alice is no admin");
            long revokedBefore = counter(browser, "count-refused-revoked");
            long refusedBefore = counter(browser, "count-requests-refused");

            browser.findElement(By.id("revoke-sub")).sendKeys("alice");
            browser.findElement(By.id("revoke-reason")).sendKeys("laptop stolen");
            browser.findElement(By.id("revoke-button")).click();
            wait.until(ExpectedConditions.textToBe(By.id("revoke-result"),
                    "Revoked: every token of alice issued so far is refused, on every server."));

            aliceBrowser.findElement(By.id("me-button")).click();
            aliceWait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
            assertEquals("The server refused this session (revoked, or signed out elsewhere): sign in again.",
                    aliceBrowser.findElement(By.id("message")).getText());
            assertFalse(aliceBrowser.findElement(By.id("session")).isDisplayed());

            wait.withMessage(() -> "the panel's refusals: " + browser.findElement(By.id("ops-refused")).getText())
                    .until(b -> counter(b, "count-refused-revoked") == revokedBefore + 1);
            assertTrue(counter(browser, "count-requests-refused") > refusedBefore);
            screenshot("operations-after-revoke");
        } finally {
            aliceBrowser.quit();
        }
    }

    /**
     * With DPoP on, the page makes a key pair it cannot export (WebCrypto, kept in IndexedDB), logs in
     * with a proof, gets a DPoP-bound token (no access cookie), calls /api/me with the DPoP scheme and a
     * proof, survives a reload through the refresh cookie bound to the same key, and logs out.
     */
    @Test
    void whenDpopIsOnThenThePageSignsProofsWithANonExtractableKeyAndCallsTheApiSenderConstrained() throws Exception {
        String dpopPage = dpopPage();
        browser.get(dpopPage);
        signIn("alice", "wonderland");
        wait.withMessage(() -> "the page says: " + browser.findElement(By.id("message")).getText())
                .until(ExpectedConditions.textToBe(By.id("who"), "alice"));
        String binding = browser.findElement(By.id("binding")).getText();
        assertTrue(binding.startsWith("yes: DPoP, key "), binding);
        String thumbprint = binding.substring("yes: DPoP, key ".length());
        assertNull(browser.manage().getCookieNamed("access_token"), "a DPoP-bound token never travels in a cookie");
        screenshot("signed-in-dpop");

        Object key = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const open = indexedDB.open('jwtgate-sample', 1);
                open.onsuccess = () => {
                  const get = open.result.transaction('keys', 'readonly').objectStore('keys').get('dpop');
                  get.onsuccess = async () => {
                    const pair = get.result;
                    let exported = 'exported';
                    try { await crypto.subtle.exportKey('jwk', pair.privateKey); } catch (e) { exported = 'refused: ' + e.name; }
                    done([String(pair.privateKey.extractable), pair.privateKey.algorithm.name,
                          pair.privateKey.algorithm.namedCurve, exported]);
                  };
                };
                open.onerror = () => done(['no database']);
                """);
        assertEquals(java.util.List.of("false", "ECDSA", "P-256", "refused: InvalidAccessError"), key);

        // The server saw proofs by that key: the login's one-time record is kept per key, the API calls' in
        // alice's slot of the cluster.
        assertTrue(proofRecords("token", thumbprint) >= 1, "login recorded its proof");
        assertTrue(proofRecords("{alice}", thumbprint) >= 1, "/api/me recorded its proof");

        String firstJti = browser.findElement(By.id("jti")).getText();
        browser.navigate().refresh(); // the in-memory token is gone: the bound refresh cookie gets another
        wait.until(ExpectedConditions.textToBe(By.id("who"), "alice"));
        assertFalse(firstJti.equals(browser.findElement(By.id("jti")).getText()), "a new access token after the reload");
        assertEquals(binding, browser.findElement(By.id("binding")).getText(), "bound to the same key");

        browser.findElement(By.id("logout-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
        assertFalse(browser.findElement(By.id("session")).isDisplayed());
        browser.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    }

    @Test
    void whenDpopIsOnAndThePageIsOpenedInAnotherTabThenThatTabIsSignedInWithTheSameKey() throws Exception {
        // The scheme was remembered in sessionStorage, which a tab opened anew (a bookmark, the address typed) does not
        // share: that tab refreshed without a proof, the bound family refused it, the answer cleared the refresh cookie,
        // and the tab showed the sign-in form; the first tab lost its session at its next reload.
        String dpopPage = dpopPage();
        browser.get(dpopPage);
        signIn("alice", "wonderland");
        wait.until(ExpectedConditions.textToBe(By.id("who"), "alice"));
        String binding = browser.findElement(By.id("binding")).getText();
        assertTrue(binding.startsWith("yes: DPoP, key "), binding);
        String firstTab = browser.getWindowHandle();

        browser.switchTo().newWindow(WindowType.TAB);
        browser.get(dpopPage);
        wait.until(b -> b.findElement(By.id("login-form")).isDisplayed() || b.findElement(By.id("session")).isDisplayed());
        assertTrue(browser.findElement(By.id("session")).isDisplayed(),
                "the new tab says: " + browser.findElement(By.id("message")).getText());
        assertEquals("alice", browser.findElement(By.id("who")).getText());
        assertEquals(binding, browser.findElement(By.id("binding")).getText(), "bound to the same key");

        browser.switchTo().window(firstTab); // reloaded: its session lives on
        browser.navigate().refresh();
        wait.until(b -> b.findElement(By.id("login-form")).isDisplayed() || b.findElement(By.id("session")).isDisplayed());
        assertTrue(browser.findElement(By.id("session")).isDisplayed(), "the first tab lost its session");
    }

    @Test
    void whenDpopIsOnAndRedisIsDownForAWhileThenThePageKeepsTheSessionForWhenItIsBack() throws Exception {
        // A reload while Redis was down (a failover, a restart) got a 503 from /refresh; the page took it for the end of
        // the session and forgot that it was DPoP-bound. Once Redis was back, the next reload refreshed without a proof,
        // the bound family refused it, the answer cleared the refresh cookie, and the user had to sign in again.
        String dpopPage = dpopPage();
        browser.get(dpopPage);
        signIn("alice", "wonderland");
        wait.until(ExpectedConditions.textToBe(By.id("who"), "alice"));

        REDIS.cluster().stopAll();
        try {
            browser.navigate().refresh();
            wait.until(b -> b.findElement(By.id("login-form")).isDisplayed() || b.findElement(By.id("session")).isDisplayed()
                    || !b.findElement(By.id("message")).getText().isEmpty());
        } finally {
            REDIS.cluster().startAll();
        }
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(b -> {
            b.navigate().refresh();
            new WebDriverWait(b, Duration.ofSeconds(10), POLL).until(d -> d.findElement(By.id("login-form")).isDisplayed()
                    || d.findElement(By.id("session")).isDisplayed() || !d.findElement(By.id("message")).getText().isEmpty());
            return b.findElement(By.id("session")).isDisplayed() || b.findElement(By.id("login-form")).isDisplayed();
        });
        assertTrue(browser.findElement(By.id("session")).isDisplayed(),
                "after Redis came back the page says: " + browser.findElement(By.id("message")).getText());
        assertEquals("alice", browser.findElement(By.id("who")).getText());
    }

    /** The app with JWTGATE_DPOP_MODE=allowed, started by the first test that needs it. */
    private static String dpopPage() throws Exception {
        if (dpopApp == null) {
            dpopApp = RunningSample.start(REDIS.cluster(), java.util.Map.of("JWTGATE_DPOP_MODE", "allowed"));
        }
        return "http://localhost:" + dpopApp.client().base().getPort() + "/";
    }

    /** Records {@code jwtgate:dpop:<owner>:<thumbprint>:*}; the owner is {@code {<sub>}}, or {@code token} for a token request's. */
    private static long proofRecords(String owner, String thumbprint) {
        String pattern = owner.equals("token") ? "jwtgate:dpop:token:{" + thumbprint + "}:*"
                : "jwtgate:dpop:" + owner + ":" + thumbprint + ":*";
        long count = 0;
        for (org.jwtgate.testkit.RedisCluster.Node master : REDIS.cluster().masters()) {
            try (redis.clients.jedis.Jedis jedis = master.connect()) {
                count += jedis.keys(pattern).size();
            }
        }
        return count;
    }

    private void signIn(String username, String password) {
        signIn(browser, wait, username, password);
    }

    /** Opens the page, signs in, and drops the access cookie as the browser does once it expires (Max-Age=900). */
    private void signedInWithTheAccessCookieExpired(String username, String password) {
        browser.get(page);
        signIn(username, password);
        wait.until(ExpectedConditions.textToBe(By.id("who"), username));
        browser.manage().deleteCookieNamed("access_token");
    }

    private static void signIn(WebDriver browser, WebDriverWait wait, String username, String password) {
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("login-button")).click();
    }

    /** The panel's Redis rows with this role that it shows as up. */
    private static long nodesUp(WebDriver browser, String role) {
        return browser.findElements(By.cssSelector("#ops-nodes tr.node[data-role='" + role + "'][data-up='true']")).size();
    }

    private static long counter(WebDriver browser, String id) {
        return Long.parseLong(browser.findElement(By.id(id)).getText());
    }

    private void screenshot(String name) throws Exception {
        Path target = Path.of("target", "screenshots");
        Files.createDirectories(target);
        Files.write(target.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static File executable(String variable, String defaultPath) {
        String configured = System.getenv(variable);
        File file = new File(configured != null && !configured.isBlank() ? configured : defaultPath);
        assertTrue(file.canExecute(), file + " is missing: install the Debian packages chromium and chromium-driver"
                + " (or set " + variable + ")");
        return file;
    }
}
