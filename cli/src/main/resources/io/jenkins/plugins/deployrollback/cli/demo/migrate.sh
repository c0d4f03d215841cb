#!/bin/sh
# Stands in for database migrations: runs on deploy only, so a rollback never re-runs it.
set -eu
echo "applying the database migrations of release $DEPLOY_RELEASE ($DEPLOY_RELEASE_VERSION)"
echo "$DEPLOY_RELEASE" >> "$DEPLOY_ROOT/shared/db/migrations-applied"
