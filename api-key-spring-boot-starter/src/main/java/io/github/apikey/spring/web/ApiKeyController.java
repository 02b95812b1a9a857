package io.github.apikey.spring.web;

import io.github.apikey.core.audit.ApiKeyEventAction;
import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.domain.CreditRefill;
import io.github.apikey.core.domain.IpRange;
import io.github.apikey.core.domain.KeyMetadata;
import io.github.apikey.core.domain.RateLimit;
import io.github.apikey.core.error.ApiKeyValidationException;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.service.VerificationContext;
import io.github.apikey.core.store.ApiKeyEventFilter;
import io.github.apikey.core.store.ApiKeyFilter;
import io.github.apikey.core.store.ApiKeySortField;
import io.github.apikey.spring.security.ApiKeyPrincipal;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The management API under {@code api-key.web.base-path} (default {@code /api-keys}). Only keys holding
 * {@code api-key.admin-scope} reach it. Errors are {@code application/problem+json}; see
 * {@link ApiKeyControllerAdvice}.
 *
 * <p>The list route filters by owner and metadata in the query ({@code ?ownerId=u1&metadata=tier:gold}, one
 * {@code name:value} per metadata field); search and count take the same criteria in their JSON filter.
 */
@RestController
@RequestMapping("${api-key.web.base-path:/api-keys}")
public class ApiKeyController {

    /** The largest page the list and search routes answer. */
    public static final int MAX_LIMIT = 100;

    /** A metadata criterion of the list route's query, {@code name:value}: the name ends at the first colon. */
    public static final String METADATA_CRITERION_PATTERN = "^[^:]+:.*$";

    private final ApiKeyService service;

    public ApiKeyController(ApiKeyService service) {
        this.service = Objects.requireNonNull(service, "service");
    }

    @PostMapping
    public ResponseEntity<ApiKeyRequests.Created> create(@RequestBody ApiKeyRequests.Create request) {
        NewApiKey newKey = new NewApiKey(request.name(), request.description(),
                request.isActive() == null || request.isActive(), nonNull(request.scopes()), request.expiresAt(),
                request.ownerId(), request.metadata(), request.allowedIps(), request.allowedOrigins(),
                request.remaining(), refill(request.refill()), rateLimits(request.rateLimits()));
        CreatedApiKey created = service.create(newKey);
        URI location = ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{id}")
                .buildAndExpand(created.apiKey().getId()).toUri();
        // The plaintext must not outlive this answer in any cache, whatever the security chain's headers say.
        return ResponseEntity.created(location).cacheControl(CacheControl.noStore())
                .body(new ApiKeyRequests.Created(created.plaintext(), ApiKeyPrincipal.of(created.apiKey())));
    }

    /**
     * Answers 200, not 201 as a create does: the key keeps its id and key id, so no resource comes into being. The
     * body has the create's shape, the new plaintext shown this once.
     */
    @PostMapping("/{id}/rotate")
    public ResponseEntity<ApiKeyRequests.Created> rotate(@PathVariable UUID id,
                                                         @RequestBody(required = false) ApiKeyRequests.Rotate request) {
        CreatedApiKey rotated = service.rotate(id, request == null ? null : request.gracePeriod());
        return ResponseEntity.ok().cacheControl(CacheControl.noStore())
                .body(new ApiKeyRequests.Created(rotated.plaintext(), ApiKeyPrincipal.of(rotated.apiKey())));
    }

    /**
     * Newest first; {@code ownerId} and {@code metadata=name:value} parameters narrow the list. The parameters are
     * read raw, not bound to a list, which Spring would split at commas inside a value.
     */
    @GetMapping
    public List<ApiKeyPrincipal> list(@RequestParam(defaultValue = "0") int offset,
                                      @RequestParam(defaultValue = "50") int limit,
                                      @RequestParam MultiValueMap<String, String> parameters) {
        ApiKeyFilter.requireValidPage(offset, limit, MAX_LIMIT);
        String ownerId = single("ownerId", parameters.get("ownerId"));
        Map<String, String> metadata = metadataParameters(parameters.get("metadata"));
        if (ownerId == null && metadata.isEmpty()) {
            return views(service.list(offset, limit));
        }
        return views(service.find(ApiKeyFilter.builder().ownerId(ownerId).metadataEquals(metadata)
                .page(offset, limit).build()));
    }

    private static Map<String, String> metadataParameters(List<String> criteria) {
        Map<String, String> parsed = new LinkedHashMap<>();
        if (criteria == null) {
            return parsed;
        }
        for (String criterion : criteria) {
            int colon = criterion.indexOf(':');
            if (colon < 1) {
                throw new ApiKeyValidationException("metadata", "metadata criteria must read name:value, as in "
                        + "metadata=tier:gold");
            }
            String name = criterion.substring(0, colon);
            // Two values for one field can never both match: surely a mistake, not an empty answer to give.
            if (parsed.put(name, criterion.substring(colon + 1)) != null) {
                throw new ApiKeyValidationException("metadata", "metadata criteria must name each field once, but '"
                        + name + "' is named twice");
            }
        }
        return parsed;
    }

    /** A criterion given twice would otherwise be joined with a comma, and match neither value. */
    private static String single(String parameter, List<String> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new ApiKeyValidationException(parameter, parameter + " must be given once, was given "
                    + values.size() + " times");
        }
        return values.get(0);
    }

    @GetMapping("/{id}")
    public ApiKeyPrincipal get(@PathVariable UUID id) {
        return ApiKeyPrincipal.of(service.get(id));
    }

    @PatchMapping("/{id}")
    public ApiKeyPrincipal update(@PathVariable UUID id, @RequestBody ApiKeyRequests.Update request) {
        ApiKeyChanges.Builder changes = ApiKeyChanges.builder();
        if (request.name() != null) {
            changes.name(request.name());
        }
        if (request.description() != null) {
            changes.description(request.description());
        }
        if (request.isActive() != null) {
            changes.active(request.isActive());
        }
        if (request.scopes() != null) {
            changes.scopes(request.scopes());
        }
        boolean clearExpires = exclusive("clearExpires", request.clearExpires(), "expiresAt", request.expiresAt());
        if (clearExpires) {
            changes.clearExpiry();
        } else if (request.expiresAt() != null) {
            changes.expiresAt(request.expiresAt());
        }
        boolean clearOwnerId = exclusive("clearOwnerId", request.clearOwnerId(), "ownerId", request.ownerId());
        if (clearOwnerId) {
            changes.ownerId(null);
        } else if (request.ownerId() != null) {
            changes.ownerId(request.ownerId());
        }
        if (request.metadata() != null) {
            changes.metadata(request.metadata());
        }
        if (request.allowedIps() != null) {
            changes.allowedIps(request.allowedIps());
        }
        if (request.allowedOrigins() != null) {
            changes.allowedOrigins(request.allowedOrigins());
        }
        // As the lists above: null leaves the limits alone, [] returns the key to the configured defaults.
        if (request.rateLimits() != null) {
            changes.rateLimits(rateLimits(request.rateLimits()));
        }
        boolean clearCredits = exclusive("clearCredits", request.clearCredits(), "remaining", request.remaining());
        exclusive("clearCredits", request.clearCredits(), "refill", request.refill());
        boolean clearRefill = exclusive("clearRefill", request.clearRefill(), "refill", request.refill());
        if (clearCredits) {
            changes.remaining(null).refill(null);
        } else {
            if (request.remaining() != null) {
                changes.remaining(request.remaining());
            }
            if (clearRefill) {
                changes.refill(null);
            } else if (request.refill() != null) {
                changes.refill(refill(request.refill()));
            }
        }
        return ApiKeyPrincipal.of(service.update(id, changes.build()));
    }

    /**
     * Whether the {@code clear} flag is set, refusing it beside a value for the field it clears: which of the two
     * was meant cannot be told.
     */
    private static boolean exclusive(String flagName, Boolean flag, String fieldName, Object value) {
        boolean set = Boolean.TRUE.equals(flag);
        if (set && value != null) {
            throw new ApiKeyValidationException(flagName, flagName + " and " + fieldName + " exclude each other");
        }
        return set;
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@PathVariable UUID id) {
        service.delete(id);
    }

    @PostMapping("/{id}/activate")
    public ApiKeyPrincipal activate(@PathVariable UUID id) {
        return ApiKeyPrincipal.of(service.activate(id));
    }

    @PostMapping("/{id}/deactivate")
    public ApiKeyPrincipal deactivate(@PathVariable UUID id) {
        return ApiKeyPrincipal.of(service.deactivate(id));
    }

    @PostMapping("/search")
    public ApiKeyRequests.Page search(@RequestBody(required = false) ApiKeyRequests.Search request,
                                      @RequestParam(defaultValue = "0") int offset,
                                      @RequestParam(defaultValue = "50") int limit) {
        ApiKeyFilter.requireValidPage(offset, limit, MAX_LIMIT);
        ApiKeyFilter filter = filter(request).page(offset, limit).build();
        return new ApiKeyRequests.Page(views(service.find(filter)), service.count(filter), limit, offset);
    }

    @PostMapping("/count")
    public ApiKeyRequests.Count count(@RequestBody(required = false) ApiKeyRequests.Search request) {
        return new ApiKeyRequests.Count(service.count(filter(request).build()));
    }

    /**
     * The audit trail, newest first, narrowed by key, action, actor and a time range ({@code from} inclusive, {@code to}
     * exclusive); 404 when the audit trail is off.
     */
    @GetMapping("/events")
    public ApiKeyRequests.EventPage events(@RequestParam(required = false) UUID apiKeyId,
                                           @RequestParam(required = false) String action,
                                           @RequestParam(required = false) String actor,
                                           @RequestParam(required = false) Instant from,
                                           @RequestParam(required = false) Instant to,
                                           @RequestParam(defaultValue = "0") int offset,
                                           @RequestParam(defaultValue = "50") int limit) {
        requireAudit();
        ApiKeyFilter.requireValidPage(offset, limit, MAX_LIMIT);
        ApiKeyEventAction parsedAction = action == null ? null : ApiKeyEventAction.fromWireName(action)
                .orElseThrow(() -> new ApiKeyValidationException("action", "action must be one of " + String.join(
                        ", ", java.util.Arrays.stream(ApiKeyEventAction.values()).map(ApiKeyEventAction::wireName)
                                .toList())));
        ApiKeyEventFilter filter = new ApiKeyEventFilter(apiKeyId, parsedAction, actor, from, to, offset, limit);
        return new ApiKeyRequests.EventPage(service.findEvents(filter).stream().map(ApiKeyRequests.Event::of)
                .toList(), service.countEvents(filter), limit, offset);
    }

    /** The audit trail of one key, newest first; also after the key was deleted. */
    @GetMapping("/{id}/events")
    public ApiKeyRequests.EventPage keyEvents(@PathVariable UUID id,
                                              @RequestParam(required = false) String action,
                                              @RequestParam(required = false) String actor,
                                              @RequestParam(required = false) Instant from,
                                              @RequestParam(required = false) Instant to,
                                              @RequestParam(defaultValue = "0") int offset,
                                              @RequestParam(defaultValue = "50") int limit) {
        return events(id, action, actor, from, to, offset, limit);
    }

    /** Checks the whole hash chain, from its oldest stored event to the newest. */
    @GetMapping("/events/verify")
    public ApiKeyRequests.ChainReport verifyEvents() {
        requireAudit();
        return ApiKeyRequests.ChainReport.of(service.verifyEvents());
    }

    private void requireAudit() {
        if (!service.isAuditEnabled()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "The audit trail is off (api-key.audit.enabled)");
        }
    }

    /**
     * Checks a key exactly as the security filter does, recording its use (and consuming a credit) when it passes.
     * The request being checked is described by the body: its client address and origin, for keys restricted to
     * them, never this call's own, which comes from whoever checks the key (a gateway, another service).
     */
    @PostMapping("/verify")
    public ApiKeyPrincipal verify(@RequestBody ApiKeyRequests.Verify request) {
        VerificationContext context = new VerificationContext(
                nonNull(noNullElements("requiredScopes", request.requiredScopes())),
                clientAddress(request.clientAddress()), request.origin());
        return ApiKeyPrincipal.of(service.verify(request.apiKey(), context));
    }

    /** Refused here, not taken as an unknown address as the filter would: a caller of this API made a mistake. */
    private static String clientAddress(String literal) {
        if (literal != null && IpRange.parseAddress(literal) == null) {
            throw new ApiKeyValidationException("clientAddress", "clientAddress must be an IPv4 or IPv6 address");
        }
        return literal;
    }

    private static CreditRefill refill(ApiKeyRequests.Refill refill) {
        if (refill == null) {
            return null;
        }
        if (refill.amount() == null || refill.interval() == null) {
            throw new ApiKeyValidationException("refill", "refill needs both amount and interval (DAILY or MONTHLY)");
        }
        return new CreditRefill(refill.amount(), refill.interval());
    }

    /**
     * The limits as the core takes them; {@code null} stays {@code null} (no limits of its own). A {@code null} entry
     * is passed on for the core's rules to refuse with the rest; an entry lacking a part is refused here, since the
     * core's limit cannot be made without it.
     */
    private static List<RateLimit> rateLimits(List<ApiKeyRequests.RateLimit> limits) {
        if (limits == null) {
            return null;
        }
        List<RateLimit> converted = new ArrayList<>(limits.size());
        for (ApiKeyRequests.RateLimit limit : limits) {
            if (limit == null) {
                converted.add(null);
                continue;
            }
            if (limit.name() == null || limit.limit() == null || limit.duration() == null) {
                throw new ApiKeyValidationException("rateLimits", "rateLimits entries need name, limit and duration");
            }
            Duration duration;
            try {
                duration = Duration.parse(limit.duration());
            } catch (DateTimeParseException e) {
                throw new ApiKeyValidationException("rateLimits", "rateLimits duration must be an ISO-8601 duration "
                        + "such as PT1M or P1D");
            }
            converted.add(new RateLimit(limit.name(), limit.limit(), duration));
        }
        return converted;
    }

    private static ApiKeyFilter.Builder filter(ApiKeyRequests.Search request) {
        ApiKeyFilter.Builder filter = ApiKeyFilter.builder();
        if (request == null) {
            return filter;
        }
        ApiKeySortField orderBy = ApiKeySortField.CREATED_AT;
        if (request.orderBy() != null) {
            orderBy = ApiKeySortField.fromName(request.orderBy()).orElseThrow(() -> new ApiKeyValidationException(
                    "orderBy", "orderBy must be one of id, name, createdAt, expiresAt, lastUsedAt, isActive, keyId"));
        }
        return filter.active(request.isActive())
                .expiresBefore(request.expiresBefore()).expiresAfter(request.expiresAfter())
                .createdBefore(request.createdBefore()).createdAfter(request.createdAfter())
                .lastUsedBefore(request.lastUsedBefore()).lastUsedAfter(request.lastUsedAfter())
                .neverUsed(request.neverUsed())
                .scopesContainAll(noNullElements("scopesContainAll", request.scopesContainAll()))
                .scopesContainAny(noNullElements("scopesContainAny", request.scopesContainAny()))
                .nameContains(request.nameContains()).nameExact(request.nameExact())
                .ownerId(request.ownerId()).metadataEquals(metadataCriteria(request.metadata()))
                .orderBy(orderBy, request.orderDesc() == null || request.orderDesc());
    }

    /**
     * A filter's metadata criteria as the texts stored values are compared by: a number or boolean matches the same
     * value, and a string of its text. Lists, objects and {@code null} can match nothing and are refused.
     */
    private static Map<String, String> metadataCriteria(Map<String, Object> metadata) {
        Map<String, String> criteria = new LinkedHashMap<>();
        if (metadata != null) {
            metadata.forEach((name, value) -> {
                String text = KeyMetadata.scalarText(value);
                if (text == null) {
                    throw new ApiKeyValidationException("metadata", "metadata criteria must be strings, numbers or "
                            + "booleans, but '" + name + "' is not");
                }
                criteria.put(name, text);
            });
        }
        return criteria;
    }

    private static List<String> noNullElements(String field, List<String> values) {
        if (values != null && values.stream().anyMatch(Objects::isNull)) {
            throw new ApiKeyValidationException(field, field + " must not contain null");
        }
        return values;
    }

    private static List<String> nonNull(List<String> values) {
        return values == null ? List.of() : values;
    }

    private static List<ApiKeyPrincipal> views(List<ApiKey> keys) {
        return keys.stream().map(ApiKeyPrincipal::of).toList();
    }
}
