package io.github.apikey.spring.security.ordering;

import io.github.apikey.spring.security.ApiKeyProtected;

import java.security.Principal;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class OrderingController {

    @GetMapping("/whoami")
    String whoami(Principal principal) {
        return principal.getName();
    }

    @GetMapping("/reports")
    @ApiKeyProtected(scopes = "reports:read")
    String reports() {
        return "reports";
    }

    @GetMapping("/admin")
    String admin() {
        return "admin";
    }

    @PostMapping("/echo")
    String echo(@RequestBody String body) {
        return body;
    }
}
