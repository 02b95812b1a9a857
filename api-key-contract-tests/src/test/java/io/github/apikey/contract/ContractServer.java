package io.github.apikey.contract;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The contract tests' server: {@link ContractApplication} on a random port, one context for every test class. Its
 * admin key is imported on start-up, as {@code api-key.bootstrap.admin-key} does for a real installation.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = ContractApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"api-key.pepper=contract-tests-pepper-0123456789abcdef", "api-key.hasher.type=hmac-sha256",
                "api-key.bootstrap.admin-key=" + ContractServer.ADMIN_KEY,
                // Sorted keys: the snapshot's diff shows what changed, not where springdoc happened to put it.
                "springdoc.writer-with-order-by-keys=true"})
@interface ContractServer {

    /** A fixed test key, imported with the admin scope; it guards nothing outside this test server. */
    String ADMIN_KEY = "ak_v1-00000000000000c7-CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCdddddddddddddddddddddddddddddddd";
}
