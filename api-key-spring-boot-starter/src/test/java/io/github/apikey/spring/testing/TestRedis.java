package io.github.apikey.spring.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

import org.testcontainers.containers.GenericContainer;

/**
 * The Redis server on 127.0.0.1:6379 when it runs, else one in a container when Docker is there, else the test is
 * skipped (or fails, see {@link ExternalServices}).
 */
public final class TestRedis implements AutoCloseable {

    private final String host;
    private final int port;
    private final GenericContainer<?> container;

    private TestRedis(String host, int port, GenericContainer<?> container) {
        this.host = host;
        this.port = port;
        this.container = container;
    }

    public static TestRedis start() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 6379), 2000);
            return new TestRedis("127.0.0.1", 6379, null);
        } catch (IOException serverDown) {
            if (ExternalServices.dockerAvailable()) {
                GenericContainer<?> container = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
                container.start();
                return new TestRedis(container.getHost(), container.getMappedPort(6379), container);
            }
            throw ExternalServices.unavailable("Redis on 127.0.0.1:6379",
                    "start redis-server (.ci/run shows how) or Docker for Testcontainers", serverDown);
        }
    }

    public List<String> springProperties() {
        return List.of("spring.data.redis.host=" + host, "spring.data.redis.port=" + port);
    }

    @Override
    public void close() {
        if (container != null) {
            container.stop();
        }
    }
}
