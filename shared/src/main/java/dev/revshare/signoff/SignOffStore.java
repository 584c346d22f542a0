package dev.revshare.signoff;

import java.time.YearMonth;
import java.util.List;
import java.util.Optional;

/**
 * Where the parties' sign-offs live, apart from the statements they are about (an issued statement never
 * changes). Every write is conditional: an acknowledgement is recorded once per party and statement, an objection
 * once under its id, and a resolution once per objection.
 */
public interface SignOffStore {

    /** Records the acknowledgement; false when the party had acknowledged the statement before (nothing changes). */
    boolean acknowledge(Acknowledgement acknowledgement);

    /** Records a new, open objection; false when one with its id exists (nothing changes). */
    boolean object(Objection objection);

    /** The statement's acknowledgements, expert first. */
    List<Acknowledgement> acknowledgements(String agreementId, YearMonth period);

    /** The agreement's objections, oldest month first, then in the order they were made. */
    List<Objection> objections(String agreementId);

    Optional<Objection> objection(String agreementId, String objectionId);

    /** Settles an open objection; false when there is none open under the id (nothing changes). */
    boolean resolve(String agreementId, String objectionId, Objection.Resolution resolution);
}
