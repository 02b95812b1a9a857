package io.github.apikey.test.example;

// tag::example-controller[]
import io.github.apikey.spring.security.ApiKeyPrincipal;
import io.github.apikey.spring.security.ApiKeyProtected;

import java.util.List;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ReportController {

    @GetMapping("/reports")
    @ApiKeyProtected(scopes = "reports:read")
    List<String> reports(ApiKeyPrincipal caller) {
        return List.of("Report for " + caller.getName());
    }

    @GetMapping("/reports/drafts")
    @PreAuthorize("hasAuthority('SCOPE_reports:write')")
    List<String> drafts(ApiKeyPrincipal caller) {
        return List.of("Draft by " + caller.getName());
    }
}
// end::example-controller[]
