#!/usr/bin/env bash
# The browser app's committed API client and production build, and the committed GraphiQL bundle, must be
# exactly what the sources produce: regenerate the client from the live OpenAPI document, rebuild both from
# their lockfiles, run the component tests, and fail on any difference.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
  echo "check_web_build: npm is not installed" >&2
  exit 1
fi
make --no-print-directory web
make --no-print-directory graphiql
(cd web && npx vitest run --reporter=dot)
paths=(
  web/src/api/schema.d.ts src/shortlist/web/dist web/package-lock.json
  src/shortlist/graphql/graphiql graphiql/package-lock.json
)
drift=$(git diff --name-only -- "${paths[@]}"; git ls-files --others --exclude-standard -- "${paths[@]}")
if [[ -n "$drift" ]]; then
  echo "The committed browser app or GraphiQL differs from its sources; run 'make web graphiql' and commit:" >&2
  echo "$drift" >&2
  exit 1
fi
echo "browser app and GraphiQL: client and builds match the sources"
