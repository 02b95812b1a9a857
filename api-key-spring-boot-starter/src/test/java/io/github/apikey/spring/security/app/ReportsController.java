package io.github.apikey.spring.security.app;

import io.github.apikey.spring.security.ApiKeyProtected;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The class-level annotation applies to every method; a method's own annotation replaces it. */
@RestController
@ApiKeyProtected(scopes = "reports")
public class ReportsController {

    @GetMapping("/reports")
    String reports() {
        return "reports";
    }

    @GetMapping("/reports/audit")
    @ApiKeyProtected(scopes = "audit")
    String audit() {
        return "audit";
    }
}
