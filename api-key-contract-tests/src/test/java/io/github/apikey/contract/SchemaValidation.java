package io.github.apikey.contract;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import tools.jackson.databind.node.ObjectNode;

/** JSON Schema 2020-12 validation, with networknt's json-schema-validator. */
final class SchemaValidation {

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Map<String, Schema> COMPILED = new ConcurrentHashMap<>();

    private SchemaValidation() {
    }

    static List<String> errors(ObjectNode schema, String json) {
        Schema compiled = COMPILED.computeIfAbsent(schema.toString(), REGISTRY::getSchema);
        try {
            return compiled.validate(json, InputFormat.JSON).stream().map(Error::toString).toList();
        } catch (RuntimeException unreadable) {
            return List.of("not JSON: " + unreadable.getMessage());
        }
    }
}
