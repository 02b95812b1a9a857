package io.github.apikey.spring.bench;

import io.github.apikey.core.cache.VerifiedKeyCache;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.store.ApiKeyFilter;
import io.github.apikey.core.store.ApiKeySortField;
import io.github.apikey.core.usage.UsageRecorder;
import io.github.apikey.spring.testing.ExternalServices;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The library at production scale on PostgreSQL: first-verification latency (a cache miss: key-id lookup, HMAC
 * check, cache fill) and management search and count times, with 1,000 keys against 1,000,000, through the
 * auto-configured {@link ApiKeyService} on the JPA store, as an application calls it.
 *
 * <p>A benchmark, not a test: its name matches none of Surefire's patterns, so the suite never runs it. Run it with
 * <pre>
 * ./mvnw -o -B -pl api-key-core,api-key-spring-boot-starter -am test -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest=ScaleBenchmark
 * </pre>
 * It needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust), and skips without it unless
 * {@code APIKEY_IT_REQUIRE_SERVICES=1}. It keeps one database per size ({@code apikey_scale_1000},
 * {@code apikey_scale_1000000}) and bulk-loads it with {@code load-keys-postgresql.sql} (in SQL, about 90 s
 * for a million keys) only when its key count differs, so later runs start at once; {@code -Dapikey.scale.reload=true}
 * loads afresh. Other options: {@code -Dapikey.scale.sizes=1000,1000000}, {@code -Dapikey.scale.warmupRounds=3},
 * {@code -Dapikey.scale.rounds=30}, {@code -Dapikey.scale.keysPerRound=300}, {@code -Dapikey.scale.queryRuns=15}.
 *
 * <p>It prints the figures and asserts nothing about them: times belong to the machine that took them.
 */
class ScaleBenchmark {

    /** Not a secret: the benchmark's keys exist only in its own databases. */
    private static final String PEPPER = "scale-benchmark-pepper-0123456789abcdefghij";

    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?connectTimeout=3";

    private final List<Integer> sizes = Arrays.stream(System.getProperty("apikey.scale.sizes", "1000,1000000")
            .split(",")).map(String::trim).map(Integer::parseInt).toList();
    private final int warmupRounds = Integer.getInteger("apikey.scale.warmupRounds", 3);
    private final int rounds = Integer.getInteger("apikey.scale.rounds", 30);
    private final int keysPerRound = Integer.getInteger("apikey.scale.keysPerRound", 300);
    private final int queryRuns = Integer.getInteger("apikey.scale.queryRuns", 15);
    private final boolean reload = Boolean.getBoolean("apikey.scale.reload");

    @Test
    void firstVerificationAndSearchAtEachSize() throws Exception {
        requirePostgres();
        Map<Integer, ConfigurableApplicationContext> contexts = new LinkedHashMap<>();
        try {
            for (int size : sizes) {
                String database = "apikey_scale_" + size;
                createDatabaseIfAbsent(database);
                ConfigurableApplicationContext context = start(database);
                contexts.put(size, context);
                ensureLoaded(context.getBean(DataSource.class), size);
            }
            Map<Integer, Results> results = new LinkedHashMap<>();
            contexts.keySet().forEach(size -> results.put(size, new Results()));
            firstVerifications(contexts, results);
            contexts.forEach((size, context) -> results.get(size).queries =
                    queries(context.getBean(ApiKeyService.class)));
            print(results);
        } finally {
            contexts.values().forEach(ConfigurableApplicationContext::close);
        }
    }

    /**
     * Each round verifies {@link #keysPerRound} distinct keys of each size, picked at random from the whole table,
     * with the cache emptied first: every call is a key's first verification. The sizes take turns round by round,
     * so that a busier moment of the machine falls on both alike. The first rounds warm the JIT and are left out.
     */
    private void firstVerifications(Map<Integer, ConfigurableApplicationContext> contexts,
                                    Map<Integer, Results> results) {
        Map<Integer, SplittableRandom> randoms = new LinkedHashMap<>();
        for (int size : contexts.keySet()) {
            // Active keys that never expire: even n not divisible by 10 (see load-keys-postgresql.sql).
            if (keysPerRound > size / 10 * 4) {
                throw new IllegalArgumentException("apikey.scale.keysPerRound must be at most " + size / 10 * 4);
            }
            randoms.put(size, new SplittableRandom(size));
            results.get(size).verifyMicros = new long[rounds * keysPerRound];
        }
        for (int round = -warmupRounds; round < rounds; round++) {
            for (Map.Entry<Integer, ConfigurableApplicationContext> entry : contexts.entrySet()) {
                int size = entry.getKey();
                ApiKeyService service = entry.getValue().getBean(ApiKeyService.class);
                entry.getValue().getBean(VerifiedKeyCache.class).invalidateAll();
                long[] micros = results.get(size).verifyMicros;
                int index = round * keysPerRound;
                for (int n : distinctValidKeys(randoms.get(size), size, keysPerRound)) {
                    String key = plaintext(n);
                    long start = System.nanoTime();
                    service.verify(key, List.of());
                    long elapsed = System.nanoTime() - start;
                    if (round >= 0) {
                        micros[index++] = elapsed / 1_000;
                    }
                }
            }
        }
        results.values().forEach(result -> Arrays.sort(result.verifyMicros));
    }

    private static int[] distinctValidKeys(SplittableRandom random, int size, int count) {
        return random.ints(1, size + 1).filter(n -> n % 2 == 0 && n % 10 != 0).distinct().limit(count).toArray();
    }

    /**
     * The filters a management screen uses, each found (first page of 100) and counted. Those marked "not indexed"
     * or "whole table" are there for contrast: no index can make them independent of the table's size.
     */
    private Map<String, long[]> queries(ApiKeyService service) {
        Instant now = Instant.now();
        Map<String, ApiKeyFilter> filters = new LinkedHashMap<>();
        filters.put("owner", ApiKeyFilter.builder().ownerId("owner-42").build());
        filters.put("inactive", ApiKeyFilter.builder().active(false).build());
        filters.put("expiring within 7 days, soonest first", ApiKeyFilter.builder().expiresAfter(now)
                .expiresBefore(now.plus(Duration.ofDays(7))).orderBy(ApiKeySortField.EXPIRES_AT, false).build());
        filters.put("expiring within 7 days, newest first", ApiKeyFilter.builder().expiresAfter(now)
                .expiresBefore(now.plus(Duration.ofDays(7))).build());
        filters.put("expiring within 30 days, newest first", ApiKeyFilter.builder().expiresAfter(now)
                .expiresBefore(now.plus(Duration.ofDays(30))).build());
        filters.put("active, expiring within 7 days, newest first", ApiKeyFilter.builder().active(true)
                .expiresAfter(now).expiresBefore(now.plus(Duration.ofDays(7))).build());
        filters.put("not expired, newest first", ApiKeyFilter.builder().expiresAfter(now).build());
        filters.put("expired, newest first", ApiKeyFilter.builder().expiresBefore(now).build());
        filters.put("unused for 80 days, newest first", ApiKeyFilter.builder()
                .lastUsedBefore(now.minus(Duration.ofDays(80))).build());
        filters.put("created in the last day", ApiKeyFilter.builder()
                .createdAfter(now.minus(Duration.ofDays(1))).build());
        filters.put("unused for 80 days, most recent first", ApiKeyFilter.builder()
                .lastUsedBefore(now.minus(Duration.ofDays(80))).orderBy(ApiKeySortField.LAST_USED_AT, true).build());
        filters.put("never used", ApiKeyFilter.builder().neverUsed(true).build());
        filters.put("exact name", ApiKeyFilter.builder().nameExact("key-424").build());
        filters.put("active (90% of keys)", ApiKeyFilter.builder().active(true).build());
        filters.put("no filter (whole table)", ApiKeyFilter.all());
        filters.put("name contains (not indexed)", ApiKeyFilter.builder().nameContains("424").build());
        filters.put("scope 'write' (not indexed)", ApiKeyFilter.builder().scopesContainAll(List.of("write"))
                .build());

        Map<String, long[]> times = new LinkedHashMap<>();
        for (Map.Entry<String, ApiKeyFilter> entry : filters.entrySet()) {
            ApiKeyFilter filter = entry.getValue();
            long matched = service.count(filter);
            times.put(entry.getKey(), new long[] {matched, medianMicros(() -> service.find(filter)),
                    medianMicros(() -> service.count(filter))});
        }
        return times;
    }

    private long medianMicros(Supplier<?> query) {
        long[] micros = new long[queryRuns];
        // Two unmeasured runs: the first plans the statement and reads the index pages into the cache.
        query.get();
        query.get();
        for (int i = 0; i < queryRuns; i++) {
            long start = System.nanoTime();
            query.get();
            micros[i] = (System.nanoTime() - start) / 1_000;
        }
        Arrays.sort(micros);
        return micros[queryRuns / 2];
    }

    private void ensureLoaded(DataSource dataSource, int size) throws SQLException, IOException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            long present;
            try (ResultSet count = statement.executeQuery("SELECT count(*) FROM api_keys")) {
                count.next();
                present = count.getLong(1);
            }
            if (present == size && !reload) {
                return;
            }
            System.out.printf("Loading %,d keys into %s...%n", size, connection.getCatalog());
            long start = System.nanoTime();
            statement.execute("TRUNCATE api_keys");
            String script = new ClassPathResource("io/github/apikey/spring/bench/load-keys-postgresql.sql")
                    .getContentAsString(StandardCharsets.UTF_8)
                    .replace(":'pepper'", "'" + PEPPER + "'")
                    .replace(":count", Integer.toString(size));
            ScriptUtils.executeSqlScript(connection, new ByteArrayResource(script.getBytes(StandardCharsets.UTF_8)));
            // Fresh statistics for the planner, and a visibility map that allows index-only scans.
            statement.execute("VACUUM ANALYZE api_keys");
            System.out.printf("Loaded in %.0f s%n", (System.nanoTime() - start) / 1e9);
        }
    }

    private static ConfigurableApplicationContext start(String database) {
        return new SpringApplicationBuilder(ScaleApplication.class).web(WebApplicationType.NONE).properties(
                "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/" + database,
                "spring.datasource.username=postgres",
                "api-key.pepper=" + PEPPER,
                "api-key.hasher.type=hmac-sha256",
                "api-key.jdbc.initialize-schema=always",
                "spring.jpa.hibernate.ddl-auto=validate",
                "spring.main.banner-mode=off",
                "logging.level.root=warn").run();
    }

    private static void requirePostgres() {
        try (Connection ignored = DriverManager.getConnection(ADMIN_URL, "postgres", "")) {
            // Reachable.
        } catch (SQLException unavailable) {
            throw ExternalServices.unavailable("PostgreSQL on 127.0.0.1:5432",
                    "start the server (user postgres, trust authentication)", unavailable);
        }
    }

    private static void createDatabaseIfAbsent(String database) throws SQLException {
        try (Connection connection = DriverManager.getConnection(ADMIN_URL, "postgres", "");
             Statement statement = connection.createStatement()) {
            try (ResultSet found = statement.executeQuery(
                    "SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (found.next()) {
                    return;
                }
            }
            statement.execute("CREATE DATABASE " + database);
        }
    }

    /** Key n of load-keys-postgresql.sql, in the default format. */
    static String plaintext(int n) {
        return "ak_v1-" + md5("k" + n).substring(0, 16) + "-" + md5("s" + n) + md5("t" + n);
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void print(Map<Integer, Results> results) {
        List<Integer> measured = new ArrayList<>(results.keySet());
        StringBuilder out = new StringBuilder();
        out.append(String.format("%nScale benchmark: %d cores, %s; %d first verifications per size, queries median of "
                + "%d%n", Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"),
                rounds * keysPerRound, queryRuns));
        out.append(String.format("%-40s", "first verification (cache miss)"));
        for (int size : measured) {
            long[] micros = results.get(size).verifyMicros;
            out.append(String.format(Locale.ROOT, " | %,9d keys: p50 %,6d us, p99 %,6d us", size,
                    percentile(micros, 50), percentile(micros, 99)));
        }
        out.append(String.format("%n%-40s", "query: rows matched, find / count (ms)"));
        for (int size : measured) {
            out.append(String.format(Locale.ROOT, " | %,9d keys %25s", size, ""));
        }
        for (String query : results.get(measured.get(0)).queries.keySet()) {
            out.append(String.format("%n%-40s", query));
            for (int size : measured) {
                long[] times = results.get(size).queries.get(query);
                out.append(String.format(Locale.ROOT, " | %,9d rows: %8.1f / %8.1f ms", times[0], times[1] / 1e3,
                        times[2] / 1e3));
            }
        }
        System.out.println(out.append(String.format("%n")));
        assertThat(results).isNotEmpty();
    }

    private static long percentile(long[] sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)];
    }

    private static final class Results {
        long[] verifyMicros;
        Map<String, long[]> queries;
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ScaleApplication {

        /**
         * Records nothing, in place of the starter's recorder, which writes last-used times on shutdown: the keys
         * verified here would otherwise leave "never used" a little smaller after every run.
         */
        @Bean
        UsageRecorder usageRecorder() {
            return (id, usedAt) -> {
            };
        }
    }
}
