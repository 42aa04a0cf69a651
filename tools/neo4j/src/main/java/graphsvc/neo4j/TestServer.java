package graphsvc.neo4j;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * A throw-away Neo4j community server for graphsvc's tests.
 *
 * <p>Bolt listens on 127.0.0.1 at a free port, authentication is on (user neo4j, the
 * password given in the environment variable NEO4J_TEST_PASSWORD), and the data lives in
 * a new temporary folder that is deleted on exit. When the server accepts connections,
 * its URI (neo4j://127.0.0.1:PORT) is printed as the only line on standard output. The
 * process stops cleanly on SIGTERM or SIGINT.
 *
 * <p>Arguments: {@code --plugins DIR} loads procedure jars from DIR; {@code --conf
 * key=value} sets any Neo4j setting (repeatable).
 */
public final class TestServer {
    private TestServer() {}

    public static void main(String[] args) throws Exception {
        String password = System.getenv("NEO4J_TEST_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("set NEO4J_TEST_PASSWORD to a password of at least 8 characters");
            System.exit(2);
        }
        Map<String, String> conf = new LinkedHashMap<>();
        // nothing leaves the machine, and a stop does not wait for idle Bolt threads
        conf.put("dbms.usage_report.enabled", "false");
        conf.put("internal.server.bolt.thread_pool_shutdown_wait_time", "0s");
        conf.put("internal.server.bolt.connection_shutdown_wait_time", "0s");
        Path plugins = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--plugins") && i + 1 < args.length) {
                plugins = Path.of(args[++i]).toAbsolutePath();
            } else if (args[i].equals("--conf") && i + 1 < args.length && args[i + 1].contains("=")) {
                String[] kv = args[++i].split("=", 2);
                conf.put(kv[0], kv[1]);
            } else {
                System.err.println("unknown argument " + args[i] + "; use --plugins DIR or --conf key=value");
                System.exit(2);
            }
        }

        long started = System.nanoTime();
        Path home = Files.createTempDirectory("graphsvc-neo4j-");
        int port = freePort();
        // the advertised address must carry the real port: neo4j:// clients route with it
        SocketAddress address = new SocketAddress("127.0.0.1", port);
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, address)
                .setConfig(GraphDatabaseSettings.default_advertised_address, new SocketAddress("127.0.0.1"))
                .setConfig(BoltConnector.advertised_address, address)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, 128L * 1024 * 1024);
        if (plugins != null) {
            builder.setConfig(GraphDatabaseSettings.plugin_dir, plugins);
        }
        Path file = home.resolve("neo4j.conf");
        StringBuilder lines = new StringBuilder();
        conf.forEach((k, v) -> lines.append(k).append('=').append(v).append('\n'));
        Files.writeString(file, lines);
        builder.loadPropertiesFromFile(file);
        DatabaseManagementService dbms;
        try {
            dbms = builder.build();
        } catch (RuntimeException e) {
            delete(home);  // a server that did not start leaves nothing behind
            throw e;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long stopping = System.nanoTime();
            try {
                dbms.shutdown();
                System.err.printf("Neo4j stopped in %.1f s%n", (System.nanoTime() - stopping) / 1e9);
            } finally {
                delete(home);
                stopped.countDown();
            }
        }));

        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        system.executeTransactionally(
                "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
        dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).isAvailable(Duration.ofMinutes(1).toMillis());

        System.err.printf("Neo4j %s started in %.1f s, data in %s%n",
                org.neo4j.kernel.internal.Version.getNeo4jVersion(),
                (System.nanoTime() - started) / 1e9, home);
        System.out.println("neo4j://127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void delete(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e.getMessage());
        }
    }
}
