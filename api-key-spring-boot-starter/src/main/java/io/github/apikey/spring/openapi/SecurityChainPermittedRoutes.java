package io.github.apikey.spring.openapi;

import java.util.function.Supplier;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.access.WebInvocationPrivilegeEvaluator;

/**
 * Asks the application's security chains, through Spring Security's {@link WebInvocationPrivilegeEvaluator} (the one
 * behind {@code sec:authorize-url}), whether an anonymous caller may call a route. Path variables are filled with a
 * placeholder segment, so a rule on {@code /items/*} answers for {@code /items/{id}}. Anything that fails to answer
 * counts as "needs a key": the document then claims too much security, never too little.
 */
public final class SecurityChainPermittedRoutes implements PermittedRoutes {

    private static final Authentication ANONYMOUS = new AnonymousAuthenticationToken("api-key-openapi",
            "anonymousUser", AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));

    private final Supplier<WebInvocationPrivilegeEvaluator> evaluator;

    public SecurityChainPermittedRoutes(Supplier<WebInvocationPrivilegeEvaluator> evaluator) {
        this.evaluator = evaluator;
    }

    @Override
    public boolean permitsAnyone(String method, String pathTemplate) {
        try {
            WebInvocationPrivilegeEvaluator privileges = evaluator.get();
            return privileges != null && privileges.isAllowed("", pathTemplate.replaceAll("\\{[^}/]*}", "x"),
                    method, ANONYMOUS);
        } catch (RuntimeException unanswerable) {
            return false;
        }
    }
}
