package dev.revshare.page;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The local store's page secret: a file of 32 random bytes (hex) beside the store, made on first use and readable by
 * its owner alone. Deleting it revokes every link given out locally.
 */
public final class FilePageSecret implements PageSecret {
    private final Path file;
    private byte[] secret;

    public FilePageSecret(Path file) {
        this.file = file;
    }

    @Override
    public synchronized byte[] current() {
        if (secret == null) {
            try {
                if (!Files.exists(file)) {
                    byte[] random = new byte[32];
                    new SecureRandom().nextBytes(random);
                    Files.createDirectories(file.toAbsolutePath().getParent());
                    Files.writeString(file, HexFormat.of().formatHex(random), StandardCharsets.US_ASCII);
                    try {
                        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                    } catch (UnsupportedOperationException notPosix) {
                        // Windows: the folder's own permissions apply
                    }
                }
                secret = Files.readString(file, StandardCharsets.US_ASCII).strip().getBytes(StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read or create the page secret " + file, e);
            }
        }
        return secret;
    }
}
