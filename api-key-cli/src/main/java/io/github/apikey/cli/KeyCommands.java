package io.github.apikey.cli;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.domain.CreditRefill;
import io.github.apikey.core.domain.RateLimit;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.EnvironmentApiKeyImporter;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.service.VerificationContext;
import io.github.apikey.core.store.ApiKeyFilter;
import io.github.apikey.core.store.ApiKeySortField;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The commands, one per route of the management API (plus {@code import} and {@code export}). Every change goes
 * through {@code ApiKeyService}, so the library's rules, and its messages, apply as they do over HTTP.
 */
final class KeyCommands {

    private KeyCommands() {
    }

    /** A command that works on the key table: opens it, runs, closes it (writing pending last-used times). */
    abstract static class KeyCommand implements Callable<Integer> {

        @ParentCommand
        ApiKeyCli root;

        @Override
        public Integer call() {
            try (KeyTable table = root.open()) {
                return call(table, root.output());
            }
        }

        abstract int call(KeyTable table, Output output);
    }

    @Command(name = "create", sortOptions = false, description = "Creates a key and prints its plaintext, this once, "
            + "to standard output (as POST /api-keys).")
    static final class Create extends KeyCommand {

        @Option(names = "--name", required = true, description = "the key's name")
        String name;

        @Option(names = "--description")
        String description;

        @Option(names = "--scope", split = ",", paramLabel = "SCOPE", description = "a granted scope; repeat or "
                + "separate with commas")
        List<String> scopes = new ArrayList<>();

        @Option(names = "--inactive", description = "create it disabled")
        boolean inactive;

        @Mixin
        Expiry expiry;

        @Option(names = "--owner", paramLabel = "OWNER_ID", description = "the application's user or tenant id")
        String ownerId;

        @Mixin
        MetadataOptions metadata;

        @Option(names = "--allow-ip", split = ",", paramLabel = "CIDR", description = "restrict the key to these "
                + "address blocks")
        List<String> allowedIps = new ArrayList<>();

        @Option(names = "--allow-origin", split = ",", paramLabel = "ORIGIN", description = "restrict the key to "
                + "these web origins")
        List<String> allowedOrigins = new ArrayList<>();

        @Option(names = "--remaining", paramLabel = "N", description = "usage credits")
        Long remaining;

        @Option(names = "--refill", paramLabel = "AMOUNT/INTERVAL", description = "credit refill, e.g. 1000/DAILY or "
                + "5000/MONTHLY")
        String refill;

        @Option(names = "--rate-limit", paramLabel = "NAME=LIMIT/DURATION", description = "a rate limit of the "
                + "key's own, e.g. requests=100/PT1M; repeatable")
        List<String> rateLimits = new ArrayList<>();

        @Option(names = {"-q", "--quiet"}, description = "print the plaintext key alone")
        boolean quiet;

        @Override
        int call(KeyTable table, Output output) {
            NewApiKey request = new NewApiKey(name, description, !inactive, scopes, expiry.instant(false),
                    ownerId, metadata.values(), allowedIps, allowedOrigins, remaining, Parsing.refill(refill),
                    Parsing.rateLimits(rateLimits));
            CreatedApiKey created = table.service().create(request);
            output.created(created, quiet, "Created key '" + created.apiKey().getName() + "'");
            return ExitCode.OK;
        }
    }

    @Command(name = "list", sortOptions = false, description = "Lists keys, newest first (as GET /api-keys).")
    static final class ListKeys extends KeyCommand {

        @Option(names = "--offset", defaultValue = "0")
        int offset;

        @Option(names = "--limit", defaultValue = "50", description = "1 to 100 (default: ${DEFAULT-VALUE})")
        int limit;

        @Option(names = "--owner", paramLabel = "OWNER_ID")
        String ownerId;

        @Option(names = "--metadata", paramLabel = "NAME=VALUE", description = "a top-level metadata field's value")
        Map<String, String> metadata = new LinkedHashMap<>();

        @Override
        int call(KeyTable table, Output output) {
            ApiKeyFilter.requireValidPage(offset, limit, Paging.MAX_LIMIT);
            List<ApiKey> keys = ownerId == null && metadata.isEmpty() ? table.service().list(offset, limit)
                    : table.service().find(ApiKeyFilter.builder().ownerId(ownerId).metadataEquals(metadata)
                    .page(offset, limit).build());
            output.keys(keys);
            return ExitCode.OK;
        }
    }

    @Command(name = "get", description = "Shows one key (as GET /api-keys/{id}).")
    static final class Get extends KeyCommand {

        @Parameters(paramLabel = "KEY", description = "the key's id (UUID) or key id (16 hex characters)")
        String reference;

        @Override
        int call(KeyTable table, Output output) {
            output.key(table.find(reference));
            return ExitCode.OK;
        }
    }

    @Command(name = "search", sortOptions = false, description = "Finds keys by a filter, one page at a time (as "
            + "POST /api-keys/search).")
    static final class Search extends KeyCommand {

        @Mixin
        FilterOptions filter;

        @Option(names = "--offset", defaultValue = "0")
        int offset;

        @Option(names = "--limit", defaultValue = "50", description = "1 to 100 (default: ${DEFAULT-VALUE})")
        int limit;

        @Override
        int call(KeyTable table, Output output) {
            ApiKeyFilter.requireValidPage(offset, limit, Paging.MAX_LIMIT);
            ApiKeyFilter criteria = filter.builder().page(offset, limit).build();
            output.page(table.service().find(criteria), table.service().count(criteria), limit, offset);
            return ExitCode.OK;
        }
    }

    @Command(name = "count", sortOptions = false, description = "Counts the keys a filter matches (as POST "
            + "/api-keys/count).")
    static final class Count extends KeyCommand {

        @Mixin
        FilterOptions filter;

        @Override
        int call(KeyTable table, Output output) {
            output.count(table.service().count(filter.builder().build()));
            return ExitCode.OK;
        }
    }

    @Command(name = "update", sortOptions = false, description = "Changes the fields given and no other (as PATCH "
            + "/api-keys/{id}).")
    static final class Update extends KeyCommand {

        @Parameters(paramLabel = "KEY", description = "the key's id (UUID) or key id (16 hex characters)")
        String reference;

        @Option(names = "--name")
        String name;

        @Option(names = "--description")
        String description;

        @Option(names = "--active", paramLabel = "true|false", arity = "1")
        Boolean active;

        @Option(names = "--scope", split = ",", paramLabel = "SCOPE", description = "replaces the scopes; repeat "
                + "or separate with commas")
        List<String> scopes;

        @Option(names = "--clear-scopes", description = "removes every scope")
        boolean clearScopes;

        @Mixin
        Expiry expiry;

        @Option(names = "--no-expiry", description = "the key never expires")
        boolean noExpiry;

        @Option(names = "--owner", paramLabel = "OWNER_ID")
        String ownerId;

        @Option(names = "--clear-owner")
        boolean clearOwner;

        @Mixin
        MetadataOptions metadata;

        @Option(names = "--clear-metadata")
        boolean clearMetadata;

        @Option(names = "--allow-ip", split = ",", paramLabel = "CIDR", description = "replaces the address blocks")
        List<String> allowedIps;

        @Option(names = "--clear-allowed-ips")
        boolean clearAllowedIps;

        @Option(names = "--allow-origin", split = ",", paramLabel = "ORIGIN", description = "replaces the origins")
        List<String> allowedOrigins;

        @Option(names = "--clear-allowed-origins")
        boolean clearAllowedOrigins;

        @Option(names = "--remaining", paramLabel = "N", description = "sets the credits; the refill period starts "
                + "afresh")
        Long remaining;

        @Option(names = "--refill", paramLabel = "AMOUNT/INTERVAL")
        String refill;

        @Option(names = "--clear-refill")
        boolean clearRefill;

        @Option(names = "--clear-credits", description = "stops counting use (no credits, no refill)")
        boolean clearCredits;

        @Option(names = "--rate-limit", paramLabel = "NAME=LIMIT/DURATION", description = "replaces the key's own "
                + "limits; repeatable")
        List<String> rateLimits;

        @Option(names = "--clear-rate-limits", description = "back to the configured defaults")
        boolean clearRateLimits;

        @Override
        int call(KeyTable table, Output output) {
            ApiKeyChanges.Builder changes = ApiKeyChanges.builder();
            if (name != null) {
                changes.name(name);
            }
            if (description != null) {
                changes.description(description);
            }
            if (active != null) {
                changes.active(active);
            }
            if (exclusive("--clear-scopes", clearScopes, "--scope", scopes)) {
                changes.scopes(List.of());
            } else if (scopes != null) {
                changes.scopes(scopes);
            }
            Instant expiresAt = expiry.instant(noExpiry);
            if (noExpiry) {
                changes.clearExpiry();
            } else if (expiresAt != null) {
                changes.expiresAt(expiresAt);
            }
            if (exclusive("--clear-owner", clearOwner, "--owner", ownerId)) {
                changes.ownerId(null);
            } else if (ownerId != null) {
                changes.ownerId(ownerId);
            }
            Map<String, Object> newMetadata = metadata.valuesOrNull();
            if (exclusive("--clear-metadata", clearMetadata, "--metadata", newMetadata)) {
                changes.metadata(Map.of());
            } else if (newMetadata != null) {
                changes.metadata(newMetadata);
            }
            if (exclusive("--clear-allowed-ips", clearAllowedIps, "--allow-ip", allowedIps)) {
                changes.allowedIps(List.of());
            } else if (allowedIps != null) {
                changes.allowedIps(allowedIps);
            }
            if (exclusive("--clear-allowed-origins", clearAllowedOrigins, "--allow-origin", allowedOrigins)) {
                changes.allowedOrigins(List.of());
            } else if (allowedOrigins != null) {
                changes.allowedOrigins(allowedOrigins);
            }
            if (exclusive("--clear-rate-limits", clearRateLimits, "--rate-limit", rateLimits)) {
                changes.rateLimits(List.of());
            } else if (rateLimits != null) {
                changes.rateLimits(Parsing.rateLimits(rateLimits));
            }
            exclusive("--clear-credits", clearCredits, "--remaining", remaining);
            exclusive("--clear-credits", clearCredits, "--refill", refill);
            exclusive("--clear-refill", clearRefill, "--refill", refill);
            if (clearCredits) {
                changes.remaining(null).refill(null);
            } else {
                if (remaining != null) {
                    changes.remaining(remaining);
                }
                if (clearRefill) {
                    changes.refill(null);
                } else if (refill != null) {
                    changes.refill(Parsing.refill(refill));
                }
            }
            ApiKeyChanges built = changes.build();
            if (built.isEmpty()) {
                throw new CliFailure(ExitCode.USAGE, "Nothing to change: give at least one option (see update "
                        + "--help)");
            }
            output.key(table.service().update(table.find(reference).getId(), built));
            return ExitCode.OK;
        }

        private static boolean exclusive(String flagName, boolean flag, String optionName, Object value) {
            if (flag && value != null) {
                throw new CliFailure(ExitCode.USAGE, flagName + " and " + optionName + " exclude each other");
            }
            return flag;
        }
    }

    @Command(name = "activate", description = "Lets a key authenticate again (as POST /api-keys/{id}/activate).")
    static final class Activate extends KeyCommand {

        @Parameters(paramLabel = "KEY", description = "the key's id (UUID) or key id (16 hex characters)")
        String reference;

        @Override
        int call(KeyTable table, Output output) {
            output.key(table.service().activate(table.find(reference).getId()));
            return ExitCode.OK;
        }
    }

    @Command(name = "deactivate", description = "Stops a key from authenticating (as POST "
            + "/api-keys/{id}/deactivate).")
    static final class Deactivate extends KeyCommand {

        @Parameters(paramLabel = "KEY", description = "the key's id (UUID) or key id (16 hex characters)")
        String reference;

        @Override
        int call(KeyTable table, Output output) {
            output.key(table.service().deactivate(table.find(reference).getId()));
            return ExitCode.OK;
        }
    }

    @Command(name = "rotate", description = "Gives a key a new secret and prints it, this once, to standard output "
            + "(as POST /api-keys/{id}/rotate).")
    static final class Rotate extends KeyCommand {

        @Parameters(paramLabel = "KEY", description = "the key's id (UUID) or key id (16 hex characters)")
        String reference;

        @Option(names = "--grace", paramLabel = "DURATION", description = "how long the replaced secret keeps "
                + "working, e.g. PT24H (default: not at all)")
        Duration grace;

        @Option(names = {"-q", "--quiet"}, description = "print the plaintext key alone")
        boolean quiet;

        @Override
        int call(KeyTable table, Output output) {
            CreatedApiKey rotated = table.service().rotate(table.find(reference).getId(), grace);
            output.created(rotated, quiet, "Rotated key '" + rotated.apiKey().getName() + "'"
                    + (rotated.apiKey().getPreviousSecretExpiresAt() == null ? ""
                    : "; the replaced secret works until " + rotated.apiKey().getPreviousSecretExpiresAt()));
            return ExitCode.OK;
        }
    }

    @Command(name = "delete", description = "Deletes a key (as DELETE /api-keys/{id}).")
    static final class Delete extends KeyCommand {

        @Parameters(paramLabel = "KEY", description = "the key's id (UUID) or key id (16 hex characters)")
        String reference;

        @Override
        int call(KeyTable table, Output output) {
            ApiKey key = table.find(reference);
            table.service().delete(key.getId());
            output.message("Deleted key '" + key.getName() + "' (" + key.getId() + ")");
            return ExitCode.OK;
        }
    }

    @Command(name = "verify", sortOptions = false, description = {"Checks a key as the application would (as POST "
            + "/api-keys/verify): it records the use, and consumes a credit of a key with credits.",
            "The key is read from standard input (one line), or from the environment variable named by "
                    + "--key-env; never from an argument."})
    static final class Verify extends KeyCommand {

        @Option(names = "--key-env", paramLabel = "VARIABLE", description = "read the key from this environment "
                + "variable instead of standard input")
        String keyVariable;

        @Option(names = "--scope", split = ",", paramLabel = "SCOPE", description = "a scope the key must hold")
        List<String> requiredScopes = new ArrayList<>();

        @Option(names = "--client-address", paramLabel = "IP", description = "the address the request came from, "
                + "for keys restricted to address blocks")
        String clientAddress;

        @Option(names = "--origin", description = "the request's Origin, for keys restricted to origins")
        String origin;

        @Override
        public Integer call() {
            // Read before the database is opened, so that a missing key fails fast.
            String presented = presentedKey();
            try (KeyTable table = root.open()) {
                ApiKey key = table.service().verify(presented, new VerificationContext(requiredScopes,
                        clientAddress, origin));
                Output output = root.output();
                output.key(key);
                output.message("The key is valid.");
                return ExitCode.OK;
            }
        }

        @Override
        int call(KeyTable table, Output output) {
            throw new UnsupportedOperationException("call() reads the key first");
        }

        private String presentedKey() {
            if (keyVariable != null) {
                String value = System.getenv(keyVariable);
                if (value == null || value.isBlank()) {
                    throw new CliFailure(ExitCode.INVALID_INPUT, "The environment variable " + keyVariable
                            + " holds no key");
                }
                return value.strip();
            }
            Console console = System.console();
            if (console != null) {
                char[] typed = console.readPassword("API key: ");
                return typed == null ? "" : new String(typed).strip();
            }
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                return line == null ? "" : line.strip();
            } catch (IOException unreadable) {
                throw new CliFailure(ExitCode.ERROR, "Cannot read the key from standard input");
            }
        }
    }

    @Command(name = "import", sortOptions = false, description = {"Imports full keys kept as API_KEY_<NAME>=<key>, as "
            + "keyshield's load_dotenv does: each becomes a key named <NAME>. Variables whose value does not start "
            + "with the key prefix (API_KEY_PEPPER, API_KEY_DB_URL...) are left alone; keys already stored with the "
            + "same secret are skipped.",
            "From this process's environment (the default) or from a .env file."})
    static final class Import extends KeyCommand {

        @Option(names = "--file", paramLabel = "FILE", description = "a .env file (NAME=value lines, # comments, "
                + "optional 'export' and quotes); - for standard input")
        Path file;

        @Option(names = "--scope", split = ",", paramLabel = "SCOPE", description = "scope granted to every "
                + "imported key")
        List<String> scopes = new ArrayList<>();

        @Override
        int call(KeyTable table, Output output) {
            Map<String, String> variables = file == null ? table.environment() : Parsing.dotenv(file);
            List<ApiKey> imported = new EnvironmentApiKeyImporter(table.service()).importFrom(variables, scopes);
            output.keys(imported);
            output.message("Imported " + imported.size() + (imported.size() == 1 ? " key." : " keys."));
            return ExitCode.OK;
        }
    }

    @Command(name = "export", sortOptions = false, description = "Writes every key a filter matches as a JSON array "
            + "of views (the management API's), never a hash or a secret; --output does not apply.")
    static final class Export extends KeyCommand {

        private static final int BATCH = 500;

        @Mixin
        FilterOptions filter;

        @Override
        int call(KeyTable table, Output output) {
            List<ApiKey> all = new ArrayList<>();
            for (int offset = 0; ; offset += BATCH) {
                List<ApiKey> batch = table.service().find(filter.builder().page(offset, BATCH).build());
                all.addAll(batch);
                if (batch.size() < BATCH) {
                    break;
                }
            }
            new Output(Output.Format.JSON, root.spec.commandLine().getOut()).keys(all);
            return ExitCode.OK;
        }
    }

    /** The largest page of list and search, as the management API's. */
    static final class Paging {
        static final int MAX_LIMIT = 100;
    }

    /** {@code --expires-at} or {@code --expires-in}. */
    static final class Expiry {

        @Option(names = "--expires-at", paramLabel = "INSTANT", description = "expiry, e.g. 2027-01-31T00:00:00Z "
                + "or 2027-01-31 (midnight UTC)")
        String expiresAt;

        @Option(names = "--expires-in", paramLabel = "DURATION", description = "expiry from now, e.g. P90D or PT12H")
        Duration expiresIn;

        Instant instant(boolean cleared) {
            if (expiresAt != null && expiresIn != null) {
                throw new CliFailure(ExitCode.USAGE, "--expires-at and --expires-in exclude each other");
            }
            if (cleared && (expiresAt != null || expiresIn != null)) {
                throw new CliFailure(ExitCode.USAGE, "--no-expiry and --expires-* exclude each other");
            }
            if (expiresIn != null) {
                return Instant.now().plus(expiresIn);
            }
            return expiresAt == null ? null : Parsing.instant("--expires-at", expiresAt);
        }
    }

    /** {@code --metadata name=value} (strings) or {@code --metadata-json} (any JSON object). */
    static final class MetadataOptions {

        @Option(names = "--metadata", paramLabel = "NAME=VALUE", description = "a metadata field (a string); "
                + "repeatable")
        Map<String, String> fields;

        @Option(names = "--metadata-json", paramLabel = "JSON", description = "the metadata as a JSON object, e.g. "
                + "'{\"seats\": 5}'")
        String json;

        Map<String, Object> values() {
            Map<String, Object> values = valuesOrNull();
            return values == null ? Map.of() : values;
        }

        Map<String, Object> valuesOrNull() {
            if (fields != null && json != null) {
                throw new CliFailure(ExitCode.USAGE, "--metadata and --metadata-json exclude each other");
            }
            if (json != null) {
                try {
                    return Output.JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
                } catch (JacksonException notAnObject) {
                    throw new CliFailure(ExitCode.USAGE, "--metadata-json must be a JSON object");
                }
            }
            return fields == null ? null : new LinkedHashMap<>(fields);
        }
    }

    /** The criteria of {@code POST /api-keys/search} and {@code /count}. */
    static final class FilterOptions {

        @Option(names = "--active", description = "active keys only")
        boolean active;

        @Option(names = "--inactive", description = "inactive keys only")
        boolean inactive;

        @Option(names = "--expiring-within", paramLabel = "DURATION", description = "keys expiring between now and "
                + "now + DURATION, e.g. P7D")
        Duration expiringWithin;

        @Option(names = "--expires-before", paramLabel = "INSTANT")
        String expiresBefore;

        @Option(names = "--expires-after", paramLabel = "INSTANT")
        String expiresAfter;

        @Option(names = "--created-before", paramLabel = "INSTANT")
        String createdBefore;

        @Option(names = "--created-after", paramLabel = "INSTANT")
        String createdAfter;

        @Option(names = "--last-used-before", paramLabel = "INSTANT")
        String lastUsedBefore;

        @Option(names = "--last-used-after", paramLabel = "INSTANT")
        String lastUsedAfter;

        @Option(names = "--never-used", description = "keys never used")
        boolean neverUsed;

        @Option(names = "--used", description = "keys used at least once")
        boolean used;

        @Option(names = "--scope-all", split = ",", paramLabel = "SCOPE", description = "keys holding all of these")
        List<String> scopesContainAll;

        @Option(names = "--scope-any", split = ",", paramLabel = "SCOPE", description = "keys holding any of these")
        List<String> scopesContainAny;

        @Option(names = "--name-contains", paramLabel = "TEXT", description = "ignoring case")
        String nameContains;

        @Option(names = "--name", paramLabel = "NAME", description = "exact name")
        String nameExact;

        @Option(names = "--owner", paramLabel = "OWNER_ID")
        String ownerId;

        @Option(names = "--metadata", paramLabel = "NAME=VALUE", description = "a top-level metadata field's value; "
                + "repeatable, all must match")
        Map<String, String> metadata;

        @Option(names = "--order-by", paramLabel = "FIELD", description = "id, name, createdAt (default), expiresAt, "
                + "lastUsedAt, isActive or keyId")
        String orderBy;

        @Option(names = "--asc", description = "ascending (default: descending)")
        boolean ascending;

        ApiKeyFilter.Builder builder() {
            if (active && inactive) {
                throw new CliFailure(ExitCode.USAGE, "--active and --inactive exclude each other");
            }
            if (neverUsed && used) {
                throw new CliFailure(ExitCode.USAGE, "--never-used and --used exclude each other");
            }
            Instant before = Parsing.instant("--expires-before", expiresBefore);
            Instant after = Parsing.instant("--expires-after", expiresAfter);
            if (expiringWithin != null) {
                if (before != null || after != null) {
                    throw new CliFailure(ExitCode.USAGE, "--expiring-within and --expires-before/after exclude each "
                            + "other");
                }
                after = Instant.now();
                before = after.plus(expiringWithin);
            }
            ApiKeySortField order = ApiKeySortField.CREATED_AT;
            if (orderBy != null) {
                order = ApiKeySortField.fromName(orderBy).orElseThrow(() -> new CliFailure(ExitCode.USAGE,
                        "--order-by must be one of id, name, createdAt, expiresAt, lastUsedAt, isActive, keyId"));
            }
            return ApiKeyFilter.builder()
                    .active(active ? Boolean.TRUE : inactive ? Boolean.FALSE : null)
                    .expiresBefore(before).expiresAfter(after)
                    .createdBefore(Parsing.instant("--created-before", createdBefore))
                    .createdAfter(Parsing.instant("--created-after", createdAfter))
                    .lastUsedBefore(Parsing.instant("--last-used-before", lastUsedBefore))
                    .lastUsedAfter(Parsing.instant("--last-used-after", lastUsedAfter))
                    .neverUsed(neverUsed ? Boolean.TRUE : used ? Boolean.FALSE : null)
                    .scopesContainAll(scopesContainAll).scopesContainAny(scopesContainAny)
                    .nameContains(nameContains).nameExact(nameExact).ownerId(ownerId).metadataEquals(metadata)
                    .orderBy(order, !ascending);
        }
    }

    /** Values the command line takes in text. */
    static final class Parsing {

        private Parsing() {
        }

        static Instant instant(String option, String text) {
            if (text == null) {
                return null;
            }
            try {
                return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                        : Instant.parse(text);
            } catch (DateTimeParseException malformed) {
                throw new CliFailure(ExitCode.USAGE, option + " must be an ISO-8601 instant such as "
                        + "2027-01-31T12:00:00Z, or a date such as 2027-01-31, not '" + text + "'");
            }
        }

        static CreditRefill refill(String text) {
            if (text == null) {
                return null;
            }
            int slash = text.indexOf('/');
            try {
                return new CreditRefill(Long.parseLong(text.substring(0, slash).strip()),
                        CreditRefill.Interval.valueOf(text.substring(slash + 1).strip().toUpperCase(Locale.ROOT)));
            } catch (RuntimeException malformed) {
                throw new CliFailure(ExitCode.USAGE, "--refill must read AMOUNT/DAILY or AMOUNT/MONTHLY, e.g. "
                        + "1000/DAILY, not '" + text + "'");
            }
        }

        static List<RateLimit> rateLimits(List<String> texts) {
            List<RateLimit> limits = new ArrayList<>();
            for (String text : texts) {
                int equals = text.indexOf('=');
                int slash = text.indexOf('/', Math.max(equals, 0));
                try {
                    limits.add(new RateLimit(text.substring(0, equals), Long.parseLong(text.substring(equals + 1,
                            slash)), Duration.parse(text.substring(slash + 1))));
                } catch (RuntimeException malformed) {
                    throw new CliFailure(ExitCode.USAGE, "--rate-limit must read NAME=LIMIT/DURATION, e.g. "
                            + "requests=100/PT1M, not '" + text + "'");
                }
            }
            return limits;
        }

        /** A .env file as keyshield's load_dotenv reads one: NAME=value, # comments, 'export', quotes. */
        static Map<String, String> dotenv(Path file) {
            List<String> lines;
            try {
                lines = file.toString().equals("-")
                        ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).lines().toList()
                        : Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException unreadable) {
                throw new CliFailure(ExitCode.USAGE, "Cannot read " + file + ": "
                        + unreadable.getClass().getSimpleName());
            }
            Map<String, String> variables = new LinkedHashMap<>();
            for (String raw : lines) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("export ")) {
                    line = line.substring("export ".length()).strip();
                }
                int equals = line.indexOf('=');
                if (equals < 1) {
                    continue;
                }
                String value = line.substring(equals + 1).strip();
                if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                        || value.startsWith("'") && value.endsWith("'"))) {
                    value = value.substring(1, value.length() - 1);
                } else {
                    int comment = value.indexOf(" #");
                    if (comment >= 0) {
                        value = value.substring(0, comment).strip();
                    }
                }
                variables.put(line.substring(0, equals).strip(), value);
            }
            return variables;
        }
    }
}
