package dev.revshare.simulate;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * What {@link WhatIf} found: for each month, the statement as it is (issued, or previewed when not issued yet) and
 * as it would be under the proposed terms, both without their lines.
 *
 * @param previewedAt the instant months not issued yet were computed as closed at
 */
public record Simulation(Agreement recorded, Agreement proposed, String source, YearMonth from, YearMonth to,
                         Instant previewedAt, List<Month> months) {

    public Simulation {
        months = List.copyOf(months);
    }

    /**
     * @param issued true when {@code asIs} is the issued statement; false when it is a preview (the month is not
     *               issued yet)
     */
    public record Month(YearMonth period, boolean issued, Statement asIs, Statement proposed) {

        /** The partner's share as proposed less as it is: positive when the proposal gives the partner more. */
        public long difference() {
            return Math.subtractExact(proposed.totals().partnerShare(), asIs.totals().partnerShare());
        }
    }

    public long total(ToLongFunction<Statement> figure, boolean proposedSide) {
        return months.stream().mapToLong(m -> figure.applyAsLong(proposedSide ? m.proposed() : m.asIs()))
                .reduce(0, Math::addExact);
    }

    public long totalDifference() {
        return months.stream().mapToLong(Month::difference).reduce(0, Math::addExact);
    }

    /** An agreement year's entitlement as a statement has it after its month, if the year has any line yet. */
    public static Optional<Statement.YearSummary> year(Statement statement, int agreementYear) {
        return statement.years().stream().filter(y -> y.agreementYear() == agreementYear).findFirst();
    }
}
