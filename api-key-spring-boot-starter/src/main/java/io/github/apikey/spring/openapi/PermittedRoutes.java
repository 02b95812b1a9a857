package io.github.apikey.spring.openapi;

/** Whether the application's security lets anyone, without credentials, call a route of the OpenAPI document. */
@FunctionalInterface
public interface PermittedRoutes {

    /** None: every route needs a key. */
    PermittedRoutes NONE = (method, pathTemplate) -> false;

    /**
     * @param method       an HTTP method, upper case
     * @param pathTemplate a path as the document spells it, possibly with {@code {variables}}
     */
    boolean permitsAnyone(String method, String pathTemplate);
}
