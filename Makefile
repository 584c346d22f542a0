# revshare: the two commands a newcomer needs are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
MVN := scripts/mvn.sh

.PHONY: demo test build bench tools sam-check clean

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

## Packages both Lambda jars and runs `sam validate --lint` and `sam build`, ready for `sam deploy --guided`.
build: tools
	$(MVN) -DskipTests install
	@scripts/jar-sizes.sh
	scripts/check-template.sh

## Times closing one agreement-month of 100,000 ledger lines against the bare DynamoDB Query of them
## (a report, not a test; a few minutes). Options: make bench BENCH_ARGS="--lines N --rounds R --warmup W"
bench:
	@echo "Building the benchmarks (Maven)..."
	@$(MVN) -q -DskipTests package -pl benchmarks -am
	@JAVA_HOME=$$(scripts/find-jdk.sh) && "$$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
		-jar benchmarks/target/benchmarks.jar $(BENCH_ARGS)

tools:
	scripts/install-tools.sh

clean:
	$(MVN) -q clean
	rm -rf .aws-sam demo-out
