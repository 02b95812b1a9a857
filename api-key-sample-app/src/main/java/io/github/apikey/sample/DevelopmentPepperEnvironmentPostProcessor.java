package io.github.apikey.sample;

import java.util.Map;

import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Lets the sample start without API_KEY_PEPPER by falling back to a fixed development pepper, loudly. Only the
 * sample does this: an application built on the starter refuses to start without a pepper, as it should.
 */
class DevelopmentPepperEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String DEVELOPMENT_PEPPER = "sample-development-pepper-do-not-use-in-production";

    private final Log log;

    DevelopmentPepperEnvironmentPostProcessor(DeferredLogFactory logFactory) {
        this.log = logFactory.getLog(DevelopmentPepperEnvironmentPostProcessor.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (StringUtils.hasText(environment.getProperty("api-key.pepper"))) {
            return;
        }
        environment.getPropertySources().addFirst(new MapPropertySource("sampleDevelopmentPepper",
                Map.of("api-key.pepper", DEVELOPMENT_PEPPER)));
        log.warn(String.format("%n%n*** API_KEY_PEPPER is not set: the sample uses a fixed DEVELOPMENT pepper. ***%n"
                + "*** Anyone who reads this source can check guesses against its database.           ***%n"
                + "*** Set API_KEY_PEPPER to a long random secret before storing real keys.             ***%n"));
    }
}
