package io.github.apikey.spring.jpa.app;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * An application in a package of its own, as a user's is: its auto-configuration package does not hold the starter's
 * entity packages, so only the starter decides which of them are mapped.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class OutsideApplication {
}
