package dev.revshare.statements;

import dev.revshare.domain.ShareAdjustment;
import java.util.List;

/** The agreed adjustments of settled objections, which statements closed after them carry (the sign-off store's). */
@FunctionalInterface
public interface ShareAdjustments {
    ShareAdjustments NONE = agreementId -> List.of();

    List<ShareAdjustment> of(String agreementId);
}
