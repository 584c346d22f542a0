# revshare: the two commands a newcomer needs are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
MVN := scripts/mvn.sh

.PHONY: demo test build tools sam-check clean

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

tools:
	scripts/install-tools.sh

clean:
	$(MVN) -q clean
	rm -rf .aws-sam demo-out
