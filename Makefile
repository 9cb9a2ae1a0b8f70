# weidai — the two commands of the README, and their parts.
SHELL := /bin/bash
export ONNXRUNTIME_NODE_INSTALL := skip
export DOTENV_CONFIG_QUIET := true
NPM_STAMP := node_modules/.install-stamp
WEB_STAMP := web/node_modules/.install-stamp

.PHONY: demo test install build web-build lint typecheck format-check test-embedded test-services test-python test-web-unit clean

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $(NPM_STAMP)

$(WEB_STAMP): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $(WEB_STAMP)

install: $(NPM_STAMP) $(WEB_STAMP)
	@if [ -f models/training/setup.sh ]; then bash models/training/setup.sh; fi

build: install web-build
	npm run build --silent

# The web pages (chat page and console) → web/dist; NODE_ENV must not be "test" or React's development build is bundled.
web-build: $(WEB_STAMP)
	cd web && NODE_ENV=production npm run build --silent

## make demo: install, build, migrate, seed the demo bank and serve on http://127.0.0.1:8000
# (with a 64 MB young generation, as docs/scale-out.md advises for serving)
demo: build
	node --max-semi-space-size=64 bin/weidai.js demo --host 127.0.0.1 --port 8000

## make test: every suite, on the embedded defaults and on throw-away PostgreSQL + Redis
test: install lint typecheck format-check web-build test-web-unit test-embedded test-services test-python
	@echo "make test: all suites passed"

lint: install
	npx eslint .

typecheck: install
	npx tsc --noEmit -p tsconfig.json

format-check: install
	npx prettier --check .

test-embedded: install
	@echo "== vitest on embedded PGlite and the in-process key-value store"
	env -u WEIDAI_DATABASE_URL -u WEIDAI_REDIS_URL npx vitest run

test-services: install
	@echo "== vitest on PostgreSQL and Redis"
	scripts/with-services.sh npx vitest run

test-web-unit: $(WEB_STAMP)
	cd web && npm test --silent

test-python: install
	@if [ -f models/training/run-tests.sh ]; then bash models/training/run-tests.sh; else echo "no Python suite"; fi

clean:
	rm -rf dist node_modules/.install-stamp
