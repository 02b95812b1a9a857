package io.github.apikey.spring.integrity.app;

import io.github.apikey.core.service.ApiKeyService;

import java.time.Duration;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Application code that revokes keys as one step of a larger transaction, as real applications do. */
@Service
public class OffboardingService {

    private final ApiKeyService apiKeys;
    private final CustomerRepository customers;

    public OffboardingService(ApiKeyService apiKeys, CustomerRepository customers) {
        this.apiKeys = apiKeys;
        this.customers = customers;
    }

    /** Renames the customer (a pending change of the caller's persistence context), then revokes its key. */
    @Transactional
    public void suspend(Long customerId, UUID keyId) {
        Customer customer = customers.findById(customerId).orElseThrow();
        customer.setName(customer.getName() + " (suspended)");
        apiKeys.deactivate(keyId);
    }

    /** Revokes the key, then goes on working before the transaction commits. */
    @Transactional
    public void deactivateThenWork(UUID keyId, Duration work) throws InterruptedException {
        apiKeys.deactivate(keyId);
        Thread.sleep(work.toMillis());
    }

    /** Activates a key, uses it inside the transaction, then fails, so that everything rolls back. */
    @Transactional
    public void activateUseAndFail(UUID keyId, String plaintext) {
        apiKeys.activate(keyId);
        apiKeys.verify(plaintext);
        throw new IllegalStateException("the application's work failed");
    }
}
