package dev.revshare.statements;

import dev.revshare.domain.Statement;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The email's small chart of the recent months: one bar per month, its net revenue in light blue with the
 * partner's share in dark blue over it. A PNG with no text in it (fonts differ from machine to machine,
 * and Lambda has few): the months and amounts are written under it in the email.
 */
public final class StatementChart {
    static final int WIDTH = 560;
    static final int HEIGHT = 140;
    private static final Color REVENUE = new Color(0x9E, 0xC5, 0xFE);
    private static final Color PARTNER = new Color(0x1D, 0x4E, 0xD8);
    private static final Color AXIS = new Color(0xCB, 0xD2, 0xD9);

    private StatementChart() {}

    /** Whether there is history to draw: at least two months. */
    public static boolean worthDrawing(Statement statement) {
        return statement.recentPartnerShares().size() >= 2;
    }

    public static byte[] png(List<Statement.MonthShare> months) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            long top = 1;
            long bottom = 0;
            for (Statement.MonthShare month : months) {
                top = Math.max(top, Math.max(month.netRevenue(), month.partnerShare()));
                bottom = Math.min(bottom, Math.min(month.netRevenue(), month.partnerShare()));
            }
            int padding = 6;
            int plotHeight = HEIGHT - 2 * padding;
            int baseline = padding + (int) Math.round(plotHeight * (double) top / (top - bottom));
            int slot = (WIDTH - 2 * padding) / Math.max(1, months.size());
            int barWidth = Math.max(4, slot * 3 / 5);
            for (int i = 0; i < months.size(); i++) {
                int x = padding + i * slot + (slot - barWidth) / 2;
                bar(g, REVENUE, x, barWidth, baseline, months.get(i).netRevenue(), plotHeight, top - bottom);
                bar(g, PARTNER, x + barWidth / 4, barWidth / 2, baseline, months.get(i).partnerShare(), plotHeight, top - bottom);
            }
            g.setColor(AXIS);
            g.fillRect(padding, baseline, WIDTH - 2 * padding, 1);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void bar(Graphics2D g, Color color, int x, int width, int baseline, long value, int plotHeight, long range) {
        int height = (int) Math.round(plotHeight * (double) Math.abs(value) / range);
        g.setColor(color);
        if (value >= 0) {
            g.fillRect(x, baseline - height, width, height);
        } else {
            g.fillRect(x, baseline + 1, width, height);
        }
    }
}
