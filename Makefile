# revshare: the two commands a newcomer needs are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
MVN := scripts/mvn.sh

.PHONY: demo test build bench bench-statement bench-webhook bench-coldstart bench-reconcile bench-closing bench-build tools build-tools sam-check clean

## Runs the demo on embedded defaults: no AWS account, no network, no Docker.
demo:
	@echo "Building the revshare command line (Maven)..."
	@$(MVN) -q -DskipTests package -pl cli -am
	@./revshare demo

## Installs the emulators and SAM CLI (pinned, into .tools/), then runs every test, then checks the template.
test: tools
	$(MVN) install
	@scripts/jar-sizes.sh
	scripts/check-template.sh
	@echo "make test: every test passed; the Lambda jars are within budget; template.yaml validated, linted and built."

## Packages every Lambda jar (functions/*) and runs `sam validate --lint` and `sam build`, ready for `sam deploy --guided`.
## Needs only the SAM CLI (no Go, no Chromium): the tests are not run.
build: build-tools
	$(MVN) -DskipTests install
	@scripts/jar-sizes.sh
	scripts/check-template.sh

## Runs the benchmarks below, one after the other (reports, not tests; the closing day takes longest).
bench: bench-statement bench-webhook bench-coldstart bench-reconcile bench-closing

# timings taken side by side with another benchmark mean nothing, whatever -j says (make < 4.4 runs the
# whole file serially then, which costs nothing here)
.NOTPARALLEL: bench

## Times closing one agreement-month of 100,000 ledger lines against the bare DynamoDB Query of them
## (about 3 minutes). Options: make bench-statement BENCH_ARGS="--lines N --rounds R --warmup W"
bench-statement: bench-build
	@JAVA_HOME=$$(scripts/find-jdk.sh) && "$$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
		-jar benchmarks/target/benchmarks.jar $(BENCH_ARGS)

## Times a Stripe webhook delivery against the bare signature check and parse, and against the bare DynamoDB
## transaction of the same items (under a minute). Options: make bench-webhook WEBHOOK_BENCH_ARGS="--events N
## --db-events N --rounds R --warmup W --path /stripe/sarah-mindfulness --pretty"
bench-webhook: bench-build
	@JAVA_HOME=$$(scripts/find-jdk.sh) && "$$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
		-cp benchmarks/target/benchmarks.jar dev.revshare.bench.WebhookBench $(WEBHOOK_BENCH_ARGS)

## Times each function's first invocation in a fresh JVM under the Lambda Runtime Interface Emulator and the Java
## runtime interface client, against a hello-world handler started the same way, with and without the template's
## JAVA_TOOL_OPTIONS (about 4 minutes; installs the emulator and moto first, as `make tools` does).
## Options: make bench-coldstart COLDSTART_BENCH_ARGS="--rounds R --warmup W --lines N"
bench-coldstart: tools bench-build
	@JAVA_HOME=$$(scripts/find-jdk.sh) && "$$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
		-Dlambda.runtime.dir=benchmarks/target/lambda-runtime \
		-cp benchmarks/target/benchmarks.jar dev.revshare.bench.ColdStartBench $(COLDSTART_BENCH_ARGS)

## Times reconciling one agreement-month of 10,000 Stripe balance transactions (100 a page, from a fake Stripe API)
## against a ledger in DynamoDB Local that lacks 100 of them: calls and time per step, the comparison's share
## (about 2 minutes, half of it loading the ledger). Options: make bench-reconcile RECONCILE_BENCH_ARGS="--transactions N
## --missing M --rounds R --warmup W"
bench-reconcile: bench-build
	@JAVA_HOME=$$(scripts/find-jdk.sh) && "$$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
		-cp benchmarks/target/benchmarks.jar dev.revshare.bench.ReconcileBench $(RECONCILE_BENCH_ARGS)

## A closing day of 1,000, 2,000 and 4,000 agreements of 200 lines through the scheduled run, the queue (moto's SQS)
## and the worker, on DynamoDB Local's server and moto: time per agreement by step, linear growth, each statement sent
## once. Installs moto first, as `make tools` does. Quick run: make bench-closing CLOSING_BENCH_ARGS="--sizes 100,200,400"
## Options: --sizes N,N,... --lines L (200) --batch B (5)
bench-closing: tools bench-build
	@JAVA_HOME=$$(scripts/find-jdk.sh) && "$$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
		-cp benchmarks/target/benchmarks.jar dev.revshare.bench.ClosingDayBench $(CLOSING_BENCH_ARGS)

# the benchmarks module depends on the function modules' packaging: this builds the shrunk Lambda jars too
bench-build:
	@echo "Building the benchmarks (Maven)..."
	@$(MVN) -q -DskipTests package -pl benchmarks -am

tools:
	scripts/install-tools.sh

build-tools:
	scripts/install-tools.sh --for-build

clean:
	$(MVN) -q clean
	rm -rf .aws-sam demo-out
