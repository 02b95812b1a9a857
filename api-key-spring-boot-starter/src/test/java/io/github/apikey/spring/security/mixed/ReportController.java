package io.github.apikey.spring.security.mixed;

import io.github.apikey.spring.security.ApiKeyPrincipal;
import io.github.apikey.spring.security.ApiKeyProtected;

import java.security.Principal;
import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

// tag::annotated-controller[]
@RestController
class ReportController {

    @GetMapping("/reports")
    @ApiKeyProtected(scopes = "reports:read")
    List<String> reports(ApiKeyPrincipal caller) {
        return List.of("Report for " + caller.getName());
    }
}
// end::annotated-controller[]

@RestController
class OtherController {

    @GetMapping("/public")
    String open() {
        return "public";
    }

    @GetMapping("/whoami")
    String whoami(Principal principal) {
        return principal.getName();
    }

    @PostMapping("/echo")
    String echo(@RequestBody String body) {
        return body;
    }
}
