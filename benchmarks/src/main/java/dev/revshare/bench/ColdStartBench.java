package dev.revshare.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revshare.agreements.AgreementFile;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.bench.ChargeSucceededDeliveries.Delivery;
import dev.revshare.bench.hello.HelloWorldFunction;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.json.Json;
import dev.revshare.testing.DynamoDbLocalServer;
import dev.revshare.testing.LambdaRuntimeEmulator;
import dev.revshare.testing.LambdaRuntimeEmulator.Answer;
import dev.revshare.testing.MotoServer;
import dev.revshare.testing.SamTemplate;
import dev.revshare.testing.TestLedger;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * Cold start under Lambda's own runtime, as far as it runs on this machine: each function's packaged jar, laid
 * out by its `sam build` rule, started by the Java runtime interface client under the Runtime Interface
 * Emulator (a fresh emulator and JVM every time), against a hello-world handler jar started the same way. What
 * is timed is the first invocation: from starting the emulator to the first byte of the function's answer
 * (the emulator starts the JVM at the first invocation, as Lambda does). Three functions, in one run:
 * <ul>
 *   <li><b>hello world</b>: {@link HelloWorldFunction}, a RequestHandler returning a constant;</li>
 *   <li><b>webhook</b>: StripeWebhookFunction given one signed {@code charge.succeeded} delivery of about 3 KB
 *       in the events/ Function URL request, which must answer 200 {@code recorded} (secret from SSM in moto,
 *       the booking in DynamoDB Local); its first answer should take at most {@value #WEBHOOK_TARGET}× the
 *       hello world's;</li>
 *   <li><b>statements</b>: StatementWorkerFunction (what closes and sends statements; the daily run only queues
 *       them) given the SQS event of events/statement-worker/closing-job.json naming one agreement-month, which it
 *       must close and send (a fresh table each time).</li>
 * </ul>
 * Each with the template's JAVA_TOOL_OPTIONS and without. The ratios are medians of the rounds' ratios. A
 * report, not a test: it exits 0 whatever the numbers (SnapStart, which Lambda offers, cannot run here).
 *
 * <pre>make bench-coldstart   # or: make bench-coldstart COLDSTART_BENCH_ARGS="--rounds 3"</pre>
 */
public final class ColdStartBench {
    static final double WEBHOOK_TARGET = 1.50;
    static final String SECRET = "whsec_revshare_coldstart";
    static final String SENDER = "statements@revshare.example";
    /** A string, not HelloWorldFunction.class: this JVM has no Lambda interfaces to load it with (the runtime has). */
    static final String HELLO_HANDLER = "dev.revshare.bench.hello.HelloWorldFunction::handleRequest";
    private static final String TABLE = "revshare-coldstart";
    private static final String BUS = "revshare-coldstart";
    private static final String CONFIGURATION_SET = "revshare-coldstart";
    /** The benchmark agreement's term starts in October 2026: the scheduled run of 2026-11-05 closes that month alone. */
    private static final String AGREEMENT_YAML = WebhookBench.AGREEMENT_YAML.replace("start: 2025-11-01", "start: 2026-10-01");

    enum Subject {
        HELLO("hello world"), WEBHOOK("webhook"), STATEMENTS("statements");

        final String label;

        Subject(String label) {
            this.label = label;
        }
    }

    /** JVM options the function gets in JAVA_TOOL_OPTIONS (null: none). */
    record Variant(String label, String javaToolOptions) {}

    /** Medians of one variant: milliseconds to the first byte by subject, and each function's ratio to hello world. */
    record VariantResult(Variant variant, Map<Subject, Long> medianMillis, Map<Subject, Double> ratio) {}

    record Report(List<VariantResult> variants) {}

    private final Options options;
    private final PrintStream out;
    private final SamTemplate template = SamTemplate.load();
    private final Path buildDir = template.directory().resolve("benchmarks/target/coldstart");
    private final SamTemplate.LambdaFunction webhook = template.function("StripeWebhookFunction");
    private final SamTemplate.LambdaFunction statements = template.function("StatementWorkerFunction");
    private MotoServer moto;
    private DynamoDbLocalServer dynamo;
    private Agreement agreement;
    private int runs;

    ColdStartBench(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        BenchCommand.main("coldstart-bench", Options.USAGE, args, Options::parse,
                options -> new ColdStartBench(options, System.out).run());
    }

    /** Measures every subject and variant and prints the report; returns it for the smoke test. */
    Report run() {
        long started = System.nanoTime();
        if (System.getProperty("lambda.runtime.dir") == null) {
            System.setProperty("lambda.runtime.dir", template.directory().resolve("benchmarks/target/lambda-runtime").toString());
        }
        Map<Subject, Path> taskRoots = new EnumMap<>(Subject.class);
        taskRoots.put(Subject.HELLO, helloWorldTaskRoot());
        taskRoots.put(Subject.WEBHOOK, webhook.build(buildDir));
        taskRoots.put(Subject.STATEMENTS, statements.build(buildDir));
        prepareLocalParts();
        String templateOptions = webhook.environment(Map.of("RevshareTable", TABLE)).get("JAVA_TOOL_OPTIONS");
        List<Variant> variants = new ArrayList<>(List.of(new Variant("template's JAVA_TOOL_OPTIONS", templateOptions), new Variant("no JAVA_TOOL_OPTIONS", null)));
        if (options.extraJavaOptions() != null) {
            // a JVM option tried side by side with the template's, e.g. an AppCDS archive or a class-loading log
            variants.add(new Variant("template's + extra", templateOptions + " " + options.extraJavaOptions()));
        }

        out.println("revshare cold-start benchmark: the first invocation of a fresh JVM under aws-lambda-rie and the Java runtime");
        out.println("interface client (" + LambdaRuntimeEmulator.runtimeClient().getFileName() + "), from starting the emulator to the "
                + "first byte of the answer");
        out.printf(Locale.ROOT, "  Java %s (%s), %d cores; every function in a fresh emulator and JVM each time%n", Runtime.version(),
                System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "  hello world: %s, %s%n", HELLO_HANDLER, size(taskRoots.get(Subject.HELLO)));
        out.printf(Locale.ROOT, "  webhook:     %s, %s; one signed charge.succeeded, answered 200 recorded%n", webhook.handler(),
                size(taskRoots.get(Subject.WEBHOOK)));
        out.printf(Locale.ROOT, "  statements:  %s, %s; events/statement-worker/closing-job.json, one agreement-month of %d lines sent%n",
                statements.handler(), size(taskRoots.get(Subject.STATEMENTS)), options.lines());
        out.printf(Locale.ROOT, "  template's JAVA_TOOL_OPTIONS: %s%n", templateOptions);
        out.printf(Locale.ROOT, "  Rounds: %d warm-up, %d measured; the order of the three turns each round%n", options.warmup(), options.rounds());
        out.printf(Locale.ROOT, "  %-10s %-29s %12s %12s %12s%n", "round", "", "hello world", "webhook", "statements");

        Map<Variant, List<Map<Subject, Long>>> measured = new LinkedHashMap<>();
        variants.forEach(v -> measured.put(v, new ArrayList<>()));
        for (int i = 0; i < options.warmup() + options.rounds(); i++) {
            boolean warmup = i < options.warmup();
            String label = warmup ? "warm-up " + (i + 1) : "round " + (i - options.warmup() + 1);
            for (Variant variant : variants) {
                Map<Subject, Long> millis = new EnumMap<>(Subject.class);
                for (int k = 0; k < Subject.values().length; k++) {
                    Subject subject = Subject.values()[(i + k) % Subject.values().length];
                    millis.put(subject, coldStart(subject, variant, taskRoots.get(subject)));
                }
                out.printf(Locale.ROOT, "  %-10s %-29s %9d ms %9d ms %9d ms%n", label, variant.label(), millis.get(Subject.HELLO),
                        millis.get(Subject.WEBHOOK), millis.get(Subject.STATEMENTS));
                if (!warmup) {
                    measured.get(variant).add(millis);
                }
            }
        }

        List<VariantResult> results = new ArrayList<>();
        out.println();
        out.printf(Locale.ROOT, "  %-29s %-12s %14s %14s %10s%n", "medians", "function", "first byte", "x hello world", "target");
        for (Variant variant : variants) {
            List<Map<Subject, Long>> rounds = measured.get(variant);
            Map<Subject, Long> medians = new EnumMap<>(Subject.class);
            Map<Subject, Double> ratios = new EnumMap<>(Subject.class);
            for (Subject subject : Subject.values()) {
                medians.put(subject, BenchCommand.median(rounds.stream().mapToLong(r -> r.get(subject)).toArray()));
                ratios.put(subject, WebhookBench.medianRatio(rounds.stream()
                        .mapToDouble(r -> (double) r.get(subject) / r.get(Subject.HELLO)).toArray()));
            }
            for (Subject subject : Subject.values()) {
                String target = subject == Subject.WEBHOOK
                        ? String.format(Locale.ROOT, "<= %.2fx %s", WEBHOOK_TARGET, ratios.get(subject) <= WEBHOOK_TARGET ? "ok" : "OVER") : "";
                out.printf(Locale.ROOT, "  %-29s %-12s %11d ms %13s %10s%n", subject == Subject.HELLO ? variant.label() : "",
                        subject.label, medians.get(subject), subject == Subject.HELLO ? "" : String.format(Locale.ROOT, "%.2fx",
                                ratios.get(subject)), target);
            }
            results.add(new VariantResult(variant, medians, ratios));
        }
        out.println();
        for (VariantResult result : results) {
            double ratio = result.ratio().get(Subject.WEBHOOK);
            out.printf(Locale.ROOT, "RESULT webhook's first answer / hello world's, %s: %.2fx (%d ms / %d ms; target <= %.2fx): %s%n",
                    result.variant().label(), ratio, result.medianMillis().get(Subject.WEBHOOK), result.medianMillis().get(Subject.HELLO),
                    WEBHOOK_TARGET, ratio <= WEBHOOK_TARGET ? "ok" : "OVER");
        }
        out.printf(Locale.ROOT, "Total time %.1f s%n", (System.nanoTime() - started) / 1e9);
        return new Report(results);
    }

    /** One cold start: a fresh emulator and JVM, one invocation whose answer is checked; milliseconds to its first byte. */
    private long coldStart(Subject subject, Variant variant, Path taskRoot) {
        Map<String, String> environment = new HashMap<>(LambdaRuntimeEmulator.localAws(moto, dynamo));
        String statementsTable = TABLE + "-" + (++runs);
        switch (subject) {
            case HELLO -> environment.putAll(LambdaRuntimeEmulator.lambdaEnvironment("revshare-HelloWorld", webhook.memorySize(), 30));
            case WEBHOOK -> environment.putAll(webhook.environment(Map.of("RevshareTable", TABLE)));
            case STATEMENTS -> {
                monthToClose(statementsTable);
                environment.putAll(statements.environment(Map.of("RevshareTable", statementsTable, "StatementsEventBus", BUS,
                        "StatementsConfigurationSet", CONFIGURATION_SET, "SenderEmail", SENDER,
                        "PartyPageFunctionUrl.FunctionUrl", "https://page.example/")));
            }
        }
        environment.remove("JAVA_TOOL_OPTIONS");
        if (variant.javaToolOptions() != null) {
            environment.put("JAVA_TOOL_OPTIONS", variant.javaToolOptions());
        }
        String event = switch (subject) {
            case HELLO -> "{\"greeting\":\"hello\"}";
            case WEBHOOK -> signedDelivery();
            case STATEMENTS -> closingJob();
        };
        int sentBefore = subject == Subject.STATEMENTS ? moto.sentRawMessages().size() : 0;
        try (LambdaRuntimeEmulator emulator = switch (subject) {
            case HELLO -> LambdaRuntimeEmulator.start(taskRoot, HELLO_HANDLER, environment);
            case WEBHOOK -> LambdaRuntimeEmulator.start(webhook, taskRoot, environment);
            case STATEMENTS -> LambdaRuntimeEmulator.start(statements, taskRoot, environment);
        }) {
            Answer answer = emulator.invoke(event);
            String problem = problemWith(subject, answer, sentBefore);
            if (problem != null) {
                throw new IllegalStateException(subject.label + " (" + variant.label() + ") answered wrongly: " + problem
                        + "\nthe emulator's output:\n" + emulator.output());
            }
            return answer.firstByteSinceStart().toMillis();
        }
    }

    /** Why the answer is not the one expected, or null. */
    private String problemWith(Subject subject, Answer answer, int sentBefore) {
        if (answer.status() != 200) {
            return "invoke API status " + answer.status() + ": " + answer.body();
        }
        return switch (subject) {
            case HELLO -> answer.body().equals(Json.write(HelloWorldFunction.ANSWER)) ? null : answer.body();
            case WEBHOOK -> {
                JsonNode response = answer.json();
                String outcome = Json.read(response.path("body").asText("{}"), JsonNode.class).path("outcome").asText();
                yield response.path("statusCode").asInt() == 200 && outcome.equals("recorded") ? null : answer.body();
            }
            case STATEMENTS -> answer.json().path("batchItemFailures").isArray()
                    && answer.json().path("batchItemFailures").isEmpty()
                    && moto.sentRawMessages().size() == sentBefore + 2 ? null : answer.body(); // a message to each party
        };
    }

    /** A new payment each time, signed now (the function checks the signature against its own clock). */
    private String signedDelivery() {
        Delivery delivery = new ChargeSucceededDeliveries(agreement.stripeAccount(), SECRET, Instant.now(), false, runs).next();
        ObjectNode request = (ObjectNode) Json.read(read("events/stripe-webhook/charge-succeeded.json"), JsonNode.class);
        ((ObjectNode) request.path("headers")).put("stripe-signature", delivery.signatureHeader());
        ((ObjectNode) request.path("headers")).put("content-length", Integer.toString(delivery.body().length()));
        request.put("body", delivery.body());
        return Json.write(request);
    }

    /** A fresh table holding the agreement and its October lines: the scheduled run has that month to close and send. */
    /** The sample SQS event, its message naming the benchmark's agreement and the month {@link #monthToClose} fills. */
    private String closingJob() {
        ObjectNode event = (ObjectNode) Json.read(read("events/statement-worker/closing-job.json"), JsonNode.class);
        ((ObjectNode) event.path("Records").path(0)).put("body",
                Json.write(new dev.revshare.statements.ClosingJob(agreement.id(), java.time.YearMonth.of(2026, 10))));
        return Json.write(event);
    }

    private void monthToClose(String table) {
        DynamoDbStores store = DynamoDbStores.createdOver(dynamo.clients().dynamoDb(), table);
        store.agreements().put(agreement, Instant.parse("2026-09-20T00:00:00Z"));
        for (int i = 0; i < options.lines(); i++) {
            Instant at = Instant.parse("2026-10-02T10:00:00Z").plusSeconds(3_600L * 24 * (i % 28) + i);
            String id = String.format(Locale.ROOT, "%s%05d", "3ColdStart", i);
            TestLedger.record(store.bookings(), new LedgerLine(agreement.id(), "pi_" + id, "ch_" + id, LineType.SALE,
                    29_700, "usd", at, at, at.plusSeconds(2), "course", "cus_" + id, "evt_" + id));
        }
    }

    private void prepareLocalParts() {
        agreement = AgreementFile.parse(AGREEMENT_YAML, "benchmark agreement");
        moto = MotoServer.get();
        moto.reset();
        moto.clients().ssm().putParameter(b -> b.name(template.parameterDefault("WebhookSecretParameterName"))
                .type(ParameterType.SECURE_STRING).value(SECRET));
        // the worker signs each party's page link with it (template.yaml: PageSecretParameterName)
        moto.clients().ssm().putParameter(b -> b.name(template.parameterDefault("PageSecretParameterName"))
                .type(ParameterType.SECURE_STRING).value("a-page-secret-of-at-least-32-bytes-for-the-bench"));
        moto.clients().sesV2().createEmailIdentity(b -> b.emailIdentity(SENDER));
        moto.clients().eventBridge().createEventBus(b -> b.name(BUS));
        moto.clients().sesV2().createConfigurationSet(b -> b.configurationSetName(CONFIGURATION_SET));
        dynamo = DynamoDbLocalServer.get();
        DynamoDbStores.createdOver(dynamo.clients().dynamoDb(), TABLE).agreements().put(agreement, Instant.parse("2026-09-20T00:00:00Z"));
    }

    /** The hello-world jar in a task root of its own, lib/ as `sam build` lays out the functions. */
    private Path helloWorldTaskRoot() {
        Path jar = template.directory().resolve(options.helloJar());
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the benchmarks module (make bench-coldstart does)");
        }
        Path root = buildDir.resolve("HelloWorld");
        try {
            Files.createDirectories(root.resolve("lib"));
            Files.copy(jar, root.resolve("lib").resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }

    private String read(String file) {
        try {
            return Files.readString(template.directory().resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String size(Path taskRoot) {
        try (var jars = Files.list(taskRoot.resolve("lib"))) {
            return jars.map(jar -> {
                try {
                    long bytes = Files.size(jar);
                    return bytes < 1_000_000 ? String.format(Locale.ROOT, "lib/%s %.1f KB", jar.getFileName(), bytes / 1e3)
                            : String.format(Locale.ROOT, "lib/%s %.2f MB", jar.getFileName(), bytes / 1e6);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).reduce((a, b) -> a + ", " + b).orElse("no jar");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Options(int rounds, int warmup, int lines, String helloJar, String extraJavaOptions) {
        static final String USAGE = "usage: ColdStartBench [--rounds R (5)] [--warmup W (1)] "
                + "[--lines N (20): ledger lines of the month the statements function closes] "
                + "[--hello-jar PATH (benchmarks/target/benchmarks-hello-world.jar)] "
                + "[--extra-java-options \"OPTIONS\": a third variant, the template's JAVA_TOOL_OPTIONS plus these]";

        static Options parse(String... args) {
            int rounds = 5, warmup = 1, lines = 20;
            String helloJar = "benchmarks/target/benchmarks-hello-world.jar";
            String extraJavaOptions = null;
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                String value = args[++i];
                switch (name) {
                    case "--rounds" -> rounds = BenchCommand.count(name, value);
                    case "--warmup" -> warmup = BenchCommand.count(name, value);
                    case "--lines" -> lines = BenchCommand.count(name, value);
                    case "--hello-jar" -> helloJar = value;
                    case "--extra-java-options" -> extraJavaOptions = value.isBlank() ? null : value;
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            return new Options(rounds, warmup, lines, helloJar, extraJavaOptions);
        }
    }
}
