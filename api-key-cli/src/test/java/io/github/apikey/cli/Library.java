package io.github.apikey.cli;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An application as users write one, with the starter auto-configured on a database: where keys that the command
 * line made must verify, and whose keys the command line must verify.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class Library {

    static ConfigurableApplicationContext start(String url, String user, String pepper) {
        List<String> properties = new ArrayList<>(List.of("spring.datasource.url=" + url, "api-key.pepper=" + pepper,
                "api-key.jdbc.initialize-schema=never", "spring.main.banner-mode=off"));
        if (user != null) {
            properties.add("spring.datasource.username=" + user);
        }
        return new SpringApplicationBuilder(Library.class).web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new)).run();
    }
}
