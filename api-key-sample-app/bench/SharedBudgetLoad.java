import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Load for a rate limit shared by several instances: one key, requests at a fixed rate spread round-robin over the
 * instances, and the accepted requests counted per window of the limit. Run with the JDK's source launcher, the key
 * in the environment (never on the command line, where ps would show it):
 * <pre>
 * API_KEY=ak_v1-... java SharedBudgetLoad.java RATE SECONDS LIMIT WINDOW_SECONDS URL...
 * </pre>
 * The limiter refills the budget in full at the end of each window (Bucket4j's intervally refill), and the windows
 * start with the key's first request, on the limiter's clock. Rather than guess that clock, accepted requests are
 * grouped by the gaps between them: at a load above the limit each window admits a burst at its start and refuses
 * the rest, so every burst is one window's admissions. A burst is counted when its whole window lies within the run.
 * Exits with 1 when a counted window admitted more than LIMIT, or fewer than 95% of it.
 *
 * <p>With WARMUP_KEY and WARMUP_SECONDS in the environment, the same load first runs that long on another key and is
 * not counted: the instances' JIT, connection pools and Redis connections are then warm, as in a service that has
 * been running. Either way, the measured key is first presented to each instance once, one after the other, so that
 * each has verified it (a slow hash the first time) before the load starts; those requests count in its first window.
 */
public class SharedBudgetLoad {

    record Answer(long sentNanos, long answeredNanos, int status, int instance) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5 || System.getenv("API_KEY") == null) {
            System.err.println("usage: API_KEY=<key> java SharedBudgetLoad.java RATE SECONDS LIMIT WINDOW_SECONDS URL...");
            System.exit(2);
        }
        double rate = Double.parseDouble(args[0]);
        int seconds = Integer.parseInt(args[1]);
        int limit = Integer.parseInt(args[2]);
        long windowNanos = Duration.ofSeconds(Long.parseLong(args[3])).toNanos();
        List<URI> targets = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            targets.add(URI.create(args[i]));
        }
        String authorization = "Bearer " + System.getenv("API_KEY");

        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String warmupKey = System.getenv("WARMUP_KEY");
        int warmupSeconds = Integer.parseInt(System.getenv().getOrDefault("WARMUP_SECONDS", "0"));
        if (warmupKey != null && warmupSeconds > 0) {
            ConcurrentLinkedQueue<Answer> warmup = new ConcurrentLinkedQueue<>();
            run(client, targets, "Bearer " + warmupKey, rate, warmupSeconds, warmup, System.nanoTime());
            Map<Integer, Integer> warmupStatuses = new TreeMap<>();
            warmup.forEach(answer -> warmupStatuses.merge(answer.status(), 1, Integer::sum));
            System.out.printf("warm-up: %d s on another key, answers by status %s (not counted)%n", warmupSeconds,
                    warmupStatuses);
        }

        ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        // Wall-clock time, to match the windows below with the instances' logs (a fallback to local counting, say).
        System.out.printf("measured run from %s (time 0 below)%n", java.time.Instant.now());
        long start = System.nanoTime();
        for (int instance = 0; instance < targets.size(); instance++) {
            send(client, targets, instance, authorization, answers).join();
        }
        long loadStart = System.nanoTime();
        long end = run(client, targets, authorization, rate, seconds, answers, loadStart);

        List<Answer> sorted = new ArrayList<>(answers);
        sorted.sort((a, b) -> Long.compare(a.sentNanos(), b.sentNanos()));
        Map<Integer, Integer> statuses = new TreeMap<>();
        int[] acceptedPerInstance = new int[targets.size()];
        List<List<Answer>> bursts = new ArrayList<>();
        Answer previousAccepted = null;
        for (Answer answer : sorted) {
            statuses.merge(answer.status(), 1, Integer::sum);
            if (answer.status() != 200) {
                continue;
            }
            acceptedPerInstance[answer.instance()]++;
            // Half a window without an admission separates two windows: within one, admissions are back to back.
            if (previousAccepted == null || answer.sentNanos() - previousAccepted.sentNanos() > windowNanos / 2) {
                bursts.add(new ArrayList<>());
            }
            bursts.get(bursts.size() - 1).add(answer);
            previousAccepted = answer;
        }

        System.out.printf("offered %d requests (%d to prime, then %.0f/s for %d s) over %d instances; answers by "
                + "status %s; accepted per instance %s%n", sorted.size(), targets.size(), rate, seconds,
                targets.size(), statuses, java.util.Arrays.toString(acceptedPerInstance));
        List<Integer> counted = new ArrayList<>();
        for (List<Answer> burst : bursts) {
            long opened = burst.get(0).sentNanos();
            boolean whole = opened + windowNanos <= end;
            System.out.printf("window from %6.2f s: %3d accepted, the last at %6.2f s%s%n", (opened - start) / 1e9,
                    burst.size(), (burst.get(burst.size() - 1).sentNanos() - start) / 1e9,
                    whole ? "" : " (cut short by the end of the run: not counted)");
            if (whole) {
                counted.add(burst.size());
            }
        }
        if (counted.isEmpty()) {
            System.out.println("no whole window in the run");
            System.exit(1);
        }
        int lowest = Collections.min(counted);
        int highest = Collections.max(counted);
        boolean overshoot = highest > limit;
        boolean undershoot = lowest < Math.ceil(limit * 0.95);
        System.out.printf("%d whole windows: accepted per window min %d, max %d (limit %d): %s, %s%n", counted.size(),
                lowest, highest, limit, overshoot ? "OVERSHOOT" : "no overshoot",
                undershoot ? "UNDERSHOOT (below 95%)" : "no undershoot (>= 95%)");
        System.exit(overshoot || undershoot || statuses.keySet().stream().anyMatch(s -> s != 200 && s != 429) ? 1 : 0);
    }

    /**
     * Offers {@code rate} requests a second for {@code seconds}, round-robin over the instances, and waits for every
     * answer. A fixed schedule, not a closed loop: a slow answer must not slow the offered load down.
     *
     * @return when the schedule ended
     */
    private static long run(HttpClient client, List<URI> targets, String authorization, double rate, int seconds,
                            ConcurrentLinkedQueue<Answer> answers, long start) {
        List<CompletableFuture<?>> pending = new ArrayList<>();
        long intervalNanos = (long) (1e9 / rate);
        long total = (long) (rate * seconds);
        for (long i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            pending.add(send(client, targets, (int) (i % targets.size()), authorization, answers));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        return start + total * intervalNanos;
    }

    private static CompletableFuture<?> send(HttpClient client, List<URI> targets, int instance, String authorization,
                                             ConcurrentLinkedQueue<Answer> answers) {
        HttpRequest request = HttpRequest.newBuilder(targets.get(instance)).header("Authorization", authorization)
                .timeout(Duration.ofSeconds(10)).GET().build();
        long sent = System.nanoTime();
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, failure) -> {
            answers.add(new Answer(sent, System.nanoTime(), failure == null ? response.statusCode() : -1, instance));
            return null;
        });
    }
}
