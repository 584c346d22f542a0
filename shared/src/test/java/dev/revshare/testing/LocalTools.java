package dev.revshare.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the tests' local servers share: a free port, and the project's own tools in .tools/. */
final class LocalTools {
    private LocalTools() {}

    static int freePort() {
        return freePorts(1)[0];
    }

    /**
     * {@code count} ports free now, all different: held open together while they are chosen, since a port just closed
     * is often the next one the system hands out (two emulator listeners once got the same one).
     */
    static int[] freePorts(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // only ever listened; nothing to lose
                    }
                }
            }
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
