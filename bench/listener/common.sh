# Sourced by the listener benchmarks (bench/listener/run.sh, compare.sh, bench/forward/run.sh):
# a work directory removed on exit (KEEP=1 keeps it) with every process started into `pids`
# stopped, the dbt Cloud payload they all post with its dbt signature ($body, $signature) as a
# wrk script ($work/post.lua), and wait_port.
secret=bench-dbt-secret
export WEBHOOK_KEY=$secret

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [ "${KEEP:-0}" = 1 ]; then echo "work directory: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# A dbt Cloud job.run.completed event as dbt sends it (compact JSON), signed the dbt way.
body='{"accountId":1,"webhookId":"wsu_12345abcde","eventId":"wev_2L6ZDoilyiWzKkSA59Gmc2d7FDD","timestamp":"2023-01-31T19:29:35.789265936Z","eventType":"job.run.completed","webhookName":"test","data":{"jobId":"123","jobName":"Daily Job (dbt build)","runId":"12345","environmentId":"1234","environmentName":"Production","dbtVersion":"1.0.0","projectName":"Snowflake Github Demo","projectId":"167194","runStatus":"Success","runStatusCode":10,"runStatusMessage":"None","runReason":"Kicked off from the UI by test@test.com","runStartedAt":"2023-01-31T19:28:07Z","runFinishedAt":"2023-01-31T19:29:32Z"}}'
signature=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret" | awk '{print $NF}')
lua_body=${body//\\/\\\\}
lua_body=${lua_body//\"/\\\"}
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = "$lua_body"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "$signature"
LUA

wait_port() { # port
    for _ in $(seq 100); do
        if curl -s -o /dev/null "http://127.0.0.1:$1/"; then return 0; fi
        sleep 0.1
    done
    echo "nothing answers on port $1" >&2
    return 1
}
