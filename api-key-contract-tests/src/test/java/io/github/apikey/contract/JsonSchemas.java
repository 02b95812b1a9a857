package io.github.apikey.contract;

import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Validates JSON against schemas of an OpenAPI 3.1 document. Each schema is validated as the root of a copy that also
 * holds the document's {@code components}, so that its {@code $ref: '#/components/schemas/...'} resolve as they do in
 * the document.
 */
final class JsonSchemas {

    private static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

    private final JsonNode components;

    JsonSchemas(JsonNode document) {
        this.components = document.get("components");
    }

    /** The errors of {@code json} against {@code schema}; empty when it is valid. */
    List<String> validate(JsonNode schema, String json) {
        ObjectNode root = (ObjectNode) schema.deepCopy();
        root.put("$schema", DIALECT);
        root.set("components", components.deepCopy());
        return SchemaValidation.errors(root, json);
    }
}
