#!/usr/bin/env bash
# Adds migration NAME to each provider's migrations project (see CrmDbContext).
set -euo pipefail
name=${1:?usage: ./migrations-add.sh NAME}
cd "$(dirname "$0")"
dotnet tool restore >/dev/null
for provider in Sqlite Postgres SqlServer; do
  project=Migrations/CrmBlazor.Migrations.$provider
  dotnet ef migrations add "$name" -p "$project" -s "$project"
done
