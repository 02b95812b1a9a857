package io.github.apikey.spring.security.mixed;

// The README shows the code between the tag lines verbatim; ReadmeSnippetTests keeps the two equal.
// tag::annotated-controller[]
import io.github.apikey.spring.security.ApiKeyPrincipal;
import io.github.apikey.spring.security.ApiKeyProtected;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ReportController {

    @GetMapping("/reports")
    @ApiKeyProtected(scopes = "reports:read")
    List<String> reports(ApiKeyPrincipal caller) {
        return List.of("Report for " + caller.getName());
    }
}
// end::annotated-controller[]
