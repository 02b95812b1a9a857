package io.github.apikey.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged jar as a separate process, as a user does, with an environment of the test's making: the
 * inherited one without any {@code API_KEY_*} variable, plus the given ones.
 */
final class Cli {

    static final Path JAR = Path.of(System.getProperty("cli.jar", "target/api-key-cli.jar")).toAbsolutePath();
    static final Path REPOSITORY_ROOT = Path.of(System.getProperty("repository.root", "..")).toAbsolutePath()
            .normalize();

    private final Path workingDirectory;
    private final Map<String, String> environment = new LinkedHashMap<>();

    Cli(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
    }

    Cli env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    Result run(String... args) throws IOException, InterruptedException {
        return runWithInput(null, args);
    }

    Result runWithInput(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return start(command, stdin, workingDirectory);
    }

    /** Runs a bash script, {@code set -euo pipefail} first, in {@code directory}. */
    Result bash(String script, Path directory) throws IOException, InterruptedException {
        return start(List.of("bash", "-c", "set -euo pipefail\n" + script), null, directory);
    }

    private Result start(List<String> command, String stdin, Path directory) throws IOException, InterruptedException {
        Path out = Files.createTempFile(workingDirectory, "stdout", ".txt");
        Path err = Files.createTempFile(workingDirectory, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("API_KEY_"));
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        Process process = builder.start();
        try (var input = process.getOutputStream()) {
            if (stdin != null) {
                input.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err),
                Duration.ofNanos(System.nanoTime() - started));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    record Result(int exitCode, String stdout, String stderr, Duration took) {

        @Override
        public String toString() {
            return "exit " + exitCode + " after " + took.toMillis() + " ms\n--- stdout\n" + stdout + "--- stderr\n"
                    + stderr;
        }
    }
}
