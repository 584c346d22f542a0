package dev.revshare.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the tests' local servers share: a free port, and the project's own tools in .tools/. */
final class LocalTools {
    private LocalTools() {}

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A tool scripts/install-tools.sh puts under .tools/ ({@code relativePath}), found from the module folder
     * upwards, unless the environment variable {@code override} names another binary.
     */
    static Path projectTool(String relativePath, String override, String name) {
        String explicit = System.getenv(override);
        if (explicit != null) {
            return Path.of(explicit);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relativePath);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(name + " not installed: run scripts/install-tools.sh (`make test` runs it "
                + "for you), or set " + override + " to a " + name + " binary");
    }
}
