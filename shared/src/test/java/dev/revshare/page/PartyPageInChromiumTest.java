package dev.revshare.page;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revshare.signoff.Objection;
import dev.revshare.domain.Side;
import dev.revshare.testing.HeadlessChromium;
import java.awt.image.BufferedImage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The party page as a person uses it, in headless Chromium (Debian's chromium), served by the JDK's HTTP server over
 * DynamoDB Local: at a phone's and a desktop's width nothing overflows the window, the style block is allowed by the
 * Content-Security-Policy, and acknowledging and objecting work by clicking the page's own forms (the browser sends its
 * own Origin and Sec-Fetch-Site). Screenshots are kept in shared/target/ (party-page-phone.png, party-page-desktop.png,
 * party-page-objected.png) for a person to look at.
 */
class PartyPageInChromiumTest {

    @Test
    void aPartyReadsThePageOnAPhoneAndADesktopThenAcknowledgesAndTheOtherObjects() throws Exception {
        PageWorld world = new PageWorld();
        Path dir = Files.createDirectories(Path.of("target/chromium"));
        try (PageHttpServer server = PageHttpServer.start(world.page, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             HeadlessChromium chromium = HeadlessChromium.start(dir.resolve("party-page-chromium.log"))) {
            String expertLink = PartyPage.link(server.base(), world.token(world.sarah, Side.EXPERT));
            String partnerLink = PartyPage.link(server.base(), world.token(world.sarah, Side.PARTNER));

            for (var width : new int[][] {{390, 844, 1}, {1280, 900, 0}}) {
                chromium.size(width[0], width[1], width[2] == 1);
                chromium.open(expertLink);
                assertThat(chromium.evaluate("document.querySelector('h1').textContent").asText()).isEqualTo(world.sarah.name());
                // the one style block applied: the Content-Security-Policy allows it by its hash
                assertThat(chromium.evaluate("getComputedStyle(document.body).backgroundColor").asText()).isEqualTo("rgb(245, 246, 248)");
                assertThat(chromium.evaluate("document.documentElement.scrollWidth").asInt()).as("page width at %d px", width[0])
                        .isLessThanOrEqualTo(width[0]);
                assertThat(chromium.evaluate("[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > "
                        + width[0] + " + 0.5).map(e => e.tagName + '.' + e.className).join(',')").asText())
                        .as("elements past the right edge at %d px", width[0]).isEmpty();
                Path shot = Path.of(width[2] == 1 ? "target/party-page-phone.png" : "target/party-page-desktop.png");
                chromium.screenshot(shot);
                BufferedImage image = ImageIO.read(shot.toFile());
                assertThat(image.getWidth()).isEqualTo(width[0]);
                assertThat(image.getHeight()).isGreaterThan(width[1]);
            }

            // the expert acknowledges October by clicking the page's button
            chromium.evaluate("document.querySelector('#s-2026-10 form[action$=\"/acknowledge\"] button').click()");
            chromium.waitFor("location.search.includes('done=acknowledged') && document.readyState === 'complete'");
            assertThat(chromium.evaluate("document.querySelector('.banner').textContent").asText())
                    .contains("acknowledgement of the statement for October 2026 is recorded");
            assertThat(world.signOffStore.acknowledgements(world.sarah.id(), PageWorld.OCTOBER))
                    .singleElement().extracting(a -> a.side()).isEqualTo(Side.EXPERT);

            // the partner objects to the refund, with a reason typed into the form
            chromium.open(partnerLink);
            chromium.evaluate("(() => { const card = document.querySelector('#s-2026-10'); card.querySelector('details').open = true;"
                    + " card.querySelector('input[value=\"re_oct2\"]').click();"
                    + " card.querySelector('textarea').value = 'This refund belongs to another course';"
                    + " card.querySelector('form[action$=\"/object\"] button').click(); })()");
            chromium.waitFor("location.search.includes('done=objected') && document.readyState === 'complete'");
            chromium.screenshot(Path.of("target/party-page-objected.png"));
            assertThat(chromium.evaluate("document.querySelector('#s-2026-10 .state').textContent").asText())
                    .startsWith("Objected to by Dalai Digital (partner)");
        }
        assertThat(world.signOffStore.objections(world.sarah.id())).singleElement().satisfies(o -> {
            assertThat(o.side()).isEqualTo(Side.PARTNER);
            assertThat(o.lineIds()).containsExactly("re_oct2");
            assertThat(o.reason()).isEqualTo("This refund belongs to another course");
            assertThat(o.open()).isTrue();
        });
        assertThat(world.sent.get(world.sent.size() - 1).recipients()).containsExactly("sarah@example.com");
        assertThat(world.signOffStore.objections(world.sarah.id())).extracting(Objection::period).containsExactly(PageWorld.OCTOBER);
    }
}
