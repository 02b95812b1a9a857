package io.github.apikey.spring.jpa;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.spring.integrity.app.BillingApplication;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On an embedded database Spring Boot lets Hibernate create the tables by default, the key table included, from the
 * entity's column definitions rather than the starter's script: those must leave room for what the service accepts.
 */
class HibernateGeneratedTableTests {

    @Test
    void aTableHibernateCreatesHoldsTheLargestMetadataAndRestrictionsTheServiceAccepts() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(BillingApplication.class)
                .web(WebApplicationType.NONE)
                .properties("spring.datasource.url=jdbc:h2:mem:generated-" + UUID.randomUUID(),
                        "spring.jpa.hibernate.ddl-auto=create-drop", "api-key.jdbc.initialize-schema=never",
                        "api-key.pepper=hibernate-generated-table-pepper-0123456789", "api-key.hasher.type=hmac-sha256",
                        "spring.main.banner-mode=off")
                .run()) {
            ApiKeyService service = context.getBean(ApiKeyService.class);
            List<String> origins = new ArrayList<>();
            List<String> ips = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                origins.add("https://" + "o".repeat(40) + i + ".example.com");
                ips.add("2001:db8:" + Integer.toHexString(i) + "::/48");
            }

            ApiKey created = service.create(NewApiKey.named("wide").withMetadata(Map.of("note", "m".repeat(4000)))
                    .withAllowedOrigins(origins).withAllowedIps(ips)).apiKey();

            ApiKey found = service.get(created.getId());
            assertThat(found.getMetadata().get("note")).isEqualTo("m".repeat(4000));
            assertThat(found.getAllowedOrigins()).hasSize(32);
            assertThat(found.getAllowedIps()).hasSize(32);
        }
    }
}
