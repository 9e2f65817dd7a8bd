import Foundation
import XCTest

/// The same room as `WorkshopBrowserTests`, in Firefox: Debian's firefox-esr, headless, driven
/// over Marionette (Mozilla's own automation protocol, PyPI `marionette_driver`), since Debian
/// ships no geckodriver. It loads the page, waits for the baseline's streamed answer, types a
/// lever's new value and leaves the control, waits for the new answer, and checks that a headline
/// figure and a state's colour changed, that Enter on a state shows its figures, and that the
/// page logged no error (Firefox's console service, read from its privileged side: script errors
/// and refused content-security-policy loads from the page). Skipped only when firefox or
/// marionette_driver is missing outside CI; under CI=true it must run.
final class WorkshopFirefoxTests: XCTestCase {
    static let firefox = ["/usr/bin/firefox-esr", "/usr/bin/firefox"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static let script = #"""
    import json, os, shutil, subprocess, sys, tempfile, time
    from marionette_driver import By, Wait
    from marionette_driver.keys import Keys
    from marionette_driver.marionette import Marionette

    url, browser, lever, value, shot = sys.argv[1:6]
    profile = tempfile.mkdtemp(prefix="carepath-firefox-")
    with open(os.path.join(profile, "user.js"), "w") as f:
        # Marionette on a free port (written to MarionetteActivePort); nothing fetched from elsewhere.
        for pref in ['"marionette.port", 0', '"browser.shell.checkDefaultBrowser", false',
                     '"datareporting.policy.dataSubmissionEnabled", false', '"app.update.disabledForTesting", true',
                     '"browser.startup.homepage_override.mstone", "ignore"', '"browser.aboutwelcome.enabled", false']:
            f.write("user_pref(%s);\n" % pref)
    firefox = subprocess.Popen([browser, "--headless", "--marionette", "--remote-allow-system-access", "--no-remote",
                                "-profile", profile], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = {}
    try:
        port_file = os.path.join(profile, "MarionetteActivePort")
        started = time.time()
        while not os.path.exists(port_file) or not open(port_file).read().strip():
            if time.time() - started > 120 or firefox.poll() is not None:
                raise SystemExit("firefox did not start Marionette")
            time.sleep(0.1)
        m = Marionette(host="127.0.0.1", port=int(open(port_file).read().strip()))
        m.start_session()
        # A 1920x1080 viewport, as on the projector: the window is that plus Firefox's own chrome.
        m.set_window_rect(width=1920, height=1080)
        inner = m.execute_script("return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight];")
        m.set_window_rect(width=1920 + inner[0], height=1080 + inner[1])
        out["viewport"] = m.execute_script("return [window.innerWidth, window.innerHeight];")
        m.navigate(url)
        wait = Wait(m, timeout=120, interval=0.05)
        def run_done(n):
            return lambda m: m.execute_script(
                "var p = document.getElementById('progress');"
                "return p.getAttribute('data-run') === arguments[0] && p.getAttribute('data-final') === 'true';", script_args=[str(n)])
        figures = ("return Array.prototype.map.call(document.querySelectorAll('[data-headline] [data-figure=option]'),"
                   " function (e) { return e.textContent; });")
        fills = ("var o = {}; document.querySelectorAll('g.node[data-fill]').forEach(function (g) { o[g.id] = g.getAttribute('data-fill'); });"
                 " return o;")
        wait.until(run_done(1))
        out["before"] = m.execute_script(figures)
        out["fillsBefore"] = m.execute_script(fills)
        box = m.find_element(By.CSS_SELECTOR, '[data-lever="%s"] input[type=number]' % lever)
        box.click()
        box.clear()
        box.send_keys(value)
        started = time.time()
        box.send_keys(Keys.TAB)
        wait.until(lambda m: m.execute_script(
            "var p = document.getElementById('progress'); return p.getAttribute('data-run') === '2' && Number(p.value) >= 1;"))
        out["firstEstimateSeconds"] = time.time() - started
        wait.until(run_done(2))
        out["finalSeconds"] = time.time() - started
        out["after"] = m.execute_script(figures)
        out["fillsAfter"] = m.execute_script(fills)
        out["progress"] = m.find_element(By.ID, "progress-text").text
        out["summary"] = m.find_element(By.ID, "settings-summary").text
        # Keyboard: a state focused (as Tab reaches it) and Enter shows its figures.
        node = m.find_element(By.CSS_SELECTOR, "g.node[tabindex='0']")
        m.execute_script("arguments[0].focus();", script_args=[node])
        node.send_keys(Keys.ENTER)
        out["details"] = m.find_element(By.ID, "details").text
        out["layout"] = m.execute_script(
            "return [parseFloat(getComputedStyle(document.body).fontSize), document.documentElement.scrollWidth, window.innerWidth];")
        with open(shot, "wb") as f:
            f.write(m.screenshot(format="binary", full=False))
        with m.using_context(m.CONTEXT_CHROME):
            out["console"] = m.execute_script("""
              var page = arguments[0], found = [];
              (Services.console.getMessageArray() || []).forEach(function (e) {
                if (!(e instanceof Ci.nsIScriptError) || e.isFromChromeContext) { return; }
                if (String(e.sourceName).indexOf(page) !== 0 && e.category !== "CSP") { return; }
                found.push(e.category + ": " + e.errorMessage + " (" + e.sourceName + ":" + e.lineNumber + ")");
              });
              return found;""", script_args=[url])
        m.delete_session()
    finally:
        firefox.terminate()
        try:
            firefox.wait(timeout=30)
        except subprocess.TimeoutExpired:
            firefox.kill()
        shutil.rmtree(profile, ignore_errors=True)
    print(json.dumps(out))
    """#

    func testTheRoomMovesALeverAndSeesTheAnswerInFirefox() throws {
        let ci = ProcessInfo.processInfo.environment["CI"] == "true"
        let driver = Process()
        driver.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        driver.arguments = ["python3", "-c", "import marionette_driver"]
        driver.standardError = Pipe()
        try driver.run(); driver.waitUntilExit()
        guard let browser = Self.firefox, driver.terminationStatus == 0 else {
            if ci { return XCTFail("CI=true: firefox-esr and marionette_driver must be installed (.ci/run installs them)") }
            throw XCTSkip("firefox or marionette_driver is not installed: the workshop's Firefox test is skipped (.ci/run installs them)")
        }
        let room = try BrowserRoom(self)
        let shot = BrowserRoom.screens.appendingPathComponent("workshop-firefox-1920x1080.png")
        let result = try room.run(script: Self.script, arguments: [room.url, browser, room.lever, room.least, shot.path])
        print("workshop in Firefox: lever \(room.lever) -> \(room.least); first estimate after \(result["firstEstimateSeconds"] ?? "?") s, "
              + "final after \(result["finalSeconds"] ?? "?") s; screenshot \(shot.path)")
        XCTAssertEqual(result["viewport"] as? [Int], [1920, 1080])
        room.assertTheRoomSawTheChange(result, screenshot: shot)
    }
}
