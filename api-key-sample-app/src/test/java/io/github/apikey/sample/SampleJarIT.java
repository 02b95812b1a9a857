package io.github.apikey.sample;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the packaged jar as a user would, replays the README's curl session against it, stops it gracefully and
 * restarts it to show that keys, and the last-used times written at shutdown, survive in the H2 file database.
 */
class SampleJarIT {

    private static final Pattern GENERATED_KEY = Pattern.compile(
            "Using generated API key with scope 'api-keys:admin': (ak_v1-[0-9a-f]{16}-[A-Za-z0-9]{64})");

    @TempDir
    Path workingDirectory;

    private Process app;

    @AfterEach
    void stop() throws InterruptedException {
        if (app != null) {
            app.destroy();
            if (!app.waitFor(30, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        }
    }

    @Test
    void theReadmeCurlSessionWorksAgainstThePackagedJarAndKeysSurviveARestart() throws Exception {
        int port = freePort();
        Path firstLog = workingDirectory.resolve("first.log");
        app = start(port, firstLog);
        String adminKey = awaitGeneratedAdminKey(firstLog);

        String session = readmeSession()
                .replaceFirst("(?m)^BASE=.*$", "BASE=http://localhost:" + port)
                .replaceFirst("(?m)^ADMIN_KEY=.*$", "ADMIN_KEY=" + adminKey);
        Process curl = new ProcessBuilder("bash", "-c", "set -euo pipefail\n" + session)
                .directory(workingDirectory.toFile()).redirectErrorStream(true).start();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(curl.exitValue()).as(output).isZero();

        assertThat(output).contains("{\"message\":\"This is public data\"}")
                .contains("\"message\":\"This is protected data\",\"apiKey\":{")
                .contains("\"name\":\"demo\",\"description\":null,\"isActive\":true")
                .contains("\"message\":\"This is protected data you may write\"")
                .contains("\"isActive\":false")
                .contains("HTTP/1.1 403")
                .contains("\"detail\":\"API key inactive\"")
                // The audit trail's newest event of the key: its deactivation, by the admin key.
                .contains("\"action\":\"deactivate\",\"outcome\":\"success\"").contains("\"actorType\":\"api-key\"");
        assertThat(Files.exists(workingDirectory.resolve("data"))).isTrue();

        // A graceful stop (SIGTERM), seconds after the keys were used: well within the 30 s flush interval.
        stop();
        assertThat(Files.readString(firstLog)).as("the log of a graceful stop")
                .doesNotContain(" ERROR ").doesNotContain("Database is already closed")
                .doesNotContain("closes itself when the JVM exits");
        Path secondLog = workingDirectory.resolve("second.log");
        app = start(port, secondLog);
        awaitStarted(secondLog);
        assertThat(Files.readString(secondLog)).doesNotContain("Using generated API key");
        HttpResponse<String> list = get(port, "/api-keys", adminKey);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"name\":\"demo\"").contains("\"name\":\"generated-admin\"");
        String demoId = Files.readString(workingDirectory.resolve("created.json"))
                .replaceFirst("(?s).*\"entity\":\\{\"id\":\"([^\"]+)\".*", "$1");
        HttpResponse<String> demo = get(port, "/api-keys/" + demoId, adminKey);
        assertThat(demo.statusCode()).isEqualTo(200);
        assertThat(demo.body()).as("the demo key, used just before the stop")
                .containsPattern("\"lastUsedAt\":\"\\d{4}-").doesNotContain("\"lastUsedAt\":null");
    }

    private static HttpResponse<String> get(int port, String path, String key) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Process start(int port, Path log) throws IOException {
        String jar = System.getProperty("sample.jar", "target/api-key-sample-app.jar");
        ProcessBuilder builder = new ProcessBuilder(javaExecutable(), "-jar", Path.of(jar).toAbsolutePath().toString(),
                "--server.port=" + port)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("API_KEY_PEPPER", "sample-jar-test-pepper-0123456789abcdef");
        builder.environment().remove("API_KEY_BOOTSTRAP_ADMIN_KEY");
        return builder.start();
    }

    private String awaitGeneratedAdminKey(Path log) throws Exception {
        awaitStarted(log);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            Matcher matcher = GENERATED_KEY.matcher(Files.readString(log));
            if (matcher.find()) {
                return matcher.group(1);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no generated admin key in the log:\n" + Files.readString(log));
    }

    private void awaitStarted(Path log) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            if (text.contains("Started SampleApplication")) {
                return;
            }
            if (!app.isAlive()) {
                throw new AssertionError("the sample exited with " + app.exitValue() + ":\n" + text);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the sample did not start within 120 s:\n" + Files.readString(log));
    }

    private static String readmeSession() throws IOException {
        String readme = Files.readString(Path.of(System.getProperty("readme", "../README.md")));
        int start = readme.indexOf("<!-- curl-session:start -->");
        int end = readme.indexOf("<!-- curl-session:end -->");
        assertThat(start).isNotNegative();
        String block = readme.substring(start, end);
        List<String> lines = block.lines().toList();
        int open = lines.indexOf("```bash");
        int close = lines.lastIndexOf("```");
        return String.join("\n", lines.subList(open + 1, close)) + "\n";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
