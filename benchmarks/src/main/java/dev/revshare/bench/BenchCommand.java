package dev.revshare.bench;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Function;

/** What the benchmarks' command lines share: --help, options refused with the usage, whole-number options. */
final class BenchCommand {
    private BenchCommand() {}

    /**
     * Parses the options, runs the benchmark and exits: DynamoDB Local's shard-rollover job keeps sleeping in a
     * non-daemon thread for minutes after shutdown().
     */
    static <O> void main(String name, String usage, String[] args, Function<String[], O> parse, Consumer<O> run) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.println(usage);
            return;
        }
        O options;
        try {
            options = parse.apply(args);
        } catch (IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage());
            System.err.println(usage);
            System.exit(2);
            return;
        }
        run.accept(options);
        System.exit(0);
    }

    /** A whole-number option: positive, or also 0 for --warmup; underscores allowed (100_000). */
    static int count(String name, String text) {
        try {
            int value = Integer.parseInt(text.replace("_", ""));
            if (value < 0 || (value == 0 && !name.equals("--warmup"))) {
                throw new IllegalArgumentException(name + " must be positive: " + text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " takes a whole number: " + text);
        }
    }

    static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
