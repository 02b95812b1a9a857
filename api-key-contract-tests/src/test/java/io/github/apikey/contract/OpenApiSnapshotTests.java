package io.github.apikey.contract;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.test.web.server.LocalServerPort;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client is generated from a committed snapshot of the document (generation runs before any server can), so the
 * snapshot must be the live document: this test fails on any difference, and writes the live document to
 * {@code target/openapi.json} for the lint in {@code .ci/run}. After an intended change of the API, refresh the
 * snapshot with {@code ./mvnw -pl api-key-contract-tests -am verify -Dopenapi.snapshot.update=true}.
 */
@ContractServer
class OpenApiSnapshotTests {

    static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @LocalServerPort
    int port;

    @Test
    void theCommittedSnapshotIsTheLiveDocument() throws Exception {
        JsonNode live = liveDocument(port);
        Files.createDirectories(Path.of(System.getProperty("openapi.export")).getParent());
        Files.writeString(Path.of(System.getProperty("openapi.export")), JSON.writeValueAsString(live));

        Path snapshot = Path.of(System.getProperty("openapi.snapshot"));
        JsonNode withoutServers = withoutServers(live);
        if (Boolean.getBoolean("openapi.snapshot.update")) {
            Files.writeString(snapshot, JSON.writeValueAsString(withoutServers) + "\n");
        }
        assertThat(JSON.readTree(Files.readString(snapshot)))
                .as("%s is not the live document; refresh it with -Dopenapi.snapshot.update=true and review the diff",
                        snapshot)
                .isEqualTo(withoutServers);
    }

    static JsonNode liveDocument(int port) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/v3/api-docs"))
                .header("Authorization", "Bearer " + ContractServer.ADMIN_KEY).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** The server's address differs from run to run (a random port); clients set their own anyway. */
    private static JsonNode withoutServers(JsonNode document) {
        ObjectNode copy = (ObjectNode) document.deepCopy();
        copy.remove("servers");
        return copy;
    }
}
