package dev.revshare.page;

/**
 * The key party links are signed with (SSM on the stack, a file under the data folder locally). Changing it revokes
 * every link given out: they no longer verify.
 */
@FunctionalInterface
public interface PageSecret {
    /** At least 32 bytes; read when a link is signed or checked. */
    byte[] current();
}
