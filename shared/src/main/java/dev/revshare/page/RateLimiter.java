package dev.revshare.page;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * At most {@code limit} requests per link in any {@code window} (a fixed window per link, in this process: a function
 * instance on the stack). Remembers at most {@link #TRACKED} links, the least recently seen forgotten first, so a flood
 * of made-up links cannot grow it.
 */
public final class RateLimiter implements RequestLimit {
    static final int TRACKED = 10_000;

    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Window> windows = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
            return size() > TRACKED;
        }
    };

    private record Window(Instant start, int count) {}

    public RateLimiter(int limit, Duration window, Clock clock) {
        this.limit = limit;
        this.window = window;
        this.clock = clock;
    }

    @Override
    public synchronized boolean allow(String key) {
        Instant now = clock.instant();
        Window current = windows.get(key);
        if (current == null || !now.isBefore(current.start().plus(window))) {
            current = new Window(now, 0);
        }
        current = new Window(current.start(), current.count() + 1);
        windows.put(key, current);
        return current.count() <= limit;
    }

    @Override
    public synchronized long retryAfterSeconds(String key) {
        Window current = windows.get(key);
        if (current == null) {
            return 0;
        }
        return Math.max(1, Duration.between(clock.instant(), current.start().plus(window)).toSeconds());
    }
}
