#!/bin/sh
# Restarts the demo web app from this release: stop the running one, start ours, wait until it listens.
set -eu
run="$DEPLOY_ROOT/shared/run"
if [ -f "$run/server.pid" ]; then
  old=$(cat "$run/server.pid")
  kill "$old" 2>/dev/null || true
  i=0
  while kill -0 "$old" 2>/dev/null && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
fi
rm -f "$run/ready"
nohup "$DEMO_JAVA" App.java "$DEMO_PORT" "$run/ready" >> "$DEPLOY_ROOT/shared/logs/app.log" 2>&1 &
echo $! > "$run/server.pid"
i=0
while [ ! -s "$run/ready" ] && [ "$i" -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
if [ ! -s "$run/ready" ]; then
  echo "the app did not start within 60 s; see shared/logs/app.log"
  exit 1
fi
echo "app of release $DEPLOY_RELEASE started (pid $(cat "$run/server.pid")), listening on port $DEMO_PORT"
