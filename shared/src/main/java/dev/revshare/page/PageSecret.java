package dev.revshare.page;

/**
 * The key party links are signed with (SSM on the stack, a file under the data folder locally). Changing it revokes
 * every link given out: they no longer verify.
 */
@FunctionalInterface
public interface PageSecret {
    /**
     * At least 32 bytes; read when a link is signed or checked.
     *
     * @throws Missing when there is no secret at all (none was put): a state a person must put right, unlike a store
     *                 that failed to answer, which throws anything else
     */
    byte[] current();

    /**
     * There is no page secret (the SSM parameter does not exist). Its message says what to put where, never a value.
     * An IllegalStateException, so that whatever does not look for it fails as for any other missing setting.
     */
    final class Missing extends IllegalStateException {
        public Missing(String whatToDo) {
            super(whatToDo);
        }
    }
}
