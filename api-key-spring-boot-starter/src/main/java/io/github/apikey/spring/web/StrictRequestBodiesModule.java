package io.github.apikey.spring.web;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.DeserializationProblemHandler;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.module.SimpleModule;

/**
 * Makes the management API's request bodies ({@link ApiKeyRequests}) refuse fields they do not have, and leaves every
 * other type as the application configured it. Spring Boot ignores unknown fields by default, which turns a typo into
 * silent data loss here: {@code {"name":"x","active":false}} would create an active key, and {@code {"scope":["write"]}}
 * one without scopes. The refusal becomes a 400 whose {@code field} names the unknown field.
 *
 * <p>A module, because the strictness must live in the application's own JSON mapper (Spring Boot registers module
 * beans in it) without changing that mapper for anything else.
 */
public final class StrictRequestBodiesModule extends SimpleModule {

    private static final long serialVersionUID = 1L;

    public StrictRequestBodiesModule() {
        super("api-key-strict-request-bodies");
    }

    @Override
    public void setupModule(SetupContext context) {
        super.setupModule(context);
        context.addHandler(new UnknownFieldsRefused());
    }

    /** Whether {@code type} is one of the management API's request bodies. */
    static boolean isRequestBody(Class<?> type) {
        return type != null && type.getEnclosingClass() == ApiKeyRequests.class;
    }

    private static final class UnknownFieldsRefused extends DeserializationProblemHandler {

        @Override
        public boolean handleUnknownProperty(DeserializationContext context, JsonParser parser,
                                             ValueDeserializer<?> deserializer, Object beanOrClass,
                                             String propertyName) {
            Class<?> type = beanOrClass instanceof Class<?> declared ? declared
                    : beanOrClass == null ? null : beanOrClass.getClass();
            if (isRequestBody(type)) {
                throw UnrecognizedPropertyException.from(parser, beanOrClass, propertyName,
                        deserializer == null ? null : deserializer.getKnownPropertyNames());
            }
            // Not ours: whatever the application's mapper does with unknown fields.
            return false;
        }
    }
}
