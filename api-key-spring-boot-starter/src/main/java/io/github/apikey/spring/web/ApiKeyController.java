package io.github.apikey.spring.web;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.error.ApiKeyValidationException;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.store.ApiKeyFilter;
import io.github.apikey.core.store.ApiKeySortField;
import io.github.apikey.spring.security.ApiKeyPrincipal;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
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
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The management API under {@code api-key.web.base-path} (default {@code /api-keys}). Only keys holding
 * {@code api-key.admin-scope} reach it. Errors are {@code application/problem+json}; see
 * {@link ApiKeyControllerAdvice}.
 */
@RestController
@RequestMapping("${api-key.web.base-path:/api-keys}")
public class ApiKeyController {

    /** The largest page the list and search routes answer. */
    public static final int MAX_LIMIT = 100;

    private final ApiKeyService service;

    public ApiKeyController(ApiKeyService service) {
        this.service = Objects.requireNonNull(service, "service");
    }

    @PostMapping
    public ResponseEntity<ApiKeyRequests.Created> create(@RequestBody ApiKeyRequests.Create request) {
        NewApiKey newKey = new NewApiKey(request.name(), request.description(),
                request.isActive() == null || request.isActive(), nonNull(request.scopes()), request.expiresAt());
        CreatedApiKey created = service.create(newKey);
        URI location = ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{id}")
                .buildAndExpand(created.apiKey().getId()).toUri();
        return ResponseEntity.created(location)
                .body(new ApiKeyRequests.Created(created.plaintext(), ApiKeyPrincipal.of(created.apiKey())));
    }

    @GetMapping
    public List<ApiKeyPrincipal> list(@RequestParam(defaultValue = "0") int offset,
                                 @RequestParam(defaultValue = "50") int limit) {
        ApiKeyFilter.requireValidPage(offset, limit, MAX_LIMIT);
        return views(service.list(offset, limit));
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
        boolean clearExpires = Boolean.TRUE.equals(request.clearExpires());
        if (clearExpires && request.expiresAt() != null) {
            throw new ApiKeyValidationException("clearExpires", "clearExpires and expiresAt exclude each other");
        }
        if (clearExpires) {
            changes.clearExpiry();
        } else if (request.expiresAt() != null) {
            changes.expiresAt(request.expiresAt());
        }
        return ApiKeyPrincipal.of(service.update(id, changes.build()));
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

    /** Checks a key exactly as the security filter does, recording its use when it passes. */
    @PostMapping("/verify")
    public ApiKeyPrincipal verify(@RequestBody ApiKeyRequests.Verify request) {
        return ApiKeyPrincipal.of(service.verify(request.apiKey(),
                nonNull(noNullElements("requiredScopes", request.requiredScopes()))));
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
                .orderBy(orderBy, request.orderDesc() == null || request.orderDesc());
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
