package dev.revshare.ingest;

/** Statements name customers only by Stripe id or a masked email, never by full name or address. */
public final class CustomerMask {
    private CustomerMask() {}

    /** "sarah@example.com" → "s***@example.com". */
    public static String maskEmail(String email) {
        int at = email.indexOf('@');
        if (at <= 0) {
            return "***";
        }
        return email.charAt(0) + "***" + email.substring(at);
    }
}
