package io.github.apikey.contract;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Nothing but the starter, as an application gets it: the default chain, the management API, keys in memory, and
 * springdoc. It records every answer so that the answers can be checked against the document.
 */
@SpringBootApplication
public class ContractApplication {

    /** First of all filters, so that the answers of the security chain are recorded too. */
    @Bean
    FilterRegistrationBean<RecordedExchanges.RecordingFilter> exchangeRecorder() {
        FilterRegistrationBean<RecordedExchanges.RecordingFilter> registration =
                new FilterRegistrationBean<>(new RecordedExchanges.RecordingFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
