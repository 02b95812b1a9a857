package io.github.apikey.spring.security.mixed;

import java.security.Principal;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

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
